package testca

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
)

// These tests check the CA's certificates, OCSP and timestamp
// responses independently, with the real openssl binary.

func TestOpenSSLAcceptsIssuedCertificates(t *testing.T) {
	testenv.NeedTool(t, "openssl")
	ca := newCA(t, InitOptions{BaseURL: "http://127.0.0.1:8899"})
	dir := t.TempDir()
	writeFile(t, dir, "ca.pem", certPEM(ca.Certificate().Raw))
	authEKU := "TLS Web Client Authentication, TLS Web Server Authentication"
	for _, tc := range []struct {
		name    string
		csr     []byte
		profile string
		want    []string
		notWant []string
	}{
		{"auth EC", makeCSR(t, ecKey(t), authSubject("DEV", "ss1")), ProfileAuth,
			[]string{"Subject: C = DEV, CN = ss1", "X509v3 Key Usage: critical\n                Digital Signature\n", authEKU},
			[]string{"Non Repudiation", "Key Encipherment"}},
		{"auth RSA", makeCSR(t, sharedRSAKey(t), authSubject("DEV", "ss2")), ProfileAuth,
			[]string{"Subject: C = DEV, CN = ss2", "Digital Signature, Key Encipherment\n", authEKU, "Public-Key: (2048 bit)"},
			[]string{"Non Repudiation"}},
		{"sign EC", makeCSR(t, ecKey(t), signSubject("DEV", "GOV", "1234")), ProfileSign,
			[]string{"Subject: C = DEV, O = GOV, CN = 1234", "X509v3 Key Usage: critical\n                Non Repudiation\n"},
			[]string{"Digital Signature", "Extended Key Usage"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			der, err := ca.Sign(tc.csr, tc.profile, 0)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "cert.pem", certPEM(der))
			out, err := openssl(t, dir, "verify", "-CAfile", "ca.pem", "cert.pem")
			if err != nil || strings.TrimSpace(out) != "cert.pem: OK" {
				t.Errorf("openssl verify: %v\n%s", err, out)
			}
			text, err := openssl(t, dir, "x509", "-in", "cert.pem", "-noout", "-text")
			if err != nil {
				t.Fatalf("openssl x509 -text: %v\n%s", err, text)
			}
			want := append(tc.want, "OCSP - URI:http://127.0.0.1:8899/testca/ocsp", "Issuer: O = Roadreg test PKI, CN = Roadreg Test CA")
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("openssl x509 -text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(text, w) {
					t.Errorf("openssl x509 -text shows %q:\n%s", w, text)
				}
			}
			uri, err := openssl(t, dir, "x509", "-in", "cert.pem", "-noout", "-ocsp_uri")
			if err != nil || strings.TrimSpace(uri) != "http://127.0.0.1:8899/testca/ocsp" {
				t.Errorf("openssl x509 -ocsp_uri: %v %q", err, uri)
			}
		})
	}
}

func TestOpenSSLShowsCAExtensions(t *testing.T) {
	testenv.NeedTool(t, "openssl")
	ca := newCA(t, InitOptions{})
	for _, tc := range []struct {
		file string
		want []string
	}{
		{fileCACert, []string{"CA:TRUE", "Certificate Sign, CRL Sign"}},
		{fileOCSPCert, []string{"OCSP Signing", "OCSP No Check", "CA:FALSE"}},
		{fileTSACert, []string{"X509v3 Extended Key Usage: critical\n                Time Stamping\n", "CA:FALSE"}},
	} {
		text, err := openssl(t, ca.Dir(), "x509", "-in", tc.file, "-noout", "-text")
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.file, err, text)
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", tc.file, w, text)
			}
		}
		if tc.file != fileCACert {
			if out, err := openssl(t, ca.Dir(), "verify", "-CAfile", fileCACert, tc.file); err != nil {
				t.Errorf("openssl verify %s: %v\n%s", tc.file, err, out)
			}
		}
	}
}

func TestOpenSSLOCSP(t *testing.T) {
	testenv.NeedTool(t, "openssl")
	ca, srv := newServer(t, InitOptions{})
	dir := t.TempDir()
	writeFile(t, dir, "ca.pem", certPEM(ca.Certificate().Raw))
	der, err := ca.Sign(makeCSR(t, ecKey(t), signSubject("DEV", "GOV", "1234")), ProfileSign, 0)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "cert.pem", certPEM(der))
	query := func() string {
		out, err := openssl(t, dir, "ocsp", "-issuer", "ca.pem", "-cert", "cert.pem", "-url", srv.URL+PathOCSP, "-CAfile", "ca.pem")
		if err != nil {
			t.Fatalf("openssl ocsp: %v\n%s", err, out)
		}
		if !strings.Contains(out, "Response verify OK") {
			t.Errorf("openssl ocsp did not verify the response:\n%s", out)
		}
		return out
	}
	if out := query(); !strings.Contains(out, "cert.pem: good") || !strings.Contains(out, "Next Update:") {
		t.Errorf("before revocation:\n%s", out)
	}

	// Revoke through the CLI with the serial as openssl prints it.
	serial, err := openssl(t, dir, "x509", "-in", "cert.pem", "-noout", "-serial")
	if err != nil {
		t.Fatal(err)
	}
	serial = strings.TrimPrefix(strings.TrimSpace(serial), "serial=")
	var stdout, stderr bytes.Buffer
	if code := RunCLI(context.Background(), []string{"revoke", "--dir", ca.Dir(), "--serial", serial, "--reason", "1"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("roadreg ca revoke: exit %d: %s", code, stderr.String())
	}
	if out := query(); !strings.Contains(out, "cert.pem: revoked") || !strings.Contains(out, "Reason: keyCompromise") {
		t.Errorf("after revocation:\n%s", out)
	}
}

func TestOpenSSLTimestamp(t *testing.T) {
	testenv.NeedTool(t, "openssl")
	for _, alg := range []string{KeyEC, KeyRSA2048} {
		t.Run(alg, func(t *testing.T) {
			ca, srv := newServer(t, InitOptions{KeyAlgorithm: alg})
			dir := t.TempDir()
			writeFile(t, dir, "ca.pem", certPEM(ca.Certificate().Raw))
			writeFile(t, dir, "tsa.pem", certPEM(ca.TSACertificate().Raw))
			writeFile(t, dir, "data.txt", []byte("MEMBER_01 needs a timestamp\n"))
			if out, err := openssl(t, dir, "ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "q.tsq"); err != nil {
				t.Fatalf("openssl ts -query: %v\n%s", err, out)
			}
			query, err := os.ReadFile(filepath.Join(dir, "q.tsq"))
			if err != nil {
				t.Fatal(err)
			}
			res, reply := do(t, http.MethodPost, srv.URL+PathTSA, "application/timestamp-query", query)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/timestamp-reply" {
				t.Fatalf("TSA answered %s %q", res.Status, res.Header.Get(ErrorHeader))
			}
			writeFile(t, dir, "reply.tsr", reply)
			out, err := openssl(t, dir, "ts", "-verify", "-data", "data.txt", "-in", "reply.tsr", "-CAfile", "ca.pem", "-untrusted", "tsa.pem")
			if err != nil || !strings.Contains(out, "Verification: OK") {
				t.Errorf("openssl ts -verify: %v\n%s", err, out)
			}
			// The query asked for the certificate: it verifies without -untrusted too.
			out, err = openssl(t, dir, "ts", "-verify", "-queryfile", "q.tsq", "-in", "reply.tsr", "-CAfile", "ca.pem")
			if err != nil || !strings.Contains(out, "Verification: OK") {
				t.Errorf("openssl ts -verify -queryfile (nonce and imprint): %v\n%s", err, out)
			}
			// Different data must not verify.
			writeFile(t, dir, "other.txt", []byte("something else\n"))
			if out, err := openssl(t, dir, "ts", "-verify", "-data", "other.txt", "-in", "reply.tsr", "-CAfile", "ca.pem", "-untrusted", "tsa.pem"); err == nil {
				t.Errorf("openssl ts -verify accepted other data:\n%s", out)
			}
		})
	}
}
