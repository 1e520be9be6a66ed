package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/pki/pkitest"
	"github.com/roadreg/roadreg/internal/xroad"
)

// testCA is a small CA for building test certificates.
type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

var serialCounter int64 = 1000

func newKey(t testing.TB) *ecdsa.PrivateKey { return pkitest.Key(t) }

// create signs tmpl for pub with parent (self-signed when parent is nil).
func create(t testing.TB, tmpl *x509.Certificate, parent *testCA, pub crypto.PublicKey, self crypto.Signer) *x509.Certificate {
	t.Helper()
	serialCounter++
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(serialCounter)
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = time.Now().Add(-time.Hour)
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	}
	if parent != nil {
		return pkitest.Issue(t, tmpl, parent.cert, pub, parent.key)
	}
	return pkitest.Issue(t, tmpl, nil, pub, self)
}

func newTestCA(t testing.TB, name string) *testCA {
	t.Helper()
	key := newKey(t)
	cert := create(t, &x509.Certificate{
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-24 * time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}, nil, key.Public(), key)
	return &testCA{cert: cert, key: key}
}

// intermediate makes a sub-CA issued by ca.
func (ca *testCA) intermediate(t testing.TB, name string) *testCA {
	t.Helper()
	key := newKey(t)
	cert := create(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: name}, KeyUsage: x509.KeyUsageCertSign,
		BasicConstraintsValid: true, IsCA: true,
	}, ca, key.Public(), nil)
	return &testCA{cert: cert, key: key}
}

// leaf issues a certificate from tmpl; tmpl gets a default subject.
func (ca *testCA) leaf(t testing.TB, tmpl *x509.Certificate) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	key := newKey(t)
	if tmpl.Subject.CommonName == "" {
		tmpl.Subject = pkix.Name{Country: []string{"DEV"}, CommonName: "ss1"}
	}
	return create(t, tmpl, ca, key.Public(), nil), key
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	if !xroad.IsCode(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}
