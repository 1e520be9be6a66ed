package security

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestResolveSubject(t *testing.T) {
	member := xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}
	signFields := pki.Profile{}.SubjectFields(xroad.UsageSigning, pki.ProfileParams{Instance: "DEV", Member: member})
	authFields := pki.Profile{}.SubjectFields(xroad.UsageAuthentication, pki.ProfileParams{Instance: "DEV", ServerCode: "SS1"})
	open := []pki.SubjectField{
		{ID: "C", DefaultValue: "DEV", ReadOnly: true, Required: true},
		{ID: "CN", Required: true},
		{ID: "O"},
	}
	cases := []struct {
		name     string
		fields   []pki.SubjectField
		supplied []SubjectValue
		want     map[string]string
		wantErr  string // part of the message; code is INVALID_DISTINGUISHED_NAME
	}{
		{"defaults only", signFields, nil, map[string]string{"C": "DEV", "O": "GOV", "CN": "1234"}, ""},
		{"auth defaults", authFields, nil, map[string]string{"C": "DEV", "CN": "SS1"}, ""},
		{"read-only repeated unchanged, trimmed", signFields, []SubjectValue{{" CN ", " 1234 "}, {"C", "DEV"}}, map[string]string{"C": "DEV", "O": "GOV", "CN": "1234"}, ""},
		{"empty value takes the default", signFields, []SubjectValue{{"O", ""}}, map[string]string{"C": "DEV", "O": "GOV", "CN": "1234"}, ""},
		{"free field filled", open, []SubjectValue{{"CN", "x"}}, map[string]string{"C": "DEV", "CN": "x"}, ""},
		{"optional field set", open, []SubjectValue{{"CN", "x"}, {"O", "org"}}, map[string]string{"C": "DEV", "CN": "x", "O": "org"}, ""},
		{"unknown field", signFields, []SubjectValue{{"OU", "x"}}, nil, "Unknown parameter 'OU'"},
		{"repeated field", open, []SubjectValue{{"CN", "x"}, {"CN", "y"}}, nil, "more than once"},
		{"read-only changed", signFields, []SubjectValue{{"CN", "9999"}}, nil, "'CN' is read-only"},
		{"required missing", open, nil, nil, "Missing parameter 'CN'"},
		{"too long", open, []SubjectValue{{"CN", strings.Repeat("x", 256)}}, nil, "longer than 255"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveSubject(tc.fields, tc.supplied)
			if tc.wantErr != "" {
				if xroad.CodeOf(err) != xroad.CodeInvalidDistinguishedName || !strings.Contains(xroad.Message(err), tc.wantErr) {
					t.Fatalf("err = %v, want INVALID_DISTINGUISHED_NAME with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCSRFileName(t *testing.T) {
	server := xroad.ServerID{Owner: xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}, ServerCode: "SS1"}
	day := time.Date(2026, 11, 26, 23, 30, 0, 0, time.FixedZone("EET", 2*3600)) // 21:30 UTC
	cases := []struct {
		usage  xroad.KeyUsage
		member string
		format string
		want   string
	}{
		{xroad.UsageSigning, "DEV/GOV/1234", "PEM", "sign_csr_20261126_member_DEV_GOV_1234.pem"},
		{xroad.UsageSigning, "DEV/COM/42", "DER", "sign_csr_20261126_member_DEV_COM_42.der"},
		{xroad.UsageAuthentication, "DEV/GOV/1234", "PEM", "auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.pem"},
		{xroad.UsageAuthentication, "DEV/GOV/1234", "der", "auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.der"},
		{xroad.UsageAuthentication, "DEV/GOV/1234", "", "auth_csr_20261126_securityserver_DEV_GOV_1234_SS1.pem"},
	}
	for _, tc := range cases {
		if got := csrFileName(tc.usage, day, server, tc.member, tc.format); got != tc.want {
			t.Errorf("csrFileName(%s, %s, %q) = %s, want %s", tc.usage, tc.member, tc.format, got, tc.want)
		}
	}
}
