package pki

import (
	"bytes"
	"crypto/x509"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
)

// authCertRegSample holds the certificates and OCSP response of X-Road's
// sample authCertReg request (samples/authcertreg in the X-Road fixtures).
type authCertRegSample struct {
	ca, authCert, signCert *x509.Certificate
	ocsp                   []byte // OCSP response for signCert
}

func loadAuthCertReg(t *testing.T) authCertRegSample {
	t.Helper()
	dir := testenv.Sample(t, "authcertreg")
	msg, err := os.ReadFile(filepath.Join(dir, "testauthregrequest.msg"))
	if err != nil {
		t.Fatalf("authCertReg sample not readable: %v", err)
	}
	var parts [][]byte
	r := multipart.NewReader(bytes.NewReader(msg), "jetty977554054l1bu2no0")
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, data)
	}
	if len(parts) != 6 {
		t.Fatalf("sample has %d parts, want 6", len(parts))
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	var s authCertRegSample
	for _, c := range []struct {
		dst  **x509.Certificate
		data []byte
	}{{&s.ca, caPEM}, {&s.authCert, parts[3]}, {&s.signCert, parts[4]}} {
		if *c.dst, err = ParseCertificate(c.data); err != nil {
			t.Fatal(err)
		}
	}
	s.ocsp = parts[5]
	return s
}
