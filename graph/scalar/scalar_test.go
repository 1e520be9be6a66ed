package scalar

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestUnmarshalIntID(t *testing.T) {
	for _, v := range []any{"4294967297", json.Number("12"), int64(7)} {
		if _, err := UnmarshalIntID(v); err != nil {
			t.Errorf("%v: %v", v, err)
		}
	}
	for v, want := range map[any]string{
		"abc": `"abc" is not an id`, "": `"" is not an id`, "99999999999999999999999": `"99999999999999999999999" is not an id`,
		true: "true is not an id", strings.Repeat("x", 100): `"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…`,
	} {
		_, err := UnmarshalIntID(v)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%v: err = %v, want it to start with %s", v, err, want)
		}
	}
}

func TestUnmarshalTime(t *testing.T) {
	if _, err := UnmarshalTime("2026-01-02T15:04:05.123+02:00"); err != nil {
		t.Error(err)
	}
	for _, v := range []any{"yesterday", "2026-01-02", json.Number("1700000000"), nil} {
		_, err := UnmarshalTime(v)
		if err == nil || !strings.Contains(err.Error(), "is not a time (use RFC 3339") {
			t.Errorf("%v: err = %v", v, err)
		}
	}
}
