package testca

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

// newCA creates a CA in a fresh directory.
func newCA(t *testing.T, opts InitOptions) *CA {
	t.Helper()
	ca, err := Init(t.TempDir(), opts)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	return ca
}

func ecKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// sharedRSAKey is one RSA-2048 key for the whole test binary.
func sharedRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return rsaKey
}

// makeCSR returns a DER CSR for subject signed by key.
func makeCSR(t *testing.T, key crypto.Signer, subject pkix.Name) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: subject}, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func authSubject(instance, server string) pkix.Name {
	return pkix.Name{Country: []string{instance}, CommonName: server}
}

func signSubject(instance, class, code string) pkix.Name {
	return pkix.Name{Country: []string{instance}, Organization: []string{class}, CommonName: code}
}

func pemCSR(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openssl runs the openssl binary in dir and returns stdout+stderr.
func openssl(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func indexBytes(t *testing.T, ca *CA) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ca.Dir(), fileIndex))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	if !xroad.IsCode(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func assertIndexUnchanged(t *testing.T, ca *CA, before []byte) {
	t.Helper()
	if after := indexBytes(t, ca); !bytes.Equal(before, after) {
		t.Fatalf("index changed:\nbefore %s\nafter  %s", before, after)
	}
}
