package viewer

import (
	"fmt"
	"io"
	"strconv"
)

// MarshalGQL implements graphql.Marshaler (GraphQL enum Role).
func (r Role) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *Role) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	role, ok := ParseRole(s)
	if !ok {
		return fmt.Errorf("%q is not a role", s)
	}
	*r = role
	return nil
}

// MarshalGQL implements graphql.Marshaler (GraphQL enum ServerRole).
func (s ServerRole) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *ServerRole) UnmarshalGQL(v any) error {
	str, _ := v.(string)
	switch ServerRole(str) {
	case Central, Security:
		*s = ServerRole(str)
		return nil
	}
	return fmt.Errorf("%q is not a server role", str)
}
