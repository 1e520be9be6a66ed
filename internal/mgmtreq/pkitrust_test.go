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

	t.Run("DecodeMemberID", func(t *testing.T) {
		id, err := trust.DecodeMemberID(parse(owner))
		if err != nil || id != testOwner {
			t.Errorf("DecodeMemberID = %v, %v; want %v", id, err, testOwner)
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
