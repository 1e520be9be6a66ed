package mgmtreq

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestPKITrustWithRealXRoadSample(t *testing.T) {
	body, tt := sample(t)
	trust := NewPKITrust(tt.roots, tt.instance, tt.provider, time.Hour)
	r, err := Decode(sampleContentType, body)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(r, trust, sampleTime); err != nil {
		t.Errorf("Verify at capture time: %v", err)
	}
	err = Verify(r, trust, sampleTime.Add(2*time.Hour))
	if xroad.CodeOf(err) != xroad.CodeManagementRequestOwnerCertificateInvalid {
		t.Errorf("Verify two hours later = %v, want %s (stale OCSP response)", err, xroad.CodeManagementRequestOwnerCertificateInvalid)
	}
	owner, err := x509.ParseCertificate(r.OwnerCert)
	if err != nil {
		t.Fatal(err)
	}
	status, _, err := pki.VerifyOCSPResponse(r.OwnerOCSP, owner, tt.roots[0], sampleTime, time.Hour)
	if err != nil || status != xroad.OcspGood {
		t.Errorf("sample OCSP response: %s, %v; want good", status, err)
	}
}

func TestPKITrust(t *testing.T) {
	f := shared()
	trust := NewPKITrust([]*x509.Certificate{f.ca.cert}, "DEV", testProvider, time.Hour)
	parse := func(der []byte) *x509.Certificate {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	expired := f.ca.issue(f.ecAuth.Public(), func(c *x509.Certificate) {
		c.Subject = pkix.Name{Country: []string{"DEV"}, CommonName: "SS1"}
		c.KeyUsage = x509.KeyUsageDigitalSignature
		c.NotBefore, c.NotAfter = testNow.Add(-48*time.Hour), testNow.Add(-24*time.Hour)
	})
	untrustedSign := f.otherCA.signCert(f.ecOwner.Public(), "1234")
	owner := f.ecOwnerCert
	fresh := testNow.Add(-time.Minute)

	authCases := []struct {
		name string
		cert []byte
		code string
	}{
		{"auth cert", f.ecAuthCert, ""},
		{"other CA", f.otherCA.authCert(f.ecAuth.Public()), xroad.CodeCertNotFromApprovedCA},
		{"expired", expired, xroad.CodeCertNotValid},
		{"signing cert", owner, xroad.CodeWrongCertUsage},
	}
	for _, c := range authCases {
		t.Run("VerifyAuthCert/"+c.name, func(t *testing.T) {
			if got := xroad.CodeOf(trust.VerifyAuthCert(parse(c.cert), testNow)); got != c.code {
				t.Errorf("code = %q, want %q", got, c.code)
			}
		})
	}

	ownerCases := []struct {
		name          string
		cert, ocspDER []byte
		code, message string
	}{
		{"good", owner, f.ecOwnerOCSP, "", ""},
		{"revoked", owner, f.ca.ocspResponse(owner, ocsp.Revoked, fresh), xroad.CodeOcspVerificationFailed, "the OCSP response says the certificate is revoked"},
		{"suspended", owner, f.ca.ocspWith(owner, func(r *ocsp.Response) {
			r.Status, r.ThisUpdate, r.RevokedAt, r.RevocationReason = ocsp.Revoked, fresh, fresh, ocsp.CertificateHold
		}), xroad.CodeOcspVerificationFailed, "the OCSP response says the certificate is suspended"},
		{"unknown", owner, f.ca.ocspResponse(owner, ocsp.Unknown, fresh), xroad.CodeOcspVerificationFailed, "the OCSP responder does not know the certificate"},
		{"stale", owner, f.ca.ocspResponse(owner, ocsp.Good, testNow.Add(-2*time.Hour)), xroad.CodeOcspVerificationFailed, ""},
		{"OCSP of another certificate", owner, f.ca.ocspResponse(f.ecAuthCert, ocsp.Good, fresh), xroad.CodeOcspVerificationFailed, ""},
		{"OCSP signed by another CA", owner, f.otherCA.ocspWith(owner, func(r *ocsp.Response) { r.Status, r.ThisUpdate = ocsp.Good, fresh }), xroad.CodeOcspVerificationFailed, ""},
		{"other CA", untrustedSign, f.ca.ocspResponse(untrustedSign, ocsp.Good, fresh), xroad.CodeCertNotFromApprovedCA, ""},
		{"auth cert", f.ecAuthCert, f.ca.ocspResponse(f.ecAuthCert, ocsp.Good, fresh), xroad.CodeWrongCertUsage, "the certificate is an authentication certificate, not a signing certificate"},
	}
	for _, c := range ownerCases {
		t.Run("VerifyOwnerCert/"+c.name, func(t *testing.T) {
			err := trust.VerifyOwnerCert(parse(c.cert), c.ocspDER, testNow)
			if got := xroad.CodeOf(err); got != c.code {
				t.Fatalf("error = %v, want code %q", err, c.code)
			}
			if c.message != "" {
				assertXRoadError(t, err, c.code, c.message)
			}
		})
	}

	t.Run("SignMember", func(t *testing.T) {
		id, err := trust.SignMember(parse(owner), pki.MemberClaim{})
		if err != nil || id != testOwner {
			t.Errorf("SignMember = %v, %v; want %v", id, err, testOwner)
		}
	})

	t.Run("Verify round trip", func(t *testing.T) {
		r := buildDecoded(t)
		if err := Verify(r, trust, testNow); err != nil {
			t.Errorf("Verify: %v", err)
		}
	})

	t.Run("Verify with revoked owner", func(t *testing.T) {
		r := signedRequest(t, func(in *signInput) { in.ownerOCSP = f.ca.ocspResponse(owner, ocsp.Revoked, fresh) })
		assertXRoadError(t, Verify(r, trust, testNow), xroad.CodeManagementRequestOwnerCertificateInvalid,
			"Owner certificate is invalid: the OCSP response says the certificate is revoked")
	})
}

// TestPKITrustSANOnlyProfile: certificates of a CA with the SAN-only
// profile are the kind the request uses them as (the profile's Usage with
// the expected usage), and the owner's signing certificate belongs to the
// owner when it names the request's address or a registered address of one
// of the owner's servers (check 12).
func TestPKITrustSANOnlyProfile(t *testing.T) {
	acme := newTestCA("ACME CA")
	authKey, ownerKey := mustECKey(), mustECKey()
	sanCert := func(pub any, names ...string) []byte {
		return acme.issue(pub, func(c *x509.Certificate) {
			c.Subject, c.KeyUsage, c.DNSNames = pkix.Name{}, x509.KeyUsageDigitalSignature, names
		})
	}
	authCert, ownerCert := sanCert(authKey.Public(), testAddress), sanCert(ownerKey.Public(), testAddress)
	ownerOCSP := acme.ocspResponse(ownerCert, ocsp.Good, testNow.Add(-time.Minute))
	registered := map[xroad.ClientID][]string{testOwner: {"ss0.example.org"}}
	trust := NewPKITrust([]*x509.Certificate{acme.cert}, "DEV", testProvider, time.Hour,
		WithProfile(acme.cert, pki.SANOnlyProfile{}), WithServerAddresses(func(o xroad.ClientID) []string { return registered[o] }))

	verify := func(req AuthCertReg, ownerCert, ownerOCSP []byte) error {
		t.Helper()
		body, ct, err := Build(req, authKey, ownerKey, ownerCert, ownerOCSP, 0)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Decode(ct, body)
		if err != nil {
			t.Fatal(err)
		}
		return Verify(r, trust, testNow)
	}
	if err := verify(testRequest(authCert), ownerCert, ownerOCSP); err != nil {
		t.Fatalf("the owner's certificate names the request's address: %v", err)
	}
	// A certificate naming another of the owner's registered servers (the
	// request registers a second server) belongs to the owner too.
	second := testRequest(authCert)
	second.Address = "ss2.example.org"
	registeredCert := sanCert(ownerKey.Public(), "ss0.example.org")
	if err := verify(second, registeredCert, acme.ocspResponse(registeredCert, ocsp.Good, testNow.Add(-time.Minute))); err != nil {
		t.Errorf("the owner's certificate names a registered server: %v", err)
	}
	// Another host: its holder proved control of a host that is neither
	// this server nor a server of the owner.
	foreign := sanCert(ownerKey.Public(), "elsewhere.example.org")
	err := verify(testRequest(authCert), foreign, acme.ocspResponse(foreign, ocsp.Good, testNow.Add(-time.Minute)))
	if xroad.CodeOf(err) != xroad.CodeManagementRequestOwnerIdentifierMismatch {
		t.Errorf("a certificate naming another host: %v, want %s", err, xroad.CodeManagementRequestOwnerIdentifierMismatch)
	}
	// The default profile still applies to other CAs: the SAN-only reading
	// is the ACME CA's alone.
	f := shared()
	mixed := NewPKITrust([]*x509.Certificate{acme.cert, f.ca.cert}, "DEV", testProvider, time.Hour, WithProfile(acme.cert, pki.SANOnlyProfile{}))
	if id, err := mixed.SignMember(mustParse(t, f.ecOwnerCert), pki.MemberClaim{}); err != nil || id != testOwner {
		t.Errorf("a default-profile certificate beside a SAN-only CA: %v, %v", id, err)
	}
	if err := mixed.VerifyAuthCert(mustParse(t, ownerCert), testNow); err != nil {
		t.Errorf("a SAN-only certificate used as an authentication certificate: %v", err)
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
