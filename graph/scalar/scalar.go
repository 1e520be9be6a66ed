// Package scalar reads and writes the GraphQL scalars whose values gqlgen
// cannot check against the schema alone: ID (the API's numeric ids, in
// quotes) and Time (RFC 3339). Their errors say what the caller sent and
// what a valid value looks like; graph's error presenter adds the argument
// and answers BAD_USER_INPUT.
package scalar

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalIntID writes an id as the API gives it out: a decimal string.
func MarshalIntID(id int) graphql.Marshaler { return graphql.MarshalIntID(id) }

// UnmarshalIntID reads an id.
func UnmarshalIntID(v any) (int, error) {
	id, err := graphql.UnmarshalIntID(v)
	if err != nil {
		return 0, fmt.Errorf("%s is not an id of this server (ids are the numbers in quotes it gives out, such as \"4294967297\")", shown(v))
	}
	return id, nil
}

// MarshalTime writes a time in RFC 3339 with nanoseconds.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads a time in RFC 3339.
func UnmarshalTime(v any) (time.Time, error) {
	if s, ok := v.(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s is not a time (use RFC 3339, such as \"2026-01-02T15:04:05Z\")", shown(v))
}

// shown is v as a caller would recognise it, at most 40 characters of it.
func shown(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		s = strconv.Quote(v)
	case json.Number, bool, int, int64, float64:
		s = fmt.Sprint(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("a value of type %T", v)
	}
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
