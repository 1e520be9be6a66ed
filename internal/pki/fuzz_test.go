package pki

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func FuzzParseCertificate(f *testing.F) {
	ca := newTestCA(f, "Fuzz CA")
	cert, _ := ca.leaf(f, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature})
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	for _, seed := range [][]byte{
		cert.Raw, pemData, []byte(base64.StdEncoding.EncodeToString(cert.Raw)),
		[]byte(base64.StdEncoding.EncodeToString(pemData)), []byte("-----BEGIN CERTIFICATE-----\n"), {}, {0x30, 0x82},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCertificate(data)
		if err != nil {
			if c != nil {
				t.Fatal("certificate and error")
			}
			return
		}
		again, err := ParseCertificate(c.Raw)
		if err != nil || !bytes.Equal(again.Raw, c.Raw) {
			t.Fatalf("DER of a parsed certificate does not parse back: %v", err)
		}
		_, _ = CertUsage(c)
		_ = SubjectDN(c)
	})
}

func FuzzParseCSR(f *testing.F) {
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{Country: []string{"DEV"}, CommonName: "ss1"}}, newKey(f))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{
		der, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), []byte("garbage"), {},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		csr, err := ParseCSR(data)
		if err != nil {
			return
		}
		if csr.CheckSignature() != nil {
			t.Fatal("ParseCSR accepted a request whose signature does not verify")
		}
		_ = (Profile{}).CheckSubject(xroad.UsageAuthentication, csr.Subject, "DEV")
	})
}
