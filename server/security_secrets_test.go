package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// recorder keeps every response body its clients receive.
type recorder struct {
	mu   sync.Mutex
	next http.RoundTripper
	all  bytes.Buffer
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.all.Write(body)
	r.all.WriteByte('\n')
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// record sends the clients' operations over HTTP through r: the bytes on
// the wire are what is scanned.
func (r *recorder) record(clients ...*gqlClient) {
	for _, c := range clients {
		c.http.Transport = r
		c.inProcess = nil
	}
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.all.String()
}

// syncBuffer is a log destination shared by the servers' goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Markers of private keys in text: PEM headers and the base64 openings of
// PKCS#8 (EC P-256, RSA), SEC 1 EC and PKCS#1 RSA private keys in DER.
var privateKeyMarkers = []string{
	"PRIVATE KEY", "MIGHAgEAMBMGByqGSM49", "ADANBgkqhkiG9w0BAQEFAASC", "MHcCAQEEI", "MIIEpAIBAAKCAQEA", "MIIEowIBAAKCAQEA",
}

// TestNoSecretsInLogsOrResponses runs MEMBER_01 on a real central server
// and security server in this process, with debug logging, wrong PINs,
// logins, an API key, the audit log and malformed requests carrying PINs
// and passwords, and finds no PIN, password, private key, session token or
// API key in any log line or GraphQL response.
func TestNoSecretsInLogsOrResponses(t *testing.T) {
	logs := captureLogs(t)

	e := newMember01Env(t, member01Options{})
	rec := &recorder{next: http.DefaultTransport}
	rec.record(e.admin, e.cs.sysadmin, e.cs.secoff, e.cs.regoff)
	const wrongPIN = "Wrong-PIN-31337"

	// Tokens: a wrong PIN, logout, the right PIN (security server); the
	// configuration-signing token likewise (central server).
	e.admin.fails(t, xroad.CodePinIncorrect, qLogin, map[string]any{"id": e.token, "pin": wrongPIN})
	e.admin.ok(t, qLogout, map[string]any{"id": e.token}, nil)
	e.admin.ok(t, qLogin, map[string]any{"id": e.token, "pin": e.ssPIN}, nil)
	csLogin := `mutation($p: String!) { loginCentralServerToken(pin: $p) { version } }`
	if r := e.cs.sysadmin.do(t, csLogin, map[string]any{"p": wrongPIN}); len(r.Errors) == 0 {
		t.Errorf("the central server's token accepted a wrong PIN: %s", r.raw)
	}
	e.cs.sysadmin.ok(t, csLogin, map[string]any{"p": e.csPIN}, nil)
	// A wrong password.
	if status, _ := e.ss.anonymous().login(t, "ss-admin", "not the password"); status == http.StatusOK {
		t.Error("a wrong password was accepted")
	}

	// Registration, approval, activation.
	var reg struct{ RegisterAuthCertificate certNode }
	e.admin.ok(t, qRegister, map[string]any{"id": e.auth.ID, "a": "ss1.example.org"}, &reg)
	waiting := e.cs.requests(t, "WAITING")
	if len(waiting) != 1 {
		t.Fatalf("waiting requests: %+v", waiting)
	}
	e.cs.regoff.ok(t, qApprove, map[string]any{"id": waiting[0].ID}, nil)
	waitFor(t, 20*time.Second, "the authentication certificate to be registered", func() bool {
		return e.cert(t, e.auth.ID).Status == "REGISTERED"
	})
	e.admin.ok(t, qActivate, map[string]any{"id": e.auth.ID}, nil)

	// An API key, and everything an administrator reads.
	api := e.ss.apiKeyClient(t, viewer.SecurityOfficer, viewer.SystemAdministrator)
	rec.record(api)
	for _, q := range []string{qTokensTree, qClients, `{ anchor { hash } globalConfigurationStatus { version } me { username roles } }`,
		`{ auditEvents(first: 100) { edges { node { event actor data } } } }`} {
		api.ok(t, q, nil, nil)
		e.admin.ok(t, q, nil, nil)
	}
	for _, c := range []*gqlClient{e.cs.sysadmin, e.cs.secoff, e.cs.regoff} {
		c.ok(t, `{ auditEvents(first: 100) { edges { node { event actor data } } } me { username } }`, nil, nil)
	}
	e.cs.regoff.ok(t, qRequests, nil, nil)
	e.cs.regoff.ok(t, qServers, nil, nil)

	// Malformed requests carrying the PINs and the password, to both
	// servers, as a logged-in officer and anonymously.
	var malformed strings.Builder
	for _, srv := range []*testServer{e.ss, e.cs.srv} {
		for _, m := range malformedSecretRequests(e.ssPIN, e.csPIN, testPassword) {
			for _, c := range []*gqlClient{srv.anonymous(), e.admin} {
				req, _ := http.NewRequest(m.method, srv.URL+m.path, strings.NewReader(m.body))
				req.Header.Set("Content-Type", m.ctype)
				if c == e.admin {
					req.Header.Set("Cookie", e.admin.cookieHeader())
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				malformed.Write(b)
			}
		}
	}

	secrets := map[string]string{
		"central server PIN": e.csPIN, "security server PIN": e.ssPIN, "wrong PIN": wrongPIN,
		"password": testPassword, "API key": api.bearer,
	}
	for i, m := range privateKeyMarkers {
		secrets["private key marker "+string(rune('a'+i))] = m
	}
	for _, c := range []*gqlClient{e.admin, e.cs.sysadmin, e.cs.secoff, e.cs.regoff} {
		u, _ := url.Parse(c.base)
		for _, ck := range c.http.Jar.Cookies(u) {
			if isSessionCookie(ck.Name) {
				secrets["session token of "+c.base] = ck.Value
			}
		}
	}
	if len(logs.String()) == 0 || !strings.Contains(rec.String(), "REGISTERED") {
		t.Fatal("nothing was logged or recorded")
	}
	for where, text := range map[string]string{"log": logs.String(), "GraphQL responses": rec.String() + malformed.String()} {
		for what, secret := range secrets {
			if _, found := testenv.Contains(text, secret); found {
				i := strings.Index(text, secret)
				t.Errorf("the %s contain the %s: …%s…", where, what, text[max(0, i-80):min(len(text), i+len(secret)+20)])
			}
		}
	}
}

type secretRequest struct{ method, path, ctype, body string }

// malformedSecretRequests are requests a server cannot read that carry
// secrets: GraphQL bodies that are not JSON, cut short, batched, over the
// size limit, with mistyped variables, a form, GET variables that are not
// JSON, login bodies that are not JSON.
func malformedSecretRequests(pin, otherPIN, password string) []secretRequest {
	login := `mutation { loginToken(tokenId: \"1\", pin: \"` + pin + `\") { id } }`
	init := `{"query": "mutation($i: InitializeSecurityServerInput!) { initializeSecurityServer(input: $i) { id } }", "variables": {"i": {"softTokenPin": "` + otherPIN + `", "ownerMemberClass": 7}}}`
	return []secretRequest{
		{"POST", "/graphql", "application/json", `{"query": "` + login + `"`},
		{"POST", "/graphql", "application/json", `{"query": "` + login + `"} trailing ` + pin},
		{"POST", "/graphql", "application/json", `[{"query": "` + login + `"}]`},
		{"POST", "/graphql", "application/json", `{"query": 1, "variables": {"pin": "` + pin + `", "password": "` + password + `"}}`},
		{"POST", "/graphql", "application/json", `{"query": "{ __typename }", "variables": {"pin": "` + pin + strings.Repeat(" ", maxRequestBody) + `"}}`},
		{"POST", "/graphql", "application/json", init},
		{"POST", "/graphql", "application/json", `{"query": "mutation($p: String!) { loginCentralServerToken(pin: $p) { version } }", "variables": {"p": ["` + otherPIN + `"]}}`},
		{"POST", "/graphql", "application/x-www-form-urlencoded", "pin=" + pin + "&password=" + password},
		{"GET", "/graphql?query=" + url.QueryEscape("{ __typename }") + "&variables=" + url.QueryEscape("pin="+pin), "", ""},
		{"POST", "/auth/login", "application/json", `{"username": "ss-admin", "password": "` + password + `"`},
		{"POST", "/auth/login", "application/json", `["ss-admin", "` + password + `"]`},
	}
}
