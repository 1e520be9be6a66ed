package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/viewer"
)

// isSessionCookie reports whether a cookie is a Roadreg session cookie (of
// either server role, with or without the __Host- prefix).
func isSessionCookie(name string) bool {
	return strings.HasPrefix(strings.TrimPrefix(name, "__Host-"), "roadreg_") && strings.HasSuffix(name, "_session")
}

// sessionToken returns the token of the session cookie in a Cookie header.
func sessionToken(header string) string {
	for _, part := range strings.Split(header, "; ") {
		if name, value, ok := strings.Cut(part, "="); ok && isSessionCookie(name) {
			return value
		}
	}
	return ""
}

// request sends method path to srv with a Host header and an Origin (when
// not empty) and returns the status and response.
func request(t *testing.T, client *http.Client, srv *testServer, method, path, host, origin string) *http.Response {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"query":"{ serverInfo { role } }"}`)
	}
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Host = host
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// DNS rebinding: a page on a foreign host name resolving to the server
// reaches none of the browser-facing endpoints, while the machine
// endpoints answer any Host; the configured names and the loopback names
// on the listen port work.
func TestBrowserSurfaceHostCheck(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central, func(c *config) {
		c.PublicURL = "https://cs.example.org"
		c.AllowedHosts = []string{"admin.example", "10.0.0.5:8443"}
		c.AllowedOrigins = []string{"http://127.0.0.1:5173"}
	})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	client := &http.Client{Timeout: 30 * time.Second}
	status := func(method, path, host, origin string) int {
		return request(t, client, srv, method, path, host, origin).StatusCode
	}
	foreign := "rebound.example:" + port
	for _, c := range []struct{ method, path string }{
		{http.MethodPost, "/graphql"}, {http.MethodGet, "/graphql?query=%7BserverInfo%7Brole%7D%7D"},
		{http.MethodPost, "/auth/login"}, {http.MethodPost, "/auth/logout"}, {http.MethodGet, "/"},
		{http.MethodGet, "/members"}, {http.MethodGet, "/configuration-anchor.xml"},
	} {
		if got := status(c.method, c.path, foreign, ""); got != http.StatusMisdirectedRequest {
			t.Errorf("%s %s with Host %s: %d, want 421", c.method, c.path, foreign, got)
		}
	}
	for _, path := range []string{"/healthz", "/metrics", "/internalconf", "/managementservice/"} {
		if got := request(t, client, srv, http.MethodGet, path, foreign, ""); got.StatusCode == http.StatusMisdirectedRequest {
			t.Errorf("machine endpoint %s refused Host %s", path, foreign)
		}
	}
	for host, want := range map[string]int{
		"127.0.0.1:" + port: http.StatusOK, "localhost:" + port: http.StatusOK, "[::1]:" + port: http.StatusOK,
		"LOCALHOST:" + port: http.StatusOK, "cs.example.org": http.StatusOK, "admin.example:1234": http.StatusOK,
		"10.0.0.5:8443": http.StatusOK, "10.0.0.5:8080": http.StatusMisdirectedRequest,
		"localhost:1": http.StatusMisdirectedRequest, "127.0.0.2:" + port: http.StatusMisdirectedRequest,
	} {
		if got := status(http.MethodPost, "/graphql", host, ""); got != want {
			t.Errorf("POST /graphql with Host %q: %d, want %d", host, got, want)
		}
	}
	// The public URL is a trusted origin (a TLS proxy in front); a foreign
	// origin is refused even under an allowed host.
	if got := status(http.MethodPost, "/graphql", "cs.example.org", "https://cs.example.org"); got != http.StatusOK {
		t.Errorf("the public URL's origin: %d", got)
	}
	if got := status(http.MethodPost, "/graphql", "127.0.0.1:"+port, "http://rebound.example:"+port); got != http.StatusForbidden {
		t.Errorf("a foreign origin: %d, want 403", got)
	}
	if got := status(http.MethodPost, "/graphql", "127.0.0.1:"+port, "http://127.0.0.1:"+port); got != http.StatusOK {
		t.Errorf("the server's own origin: %d", got)
	}
	// A development proxy of an allowed origin keeps the browser's Host.
	if got := status(http.MethodPost, "/graphql", "127.0.0.1:5173", "http://127.0.0.1:5173"); got != http.StatusOK {
		t.Errorf("through the allowed origin's proxy: %d", got)
	}
}

// Both kinds of server on one host (as in the demo) keep their own
// session cookie: a browser logged in to both stays logged in to both.
func TestSessionCookiePerServerRole(t *testing.T) {
	t.Parallel()
	cs, ss := startServer(t, viewer.Central), startServer(t, viewer.Security)
	browser := cs.user(t, "alice", viewer.SecurityOfficer)
	if _, err := ss.app.auth.AddUser(viewer.SystemContext(context.Background(), viewer.Security), "alice", testPassword, []string{"SECURITY_OFFICER"}, false); err != nil {
		t.Fatal(err)
	}
	onSS := &gqlClient{base: ss.URL, http: browser.http}
	if status, body := onSS.login(t, "alice", testPassword); status != http.StatusOK {
		t.Fatalf("login: %d %s", status, body)
	}
	if !browser.loggedIn(t) || !onSS.loggedIn(t) {
		t.Fatal("logging in to one server logged the browser out of the other")
	}
	u, _ := url.Parse(cs.URL)
	var names []string
	for _, c := range browser.http.Jar.Cookies(u) {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"roadreg_cs_session", "roadreg_ss_session"}) {
		t.Fatalf("cookies: %v", names)
	}
}

// Under TLS the session cookie is a __Host- cookie (Secure, Path=/, no
// Domain) and responses carry HSTS; without TLS neither.
func TestTLSSessionCookieAndHSTS(t *testing.T) {
	t.Parallel()
	certFile, keyFile, pool := selfSignedTLS(t)
	srv := startServer(t, viewer.Security, func(c *config) { c.TLSCert, c.TLSKey = certFile, keyFile })
	srv.URL = strings.Replace(srv.URL, "http://", "https://", 1)
	tlsClient := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	plain := startServer(t, viewer.Security)
	for _, c := range []struct {
		srv    *testServer
		client *http.Client
		cookie string
		hsts   bool
	}{
		{srv, tlsClient, "__Host-roadreg_ss_session", true},
		{plain, &http.Client{Timeout: 30 * time.Second}, "roadreg_ss_session", false},
	} {
		if _, err := c.srv.app.auth.AddUser(viewer.SystemContext(context.Background(), viewer.Security), "alice", testPassword, []string{"SECURITY_OFFICER"}, false); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(map[string]string{"username": "alice", "password": testPassword})
		resp, err := c.client.Post(c.srv.URL+"/auth/login", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cookies := resp.Cookies()
		if resp.StatusCode != http.StatusOK || len(cookies) != 1 {
			t.Fatalf("login: %d %v", resp.StatusCode, resp.Header)
		}
		ck := cookies[0]
		if ck.Name != c.cookie || ck.Secure != c.hsts || ck.Path != "/" || ck.Domain != "" || !ck.HttpOnly {
			t.Errorf("cookie %+v, want %s", ck, c.cookie)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); (got != "") != c.hsts {
			t.Errorf("Strict-Transport-Security %q (TLS: %v)", got, c.hsts)
		}
	}
}

// selfSignedTLS writes a certificate and key for 127.0.0.1 and returns
// their files and a pool trusting the certificate.
func selfSignedTLS(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
