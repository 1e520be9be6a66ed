package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"reflect"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestProfileSubjects(t *testing.T) {
	var p Profile
	if p.Info() != "ee.ria.xroad.common.certificateprofile.impl.EjbcaCertificateProfileInfoProvider" {
		t.Errorf("Info = %q", p.Info())
	}
	if got := DN(p.AuthSubject("DEV", "ss1")); got != "CN=ss1,C=DEV" {
		t.Errorf("AuthSubject = %q", got)
	}
	id := xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}
	if got := DN(p.SignSubject(id)); got != "CN=1234,O=GOV,C=DEV" {
		t.Errorf("SignSubject = %q", got)
	}
}

func TestProfileSubjectFields(t *testing.T) {
	var p Profile
	id := xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}
	for _, tc := range []struct {
		name   string
		usage  xroad.KeyUsage
		member xroad.ClientID
		want   []SubjectField
	}{
		{"auth", xroad.UsageAuthentication, xroad.ClientID{}, []SubjectField{
			{ID: "C", Label: "Instance Identifier (C)", DefaultValue: "DEV", ReadOnly: true, Required: true},
			{ID: "CN", Label: "Server Code (CN)", DefaultValue: "ss1", ReadOnly: true, Required: true},
		}},
		{"sign", xroad.UsageSigning, id, []SubjectField{
			{ID: "C", Label: "Instance Identifier (C)", DefaultValue: "DEV", ReadOnly: true, Required: true},
			{ID: "O", Label: "Member Class (O)", DefaultValue: "GOV", ReadOnly: true, Required: true},
			{ID: "CN", Label: "Member Code (CN)", DefaultValue: "1234", ReadOnly: true, Required: true},
		}},
		{"sign without member", xroad.UsageSigning, xroad.ClientID{}, []SubjectField{
			{ID: "C", Label: "Instance Identifier (C)", DefaultValue: "DEV", ReadOnly: true, Required: true},
			{ID: "O", Label: "Member Class (O)", Required: true},
			{ID: "CN", Label: "Member Code (CN)", Required: true},
		}},
	} {
		if got := p.SubjectFields(tc.usage, ProfileParams{Instance: "DEV", Member: tc.member, ServerCode: "ss1"}); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

func TestProfileDecodeSignMemberID(t *testing.T) {
	ca := newTestCA(t, "Profile CA")
	for _, tc := range []struct {
		name    string
		subject pkix.Name
		want    string // "" = error
	}{
		{"default profile", pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: "1234"}, "DEV/GOV/1234"},
		{"extra attributes ignored", pkix.Name{Country: []string{"DEV"}, Organization: []string{"COM"}, OrganizationalUnit: []string{"IT"}, CommonName: "42"}, "DEV/COM/42"},
		{"missing O", pkix.Name{Country: []string{"DEV"}, CommonName: "1234"}, ""},
		{"two O", pkix.Name{Country: []string{"DEV"}, Organization: []string{"A", "B"}, CommonName: "1234"}, ""},
		{"forbidden character", pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: "12:34"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cert, _ := ca.leaf(t, &x509.Certificate{Subject: tc.subject, KeyUsage: x509.KeyUsageContentCommitment})
			id, err := Profile{}.DecodeSignMemberID(cert)
			if tc.want == "" {
				assertCode(t, err, xroad.CodeInvalidCertificate)
				return
			}
			if err != nil || id.String() != tc.want || id.ObjectType() != xroad.ObjectMember {
				t.Errorf("= %v, %v; want %s", id, err, tc.want)
			}
		})
	}
	t.Run("X-Road sample", func(t *testing.T) {
		s := loadAuthCertReg(t)
		if id, err := (Profile{}).DecodeSignMemberID(s.signCert); err != nil || id.String() != "REST/COM/SS1" {
			t.Errorf("X-Road sample signing certificate: %v, %v", id, err)
		}
	})
}

func TestProfileCheckSubject(t *testing.T) {
	var p Profile
	name := func(c, o []string, cn string, extra ...string) pkix.Name {
		return pkix.Name{Country: c, Organization: o, CommonName: cn, OrganizationalUnit: extra}
	}
	dev := []string{"DEV"}
	for _, tc := range []struct {
		name    string
		usage   xroad.KeyUsage
		subject pkix.Name
		want    string // "" = ok, else part of the message
	}{
		{"auth ok", xroad.UsageAuthentication, name(dev, nil, "ss1"), ""},
		{"sign ok", xroad.UsageSigning, name(dev, []string{"GOV"}, "1234"), ""},
		{"auth wrong C", xroad.UsageAuthentication, name([]string{"FI"}, nil, "ss1"), `C is "FI" but the instance is "DEV"`},
		{"auth missing CN", xroad.UsageAuthentication, name(dev, nil, ""), "attribute CN is missing"},
		{"auth with O", xroad.UsageAuthentication, name(dev, []string{"GOV"}, "ss1"), "attribute O, which the profile does not allow"},
		{"sign missing O", xroad.UsageSigning, name(dev, nil, "1234"), "attribute O is missing"},
		{"sign extra OU", xroad.UsageSigning, name(dev, []string{"GOV"}, "1234", "IT"), "attribute OU"},
		{"sign two C", xroad.UsageSigning, name([]string{"DEV", "DEV"}, []string{"GOV"}, "1234"), "appears 2 times"},
		{"sign code with colon", xroad.UsageSigning, name(dev, []string{"GOV"}, "12:34"), "forbidden character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := p.CheckSubject(tc.usage, tc.subject, "DEV")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			assertCode(t, err, xroad.CodeInvalidDistinguishedName)
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "expected exactly C=DEV") {
				t.Errorf("message %q, want it to mention %q and what was expected", err, tc.want)
			}
		})
	}
}
