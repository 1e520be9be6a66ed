package mgmtreq

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Identities of the test instance.
var (
	testNow      = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testOwner    = xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}
	testServer   = xroad.ServerID{Owner: testOwner, ServerCode: "SS1"}
	testProvider = xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "9000", SubsystemCode: "MANAGEMENT"}
	testAddress  = "ss1.example.org"
)

// testCA is a throwaway certification authority.
type testCA struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

func newTestCA(name string) *testCA {
	key := mustECKey()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{Organization: []string{"Roadreg Test"}, CommonName: name},
		NotBefore:             testNow.Add(-24 * time.Hour),
		NotAfter:              testNow.Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return &testCA{key: key, cert: cert}
}

var serial = struct {
	sync.Mutex
	n int64
}{n: 100}

func nextSerial() *big.Int {
	serial.Lock()
	defer serial.Unlock()
	serial.n++
	return big.NewInt(serial.n)
}

// issue makes a certificate for pub; adjust edits the template.
func (ca *testCA) issue(pub crypto.PublicKey, adjust func(*x509.Certificate)) []byte {
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(),
		NotBefore:    testNow.Add(-time.Hour),
		NotAfter:     testNow.Add(365 * 24 * time.Hour),
	}
	adjust(tmpl)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		panic(err)
	}
	return der
}

// authCert issues an authentication certificate C=DEV, CN=SS1.
func (ca *testCA) authCert(pub crypto.PublicKey) []byte {
	return ca.issue(pub, func(c *x509.Certificate) {
		c.Subject = pkix.Name{Country: []string{"DEV"}, CommonName: "SS1"}
		c.KeyUsage = x509.KeyUsageDigitalSignature
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}
	})
}

// signCert issues a signing certificate C=DEV, O=GOV, CN=<memberCode>.
func (ca *testCA) signCert(pub crypto.PublicKey, memberCode string) []byte {
	return ca.issue(pub, func(c *x509.Certificate) {
		c.Subject = pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: memberCode}
		c.KeyUsage = x509.KeyUsageContentCommitment
	})
}

// ocspResponse makes an OCSP response for certDER signed by the CA itself.
func (ca *testCA) ocspResponse(certDER []byte, status int, thisUpdate time.Time) []byte {
	return ca.ocspWith(certDER, func(r *ocsp.Response) {
		r.Status, r.ThisUpdate, r.NextUpdate = status, thisUpdate, thisUpdate.Add(24*time.Hour)
		if status == ocsp.Revoked {
			r.RevokedAt, r.RevocationReason = thisUpdate.Add(-time.Hour), ocsp.KeyCompromise
		}
	})
}

// ocspWith makes an OCSP response for certDER from a template that edit fills.
func (ca *testCA) ocspWith(certDER []byte, edit func(*ocsp.Response)) []byte {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		panic(err)
	}
	tmpl := ocsp.Response{SerialNumber: cert.SerialNumber}
	edit(&tmpl)
	der, err := ocsp.CreateResponse(ca.cert, ca.cert, tmpl, ca.key)
	if err != nil {
		panic(err)
	}
	return der
}

func mustECKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

// fixture is the shared test PKI, made once per test binary (RSA key
// generation is slow).
type fixture struct {
	ca, otherCA       *testCA
	ecAuth, ecOwner   *ecdsa.PrivateKey
	rsaAuth, rsaOwner *rsa.PrivateKey
	ecAuthCert        []byte
	ecOwnerCert       []byte
	ecOwnerOCSP       []byte
	rsaAuthCert       []byte
	rsaOwnerCert      []byte
	rsaOwnerOCSP      []byte
	trust             testTrust
}

var (
	fixtureOnce sync.Once
	rsaOnce     sync.Once
	theFixture  *fixture
)

// shared returns the shared test PKI with EC keys.
func shared() *fixture {
	fixtureOnce.Do(func() {
		f := &fixture{ca: newTestCA("Test CA"), otherCA: newTestCA("Other CA"), ecAuth: mustECKey(), ecOwner: mustECKey()}
		f.ecAuthCert = f.ca.authCert(f.ecAuth.Public())
		f.ecOwnerCert = f.ca.signCert(f.ecOwner.Public(), "1234")
		f.ecOwnerOCSP = f.ca.ocspResponse(f.ecOwnerCert, ocsp.Good, testNow.Add(-time.Minute))
		f.trust = testTrust{roots: []*x509.Certificate{f.ca.cert}, instance: "DEV", provider: testProvider, freshness: time.Hour}
		theFixture = f
	})
	return theFixture
}

// sharedRSA returns the shared test PKI with its RSA keys and certificates too
// (kept out of shared because RSA key generation is slow, very much so in
// instrumented fuzzing workers).
func sharedRSA() *fixture {
	f := shared()
	rsaOnce.Do(func() {
		var err error
		if f.rsaAuth, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if f.rsaOwner, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		f.rsaAuthCert = f.ca.authCert(f.rsaAuth.Public())
		f.rsaOwnerCert = f.ca.signCert(f.rsaOwner.Public(), "1234")
		f.rsaOwnerOCSP = f.ca.ocspResponse(f.rsaOwnerCert, ocsp.Good, testNow.Add(-time.Minute))
	})
	return f
}

// testRequest is a valid request for the shared identities.
func testRequest(authCert []byte) AuthCertReg {
	return AuthCertReg{
		Client:   testOwner,
		Service:  xroad.ServiceID{Client: testProvider, ServiceCode: ServiceCode},
		Server:   testServer,
		Address:  testAddress,
		AuthCert: authCert,
	}
}

// testTrust implements Trust with crypto/x509 and x/crypto/ocsp directly:
// CAs are trusted roots that issue end-entity certificates, the certificate
// profile is X-Road's default (C=instance, O=member class, CN=member code).
type testTrust struct {
	roots     []*x509.Certificate
	instance  string
	provider  xroad.ClientID
	freshness time.Duration
}

func (tt testTrust) issuer(cert *x509.Certificate) (*x509.Certificate, error) {
	for _, ca := range tt.roots {
		if bytes.Equal(ca.RawSubject, cert.RawIssuer) && cert.CheckSignatureFrom(ca) == nil {
			return ca, nil
		}
	}
	return nil, errors.New("the certificate is not issued by an approved certification authority")
}

func validAt(cert *x509.Certificate, now time.Time) error {
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return fmt.Errorf("the certificate is valid only from %s to %s", cert.NotBefore.Format(time.RFC3339), cert.NotAfter.Format(time.RFC3339))
	}
	return nil
}

func (tt testTrust) VerifyAuthCert(cert *x509.Certificate, now time.Time) error {
	if _, err := tt.issuer(cert); err != nil {
		return err
	}
	if err := validAt(cert, now); err != nil {
		return err
	}
	auth := cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment|x509.KeyUsageDataEncipherment) != 0
	for _, u := range cert.ExtKeyUsage {
		auth = auth || u == x509.ExtKeyUsageClientAuth
	}
	if !auth || cert.KeyUsage&x509.KeyUsageContentCommitment != 0 {
		return errors.New("the certificate is not an authentication certificate")
	}
	return nil
}

func (tt testTrust) VerifyOwnerCert(cert *x509.Certificate, ocspDER []byte, now time.Time) error {
	issuer, err := tt.issuer(cert)
	if err != nil {
		return err
	}
	if err := validAt(cert, now); err != nil {
		return err
	}
	if cert.KeyUsage&x509.KeyUsageContentCommitment == 0 {
		return errors.New("the certificate is not a signing certificate")
	}
	resp, err := ocsp.ParseResponseForCert(ocspDER, cert, issuer)
	if err != nil {
		return fmt.Errorf("OCSP response does not verify: %w", err)
	}
	if resp.Certificate != nil && !resp.Certificate.Equal(issuer) {
		delegated := false
		for _, u := range resp.Certificate.ExtKeyUsage {
			delegated = delegated || u == x509.ExtKeyUsageOCSPSigning
		}
		if !delegated {
			return errors.New("OCSP responder certificate lacks id-kp-OCSPSigning")
		}
	}
	switch {
	case resp.SerialNumber.Cmp(cert.SerialNumber) != 0:
		return errors.New("OCSP response is for another certificate")
	case resp.Status != ocsp.Good:
		return fmt.Errorf("OCSP status is %d, not good", resp.Status)
	case now.Sub(resp.ThisUpdate) > tt.freshness:
		return fmt.Errorf("OCSP response from %s is older than %s", resp.ThisUpdate.Format(time.RFC3339), tt.freshness)
	case !resp.NextUpdate.IsZero() && now.After(resp.NextUpdate):
		return errors.New("OCSP response has expired")
	}
	return nil
}

func (tt testTrust) SignMember(cert *x509.Certificate, _ pki.MemberClaim) (xroad.ClientID, error) {
	s := cert.Subject
	if len(s.Country) != 1 || len(s.Organization) != 1 || s.CommonName == "" {
		return xroad.ClientID{}, errors.New("subject must have exactly C, O and CN")
	}
	return xroad.ClientID{Instance: s.Country[0], MemberClass: s.Organization[0], MemberCode: s.CommonName}, nil
}

func (tt testTrust) Instance() string                          { return tt.instance }
func (tt testTrust) ManagementServiceProvider() xroad.ClientID { return tt.provider }

// assertXRoadError checks that err is an *xroad.Error with code and message.
func assertXRoadError(t *testing.T, err error, code, message string) {
	t.Helper()
	var xe *xroad.Error
	if !errors.As(err, &xe) {
		t.Fatalf("error = %v (%T), want *xroad.Error %s %q", err, err, code, message)
	}
	if xe.Code != code || xe.Message != message {
		t.Fatalf("error = %s %q, want %s %q", xe.Code, xe.Message, code, message)
	}
}

// buildDecoded builds the test request with the EC keys and decodes it.
func buildDecoded(t *testing.T) *Request {
	t.Helper()
	f := shared()
	body, ct, err := Build(testRequest(f.ecAuthCert), f.ecAuth, f.ecOwner, f.ecOwnerCert, f.ecOwnerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Decode(ct, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// requestParts are the MIME parts of r in X-Road's order.
func requestParts(r *Request) []mimePart {
	return []mimePart{
		{headers: []string{"Content-Type: text/xml; charset=UTF-8"}, body: r.SOAP},
		signaturePart(r.AuthSigAlg, r.AuthSig),
		signaturePart(r.OwnerSigAlg, r.OwnerSig),
		binaryPart(r.AuthCert),
		binaryPart(r.OwnerCert),
		binaryPart(r.OwnerOCSP),
	}
}
