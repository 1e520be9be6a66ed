package xroad

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxIdentifierPartLength is the longest identifier part X-Road accepts.
const MaxIdentifierPartLength = 255

// ObjectType is X-Road's identifier object type.
type ObjectType string

// Object types used in identifiers.
const (
	ObjectMember      ObjectType = "MEMBER"
	ObjectSubsystem   ObjectType = "SUBSYSTEM"
	ObjectServer      ObjectType = "SERVER"
	ObjectService     ObjectType = "SERVICE"
	ObjectGlobalGroup ObjectType = "GLOBALGROUP"
)

// ClientID identifies a member (SubsystemCode empty) or a subsystem.
type ClientID struct {
	Instance      string
	MemberClass   string
	MemberCode    string
	SubsystemCode string
}

// ObjectType is MEMBER or SUBSYSTEM.
func (c ClientID) ObjectType() ObjectType {
	if c.SubsystemCode != "" {
		return ObjectSubsystem
	}
	return ObjectMember
}

// Member returns the member part of a subsystem id (or c itself).
func (c ClientID) Member() ClientID { c.SubsystemCode = ""; return c }

// String is the slash form used in audit logs and the API: INSTANCE/CLASS/CODE[/SUBSYSTEM].
func (c ClientID) String() string {
	s := c.Instance + "/" + c.MemberClass + "/" + c.MemberCode
	if c.SubsystemCode != "" {
		s += "/" + c.SubsystemCode
	}
	return s
}

// Validate checks every part (see ValidatePart).
func (c ClientID) Validate() error {
	if err := ValidatePart("instance", c.Instance); err != nil {
		return err
	}
	if err := ValidatePart("memberClass", c.MemberClass); err != nil {
		return err
	}
	if err := ValidatePart("memberCode", c.MemberCode); err != nil {
		return err
	}
	if c.SubsystemCode != "" {
		return ValidatePart("subsystemCode", c.SubsystemCode)
	}
	return nil
}

// ServerID identifies a security server: its owner member and server code.
type ServerID struct {
	Owner      ClientID
	ServerCode string
}

// String is INSTANCE/CLASS/CODE/SERVERCODE.
func (s ServerID) String() string { return s.Owner.Member().String() + "/" + s.ServerCode }

// Validate checks every part.
func (s ServerID) Validate() error {
	if err := s.Owner.Member().Validate(); err != nil {
		return err
	}
	return ValidatePart("serverCode", s.ServerCode)
}

// ServiceID identifies a service of a client (used for the management service).
type ServiceID struct {
	Client      ClientID
	ServiceCode string
	Version     string
}

// ParseMemberID parses "INSTANCE/CLASS/CODE".
func ParseMemberID(s string) (ClientID, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return ClientID{}, Errorf(CodeInvalidIdentifier, "member id %q must have the form INSTANCE/CLASS/CODE", s)
	}
	id := ClientID{Instance: parts[0], MemberClass: parts[1], MemberCode: parts[2]}
	return id, id.Validate()
}

// ParseSubsystemID parses "INSTANCE/CLASS/CODE/SUBSYSTEM".
func ParseSubsystemID(s string) (ClientID, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 {
		return ClientID{}, Errorf(CodeInvalidIdentifier, "subsystem id %q must have the form INSTANCE/CLASS/CODE/SUBSYSTEM", s)
	}
	id := ClientID{Instance: parts[0], MemberClass: parts[1], MemberCode: parts[2], SubsystemCode: parts[3]}
	if id.SubsystemCode == "" {
		return id, ValidatePart("subsystemCode", "")
	}
	return id, id.Validate()
}

// ParseServerID parses "INSTANCE/CLASS/CODE/SERVERCODE".
func ParseServerID(s string) (ServerID, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 {
		return ServerID{}, Errorf(CodeInvalidIdentifier, "server id %q must have the form INSTANCE/CLASS/CODE/SERVERCODE", s)
	}
	id := ServerID{Owner: ClientID{Instance: parts[0], MemberClass: parts[1], MemberCode: parts[2]}, ServerCode: parts[3]}
	return id, id.Validate()
}

// ValidatePart checks one identifier part as X-Road does: not empty, no
// leading/trailing white space, at most 255 characters, none of : ; / \ % and
// no control characters. name is used in the message.
func ValidatePart(name, v string) error {
	switch {
	case v == "":
		return BadInput(name, "%s is required", name)
	case strings.TrimSpace(v) != v:
		return BadInput(name, "%s must not start or end with white space", name)
	case !utf8.ValidString(v):
		return BadInput(name, "%s is not valid UTF-8", name)
	case utf8.RuneCountInString(v) > MaxIdentifierPartLength:
		return BadInput(name, "%s is longer than %d characters", name, MaxIdentifierPartLength)
	}
	for _, r := range v {
		if strings.ContainsRune(`:;/\%`, r) || unicode.IsControl(r) {
			return BadInput(name, "%s contains the forbidden character %s (none of : ; / \\ %% or control characters are allowed)", name, describeRune(r))
		}
	}
	return nil
}

func describeRune(r rune) string {
	if unicode.IsControl(r) {
		return fmt.Sprintf("U+%04X", r)
	}
	return fmt.Sprintf("%q", r)
}

// ValidateInstanceIdentifier checks an instance identifier against X-Road's
// pattern ^[a-zA-Z0-9'()+,-.=?]*$ (and the identifier part rules).
func ValidateInstanceIdentifier(v string) error {
	if err := ValidatePart("instanceIdentifier", v); err != nil {
		return err
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("'()+,-.=?", r)) {
			return BadInput("instanceIdentifier", "instance identifier may contain only letters, digits and ' ( ) + , - . = ? (found %q)", r)
		}
	}
	return nil
}

// Trim trims white space around an input value (X-Road trims all user input).
func Trim(s string) string { return strings.TrimSpace(s) }

// Deref returns *p, or the zero value when p is nil (optional database
// fields are pointers).
func Deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
