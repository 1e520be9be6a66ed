package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestProfileFor(t *testing.T) {
	for _, info := range []string{ProfileInfo, ProfileInfoBasic, ProfileInfoBasicACME, ProfileInfoSANOnly} {
		p, err := ProfileFor(info)
		if err != nil || p.Info() != info {
			t.Errorf("ProfileFor(%s) = %v, %v", info, p, err)
		}
	}
	if got := ProfileInfos(); len(got) != 4 || got[0] != ProfileInfo {
		t.Errorf("ProfileInfos = %v", got)
	}
	_, err := ProfileFor("ee.ria.xroad.common.certificateprofile.impl.FiVRKCertificateProfileInfoProvider")
	assertCode(t, err, CodeCertificateProfileNotFound)
	if !strings.Contains(xroad.Message(err), ProfileInfoSANOnly) {
		t.Errorf("the message does not list the supported profiles: %s", xroad.Message(err))
	}
}

var profileParams = ProfileParams{Instance: "DEV", Member: xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"},
	MemberName: "Test Agency", ServerCode: "SS1", ServerAddress: "ss1.example.org"}

// fieldIDs lists the ids of fields with their defaults and read-only flags.
func fieldIDs(fields []SubjectField) []string {
	var out []string
	for _, f := range fields {
		ro := ""
		if f.ReadOnly {
			ro = " (read-only)"
		}
		out = append(out, f.ID+"="+f.DefaultValue+ro)
	}
	return out
}

// TestBasicProfiles: X-Road's basic profile and its ACME variant ask for
// the fields X-Road's do, build the subject in their order (with the ACME
// variant's subject alternative name) and read a signing certificate's
// member from businessCategory and serialNumber.
func TestBasicProfiles(t *testing.T) {
	basic, _ := ProfileFor(ProfileInfoBasic)
	acme, _ := ProfileFor(ProfileInfoBasicACME)
	for _, tc := range []struct {
		name   string
		p      CertProfile
		usage  xroad.KeyUsage
		fields []string
	}{
		{"basic auth", basic, xroad.UsageAuthentication, []string{"C=", "O=Test Agency (read-only)", "serialNumber=1234 (read-only)", "CN=ss1.example.org"}},
		{"basic sign", basic, xroad.UsageSigning, []string{"C=", "O=Test Agency (read-only)", "businessCategory=GOV (read-only)", "serialNumber=1234 (read-only)", "CN=Test Agency (read-only)"}},
		{"ACME auth", acme, xroad.UsageAuthentication, []string{"C=", "O=Test Agency (read-only)", "serialNumber=1234 (read-only)", "CN=ss1.example.org", "subjectAltName=ss1.example.org"}},
		{"ACME sign", acme, xroad.UsageSigning, []string{"C=", "O=Test Agency (read-only)", "businessCategory=GOV (read-only)", "serialNumber=1234 (read-only)", "CN=Test Agency (read-only)", "subjectAltName=ss1.example.org"}},
	} {
		if got := fieldIDs(tc.p.SubjectFields(tc.usage, profileParams)); !reflect.DeepEqual(got, tc.fields) {
			t.Errorf("%s fields:\n got %v\nwant %v", tc.name, got, tc.fields)
		}
	}

	values := map[string]string{"C": "EE", "O": "Test Agency", "businessCategory": "GOV", "serialNumber": "1234", "CN": "Test Agency", "subjectAltName": "ss1.example.org"}
	c, err := acme.CSR(xroad.UsageSigning, values, profileParams)
	if err != nil {
		t.Fatal(err)
	}
	if got := DN(c.Subject); got != "CN=Test Agency,SERIALNUMBER=1234,2.5.4.15=#1303474f56,O=Test Agency,C=EE" || !reflect.DeepEqual(c.DNSNames, []string{"ss1.example.org"}) {
		t.Errorf("ACME signing CSR: %s %v", got, c.DNSNames)
	}
	if _, err := basic.CSR(xroad.UsageAuthentication, map[string]string{"C": "EE", "O": "Test Agency", "serialNumber": "1234"}, profileParams); xroad.CodeOf(err) != xroad.CodeInvalidDistinguishedName {
		t.Errorf("a missing CN: %v", err)
	}
	if _, err := acme.CSR(xroad.UsageAuthentication, map[string]string{"C": "EE", "O": "A", "serialNumber": "1", "CN": "x", "subjectAltName": "not a host!"}, profileParams); xroad.CodeOf(err) != xroad.CodeInvalidDistinguishedName {
		t.Errorf("a bad subject alternative name: %v", err)
	}

	ca := newTestCA(t, "Basic CA")
	sign := func(names ...pkix.AttributeTypeAndValue) *x509.Certificate {
		return create(t, &x509.Certificate{Subject: pkix.Name{ExtraNames: names}, KeyUsage: x509.KeyUsageContentCommitment}, ca, newKey(t).Public(), nil)
	}
	bc := pkix.AttributeTypeAndValue{Type: oidBusinessCategory, Value: "COM"}
	sn := pkix.AttributeTypeAndValue{Type: oidSerialNumber, Value: "42"}
	id, err := basic.SignMember(sign(pkix.AttributeTypeAndValue{Type: oidCommonName, Value: "Company"}, bc, sn), "DEV", MemberClaim{})
	if err != nil || id.String() != "DEV/COM/42" {
		t.Errorf("SignMember = %v, %v", id, err)
	}
	_, err = acme.SignMember(sign(sn), "DEV", MemberClaim{Member: profileParams.Member, Addresses: []string{"ss1.example.org"}})
	assertCode(t, err, xroad.CodeInvalidCertificate) // the claim does not replace businessCategory
}

// TestSANOnlyProfile: a certificate of the SAN-only profile is for what its
// key is for, names the host in a subject alternative name only, and a
// signing certificate belongs to the member whose server is at that host.
func TestSANOnlyProfile(t *testing.T) {
	var p SANOnlyProfile
	if got := fieldIDs(p.SubjectFields(xroad.UsageSigning, profileParams)); !reflect.DeepEqual(got, []string{"subjectAltName=ss1.example.org"}) {
		t.Errorf("fields: %v", got)
	}
	for _, tc := range []struct{ san, dns, ip string }{
		{"SS1.Example.org.", "ss1.example.org", ""},
		{"bücher.example", "xn--bcher-kva.example", ""},
		{"192.0.2.7", "", "192.0.2.7"},
		{"2001:db8::0:1", "", "2001:db8::1"},
	} {
		c, err := p.CSR(xroad.UsageAuthentication, map[string]string{"subjectAltName": tc.san}, profileParams)
		if err != nil || len(c.Subject.Names)+len(c.Subject.ExtraNames) != 0 || strings.Join(c.DNSNames, "") != tc.dns ||
			(tc.ip != "" && (len(c.IPAddresses) != 1 || c.IPAddresses[0].String() != tc.ip)) || !reflect.DeepEqual(c.AltNames(), []string{tc.dns + tc.ip}) {
			t.Errorf("CSR for %q: %+v, %v", tc.san, c, err)
		}
	}
	for _, bad := range []string{"", "two words", "a/b"} {
		if _, err := p.CSR(xroad.UsageSigning, map[string]string{"subjectAltName": bad}, profileParams); xroad.CodeOf(err) != xroad.CodeInvalidDistinguishedName {
			t.Errorf("CSR for %q: %v", bad, err)
		}
	}

	ca := newTestCA(t, "ACME CA")
	cert := func(subject pkix.Name, ku x509.KeyUsage, dns ...string) *x509.Certificate {
		return create(t, &x509.Certificate{Subject: subject, KeyUsage: ku, DNSNames: dns}, ca, newKey(t).Public(), nil)
	}
	digital := cert(pkix.Name{}, x509.KeyUsageDigitalSignature, "ss1.example.org")
	for _, tc := range []struct {
		name     string
		cert     *x509.Certificate
		keyUsage xroad.KeyUsage
		code     string // "" = the key's usage
	}{
		{"authentication key", digital, xroad.UsageAuthentication, ""},
		{"signing key", digital, xroad.UsageSigning, ""},
		{"nonRepudiation on a signing key", cert(pkix.Name{}, x509.KeyUsageContentCommitment, "ss1.example.org"), xroad.UsageSigning, ""},
		{"nonRepudiation only on an authentication key", cert(pkix.Name{}, x509.KeyUsageContentCommitment, "ss1.example.org"), xroad.UsageAuthentication, xroad.CodeWrongCertUsage},
		{"CN equal to the name", cert(pkix.Name{CommonName: "SS1.example.org"}, x509.KeyUsageDigitalSignature, "ss1.example.org"), xroad.UsageAuthentication, ""},
		{"key usage not known", digital, "", xroad.CodeWrongCertUsage},
		{"no subject alternative name", cert(pkix.Name{}, x509.KeyUsageDigitalSignature), xroad.UsageAuthentication, xroad.CodeInvalidCertificate},
		{"a subject", cert(pkix.Name{Organization: []string{"Agency"}}, x509.KeyUsageDigitalSignature, "ss1.example.org"), xroad.UsageAuthentication, xroad.CodeInvalidCertificate},
		{"another CN", cert(pkix.Name{CommonName: "other.example.org"}, x509.KeyUsageDigitalSignature, "ss1.example.org"), xroad.UsageAuthentication, xroad.CodeInvalidCertificate},
		{"no key usage extension", cert(pkix.Name{}, 0, "ss1.example.org"), xroad.UsageAuthentication, xroad.CodeInvalidCertificate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Usage(tc.cert, tc.keyUsage)
			if tc.code != "" {
				assertCode(t, err, tc.code)
				return
			}
			if err != nil || got != tc.keyUsage {
				t.Errorf("Usage = %s, %v; want %s", got, err, tc.keyUsage)
			}
		})
	}

	withIP := create(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature, IPAddresses: []net.IP{net.ParseIP("192.0.2.7")}}, ca, newKey(t).Public(), nil)
	owner := profileParams.Member
	for _, tc := range []struct {
		name      string
		cert      *x509.Certificate
		addresses []string
		ok        bool
	}{
		{"the server's name", digital, []string{"SS1.EXAMPLE.ORG."}, true},
		{"one of the owner's servers", digital, []string{"ss2.example.org", "ss1.example.org"}, true},
		{"the server's IP address", withIP, []string{"192.0.2.7"}, true},
		{"another server", digital, []string{"ss2.example.org"}, false},
		{"no address known", digital, nil, false},
	} {
		id, err := p.SignMember(tc.cert, "DEV", MemberClaim{Member: owner, Addresses: tc.addresses})
		if tc.ok != (err == nil) || (tc.ok && id != owner) {
			t.Errorf("%s: SignMember = %v, %v", tc.name, id, err)
		}
		if !tc.ok {
			assertCode(t, err, xroad.CodeInvalidCertificate)
		}
	}
}
