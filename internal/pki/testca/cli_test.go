package testca

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// run runs RunCLI and returns exit code, stdout and stderr.
func run(stdin string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := RunCLI(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCLIRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	code, out, errOut := run("", "init", "--dir", dir, "--instance", "CS0", "--name", "CLI CA", "--base-url", "http://127.0.0.1:18899")
	if code != 0 || !strings.Contains(out, `"CLI CA" for instance CS0`) || !strings.Contains(out, "http://127.0.0.1:18899/testca/ocsp") {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = run("", "init", "--dir", dir)
	if code != 1 || !strings.Contains(errOut, "already holds a test CA") {
		t.Errorf("second init: exit %d, stderr %q", code, errOut)
	}

	csrFile := writeFile(t, t.TempDir(), "auth.csr", pemCSR(makeCSR(t, ecKey(t), authSubject("CS0", "ss1"))))
	code, out, errOut = run("", "sign", "--dir", dir, "--profile", "auth", "--csr", csrFile, "--days", "30")
	if code != 0 {
		t.Fatalf("sign --csr FILE: exit %d: %s", code, errOut)
	}
	authCert, err := pki.ParseCertificate([]byte(out))
	if err != nil || !strings.HasPrefix(out, "-----BEGIN CERTIFICATE-----") {
		t.Fatalf("sign printed no PEM certificate: %v\n%s", err, out)
	}
	if u, _ := pki.CertUsage(authCert); u != xroad.UsageAuthentication {
		t.Errorf("usage %q", u)
	}

	// DER on standard input.
	code, out, errOut = run(string(makeCSR(t, ecKey(t), signSubject("CS0", "GOV", "1234"))), "sign", "--dir", dir, "--profile", "sign", "--csr", "-")
	if code != 0 {
		t.Fatalf("sign --csr -: exit %d: %s", code, errOut)
	}
	signCert, err := pki.ParseCertificate([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if id, err := (pki.Profile{}).DecodeSignMemberID(signCert); err != nil || id.String() != "CS0/GOV/1234" {
		t.Errorf("member id %v, %v", id, err)
	}

	code, _, errOut = run("", "sign", "--dir", dir, "--profile", "sign", "--csr", csrFile)
	if code != 1 || !strings.Contains(errOut, "attribute O is missing") {
		t.Errorf("sign with an auth subject under the sign profile: exit %d, stderr %q", code, errOut)
	}

	serial := strings.ToUpper(authCert.SerialNumber.Text(16))
	code, out, errOut = run("", "revoke", "--dir", dir, "--serial", serial, "--reason", "6")
	if code != 0 || !strings.Contains(out, "Revoked certificate") {
		t.Fatalf("revoke: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = run("", "revoke", "--dir", dir, "--serial", serial)
	if code != 1 || !strings.Contains(errOut, "already revoked") {
		t.Errorf("second revoke: exit %d, stderr %q", code, errOut)
	}
	ca, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := ca.Status(authCert.SerialNumber); err != nil || e.Status != StatusRevoked || e.Reason != 6 {
		t.Errorf("status after revoke: %+v, %v", e, err)
	}
	if e, err := ca.Status(signCert.SerialNumber); err != nil || e.Status != StatusGood {
		t.Errorf("sign certificate: %+v, %v", e, err)
	}
}

func TestCLIUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		noStdout bool
	}{
		{"no command", nil, 2, "", "Usage: roadreg ca <command>", true},
		{"help", []string{"--help"}, 0, "Usage: roadreg ca <command>", "", false},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`, true},
		{"init without dir", []string{"init"}, 2, "", "--dir is required", true},
		{"init extra argument", []string{"init", "--dir", dir, "extra"}, 2, "", `unexpected argument "extra"`, true},
		{"init unknown flag", []string{"init", "--dir", dir, "--colour", "red"}, 2, "", "flag provided but not defined", true},
		{"init bad key algorithm", []string{"init", "--dir", dir, "--key-algorithm", "DSA"}, 1, "", "Unknown key algorithm", true},
		{"sign help", []string{"sign", "--help"}, 0, "-profile", "", false},
		{"sign without profile", []string{"sign", "--dir", dir, "--csr", "x"}, 2, "", "--profile is required", true},
		{"sign bad profile", []string{"sign", "--dir", dir, "--csr", "x", "--profile", "tls"}, 2, "", "Unknown certificate profile", true},
		{"sign without CA", []string{"sign", "--dir", dir, "--csr", "x", "--profile", "auth"}, 1, "", "holds no test CA", true},
		{"revoke bad reason", []string{"revoke", "--dir", dir, "--serial", "1", "--reason", "x"}, 2, "", "invalid value", true},
		{"serve without dir", []string{"serve"}, 2, "", "--dir is required", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run("", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stdout %q\nstderr %q\nwant %q / %q", out, errOut, tc.stdout, tc.stderr)
			}
			if tc.noStdout && out != "" {
				t.Errorf("unexpected stdout %q", out)
			}
		})
	}
}

func TestCLIServe(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run("", "init", "--dir", dir); code != 0 {
		t.Fatal(errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	exit := make(chan int, 1)
	go func() {
		exit <- RunCLI(ctx, []string{"serve", "--dir", dir, "--listen", "127.0.0.1:0"}, nil, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v (exit %d, stderr %s)", err, <-exit, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	base := line[strings.LastIndex(line, "http://"):]
	base = strings.TrimSpace(base)

	ca, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, body := do(t, http.MethodPost, base+PathSign+"?profile=auth", "", pemCSR(makeCSR(t, ecKey(t), authSubject("DEV", "ss1"))))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign: %s %s", res.Status, body)
	}
	cert, err := pki.ParseCertificate(body)
	if err != nil {
		t.Fatal(err)
	}
	status := func() xroad.OcspStatus {
		_, der, err := pki.FetchOCSP(ctx, http.DefaultClient, base+PathOCSP, cert, ca.Certificate())
		if err != nil {
			t.Fatal(err)
		}
		s, _, err := pki.VerifyOCSPResponse(der, cert, ca.Certificate(), time.Now(), 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := status(); s != xroad.OcspGood {
		t.Errorf("before revoke: %s", s)
	}
	if code, _, errOut := run("", "revoke", "--dir", dir, "--serial", cert.SerialNumber.Text(10)); code != 0 {
		t.Fatalf("revoke: %s", errOut)
	}
	if s := status(); s != xroad.OcspRevoked {
		t.Errorf("after revoke (by another process's view of the index): %s", s)
	}

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exited %d after cancel: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

func TestListenAddress(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8899": "127.0.0.1:8899",
		"http://localhost":      "localhost:80",
		"https://[::1]":         "[::1]:443",
	} {
		if got, err := listenAddress(in); err != nil || got != want {
			t.Errorf("listenAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
