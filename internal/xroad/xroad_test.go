package xroad

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

func TestClientIDForms(t *testing.T) {
	member := ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}
	sub := member
	sub.SubsystemCode = "MANAGEMENT"
	server := ServerID{Owner: sub, ServerCode: "SS1"}
	for _, tc := range []struct {
		name     string
		got      string
		want     string
		typ, exp ObjectType
	}{
		{"member", member.String(), "DEV/GOV/1234", member.ObjectType(), ObjectMember},
		{"subsystem", sub.String(), "DEV/GOV/1234/MANAGEMENT", sub.ObjectType(), ObjectSubsystem},
		{"member of a subsystem", sub.Member().String(), "DEV/GOV/1234", sub.Member().ObjectType(), ObjectMember},
		{"server (owner's member part)", server.String(), "DEV/GOV/1234/SS1", "", ""},
	} {
		if tc.got != tc.want || tc.typ != tc.exp {
			t.Errorf("%s: %q (%s), want %q (%s)", tc.name, tc.got, tc.typ, tc.want, tc.exp)
		}
	}
	if sub.SubsystemCode != "MANAGEMENT" {
		t.Error("Member changed its receiver")
	}
}

func TestParseIdentifiers(t *testing.T) {
	for _, tc := range []struct {
		in     string
		server bool
		want   string // String() of the result; "" = error
		code   string
		field  string
	}{
		{"DEV/GOV/1234", false, "DEV/GOV/1234", "", ""},
		{"DEV/GOV/1234/SS1", true, "DEV/GOV/1234/SS1", "", ""},
		{"DEV/GOV", false, "", CodeInvalidIdentifier, ""},
		{"DEV/GOV/1234/SS1", false, "", CodeInvalidIdentifier, ""},
		{"DEV/GOV/1234", true, "", CodeInvalidIdentifier, ""},
		{"DEV//1234", false, "", CodeBadUserInput, "memberClass"},
		{"DEV/GOV/ 1234", false, "", CodeBadUserInput, "memberCode"},
		{"DEV/GOV/1234/S%1", true, "", CodeBadUserInput, "serverCode"},
	} {
		var s string
		var err error
		if tc.server {
			var id ServerID
			id, err = ParseServerID(tc.in)
			s = id.String()
		} else {
			var id ClientID
			id, err = ParseMemberID(tc.in)
			s = id.String()
		}
		if tc.want != "" {
			if err != nil || s != tc.want {
				t.Errorf("%q: %q, %v; want %q", tc.in, s, err, tc.want)
			}
			continue
		}
		var xe *Error
		if !errors.As(err, &xe) || xe.Code != tc.code || xe.Field != tc.field {
			t.Errorf("%q: %v, want code %s field %q", tc.in, err, tc.code, tc.field)
		}
	}
}

func TestValidatePart(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        string // part of the message; "" = valid
	}{
		{"plain", "GOV", ""},
		{"unicode letters", "Ministério-ÄÖ", ""},
		{"255 characters", strings.Repeat("ä", 255), ""},
		{"empty", "", "is required"},
		{"leading space", " GOV", "white space"},
		{"trailing tab", "GOV\t", "white space"},
		{"256 characters", strings.Repeat("a", 256), "longer than 255"},
		{"invalid UTF-8", "G\xffV", "UTF-8"},
		{"colon", "a:b", `':'`},
		{"semicolon", "a;b", `';'`},
		{"slash", "a/b", `'/'`},
		{"backslash", `a\b`, `'\\'`},
		{"percent", "a%b", `'%'`},
		{"control character", "a\x01b", "U+0001"},
	} {
		err := ValidatePart("memberCode", tc.value)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var xe *Error
		if !errors.As(err, &xe) || xe.Code != CodeBadUserInput || xe.Field != "memberCode" || !strings.Contains(xe.Message, tc.want) {
			t.Errorf("%s: %v, want BAD_USER_INPUT on memberCode mentioning %s", tc.name, err, tc.want)
		}
	}
}

func TestValidateInstanceIdentifier(t *testing.T) {
	for in, ok := range map[string]bool{
		"DEV": true, "EE-test.1": true, "a'(b)+c,d=e?": true,
		"": false, "DE V": false, "ÄÖ": false, "a_b": false, "a/b": false, "a*": false,
	} {
		if err := ValidateInstanceIdentifier(in); (err == nil) != ok || (err != nil && !IsCode(err, CodeBadUserInput)) {
			t.Errorf("%q: %v, want valid = %v", in, err, ok)
		}
	}
}

func TestValidateHostAddress(t *testing.T) {
	for in, ok := range map[string]bool{
		"ss1.example.org": true, "ss1": true, "10.0.0.1": true, "::1": true, "fe80::1": true,
		"bücher.example": true, "ss1.example.org.": true, "a-b.c": true,
		"": false, "-ss1.example": false, "ss1-.example": false, "a..b": false, "ss 1": false,
		"ss_1.example": false, "http://ss1": false, strings.Repeat("a", 64) + ".example": false, strings.Repeat("a.", 128) + "a": false,
	} {
		err := ValidateHostAddress("address", in)
		if (err == nil) != ok {
			t.Errorf("%q: %v, want valid = %v", in, err, ok)
		}
		var xe *Error
		if err != nil && (!errors.As(err, &xe) || xe.Code != CodeBadUserInput || xe.Field != "address") {
			t.Errorf("%q: %v is not BAD_USER_INPUT on address", in, err)
		}
	}
}

func TestErrors(t *testing.T) {
	cause := errors.New("disk on fire")
	e := Errorf(CodeMemberExists, "Member %s already exists", "DEV/GOV/1").WithMetadata("DEV/GOV/1").WithField("memberCode").Wrap(cause)
	wrapped := fmt.Errorf("adding a member: %w", e)
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"code through wrapping", CodeOf(wrapped), CodeMemberExists},
		{"IsCode", IsCode(wrapped, CodeMemberExists), true},
		{"IsCode of another code", IsCode(wrapped, CodeBadUserInput), false},
		{"message hides the cause", Message(wrapped), "Member DEV/GOV/1 already exists"},
		{"Error() names the cause for logs", e.Error(), "MEMBER_EXISTS: Member DEV/GOV/1 already exists: disk on fire"},
		{"cause reachable", errors.Is(wrapped, cause), true},
		{"metadata", strings.Join(e.Metadata, ","), "DEV/GOV/1"},
		{"field", e.Field, "memberCode"},
		{"code of a plain error", CodeOf(cause), ""},
		{"message of a plain error", Message(cause), "disk on fire"},
		{"Error() without a cause", Errorf(CodeForbidden, "no").Error(), "FORBIDDEN: no"},
		{"BadInput", BadInput("pin", "PIN is too short").Field + " " + BadInput("pin", "x").Code, "pin BAD_USER_INPUT"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	w := WarningsDetected([]Warning{{Code: "SOME_WARNING", Metadata: []string{"x"}}})
	if w.Code != CodeWarningsDetected || len(w.Warnings) != 1 || !strings.Contains(w.Message, "ignoreWarnings") {
		t.Errorf("WarningsDetected: %+v", w)
	}
}

func TestEnumsGraphQL(t *testing.T) {
	type enum interface {
		UnmarshalGQL(any) error
		MarshalGQL(io.Writer)
	}
	for _, tc := range []struct {
		name    string
		values  []string
		newEnum func() enum
	}{
		{"KeyUsage", KeyUsage("").Values(), func() enum { return new(KeyUsage) }},
		{"KeyAlgorithm", KeyAlgorithm("").Values(), func() enum { return new(KeyAlgorithm) }},
		{"TokenType", TokenType("").Values(), func() enum { return new(TokenType) }},
		{"CertificateStatus", CertificateStatus("").Values(), func() enum { return new(CertificateStatus) }},
		{"OcspStatus", OcspStatus("").Values(), func() enum { return new(OcspStatus) }},
		{"ClientStatus", ClientStatus("").Values(), func() enum { return new(ClientStatus) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.values) == 0 {
				t.Fatal("no values")
			}
			for _, v := range tc.values {
				e := tc.newEnum()
				if err := e.UnmarshalGQL(v); err != nil {
					t.Errorf("%s: %v", v, err)
				}
				var b bytes.Buffer
				e.MarshalGQL(&b)
				if b.String() != strconv.Quote(v) {
					t.Errorf("%s marshals as %s", v, b.String())
				}
			}
			for _, bad := range []any{"", strings.ToLower(tc.values[0]), 1} {
				if err := tc.newEnum().UnmarshalGQL(bad); err == nil {
					t.Errorf("%v accepted", bad)
				}
			}
		})
	}
}
