package main

// A test PKI for GraphQL-level tests: the built-in test CA (with its OCSP
// responder and TSA) served on loopback, and helpers that make keys, CSRs
// and certificates the way a security server and a CA would.

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/pki/testca"
	"github.com/roadreg/roadreg/internal/xroad"
	"golang.org/x/crypto/ocsp"
)

type testPKI struct {
	ca  *testca.CA
	srv *httptest.Server
}

// newTestPKI starts the test CA for instance on 127.0.0.1.
func newTestPKI(t testing.TB, instance string) *testPKI {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ca, err := testca.Init(t.TempDir(), testca.InitOptions{Instance: instance, BaseURL: "http://" + l.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(ca.Handler())
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return &testPKI{ca: ca, srv: srv}
}

func (p *testPKI) caPEM() string { return pemCert(p.ca.Certificate().Raw) }

func pemCert(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// keyAndCert makes an EC key and has the CA issue a certificate for it with
// the given profile ("auth" or "sign") and subject.
func (p *testPKI) keyAndCert(t testing.TB, profile string, subject pkix.Name) (crypto.Signer, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject}, key)
	if err != nil {
		t.Fatal(err)
	}
	der, err := p.ca.Sign(csr, profile, 30)
	if err != nil {
		t.Fatalf("CA signing %s certificate: %v", profile, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, c
}

// authCert issues an authentication certificate for a server.
func (p *testPKI) authCert(t testing.TB, id xroad.ServerID) (crypto.Signer, *x509.Certificate) {
	return p.keyAndCert(t, "auth", pki.Profile{}.AuthSubject(id.Owner.Instance, id.ServerCode))
}

// signCert issues a signing certificate for a member.
func (p *testPKI) signCert(t testing.TB, member xroad.ClientID) (crypto.Signer, *x509.Certificate) {
	return p.keyAndCert(t, "sign", pki.Profile{}.SignSubject(member))
}

// sanCert issues a certificate of the SAN-only profile (testca's "san")
// naming host.
func (p *testPKI) sanCert(t testing.TB, host string) (crypto.Signer, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{DNSNames: []string{host}}, key)
	if err != nil {
		t.Fatal(err)
	}
	der, err := p.ca.Sign(csr, testca.ProfileSAN, 30)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, c
}

// ocsp fetches a fresh OCSP response for cert from the CA's responder.
func (p *testPKI) ocsp(t testing.TB, cert *x509.Certificate) []byte {
	t.Helper()
	_, der, err := pki.FetchOCSP(context.Background(), http.DefaultClient, p.ca.OCSPURL(), cert, p.ca.Certificate())
	if err != nil {
		t.Fatalf("OCSP: %v", err)
	}
	return der
}

// caKey reads a private key (PKCS#8 PEM) from the test CA's folder.
func caKey(t testing.TB, ca *testca.CA, name string) crypto.Signer {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ca.Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatalf("%s holds no PEM block", name)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(crypto.Signer)
}

// staleOCSP makes a GOOD OCSP response for cert that is two hours old
// (older than X-Road's ocspFreshnessSeconds), signed by the CA's responder.
func staleOCSP(t testing.TB, p *testPKI, cert *x509.Certificate) []byte {
	t.Helper()
	then := time.Now().Add(-2 * time.Hour)
	der, err := ocsp.CreateResponse(p.ca.Certificate(), p.ca.OCSPCertificate(), ocsp.Response{
		Status: ocsp.Good, SerialNumber: cert.SerialNumber, ThisUpdate: then, NextUpdate: then.Add(time.Hour),
		Certificate: p.ca.OCSPCertificate(),
	}, caKey(t, p.ca, "ocsp.key"))
	if err != nil {
		t.Fatal(err)
	}
	return der
}
