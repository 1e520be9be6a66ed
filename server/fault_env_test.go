package main

// The environment of the fault tests: a real central server and a real
// security server in this process, the security server reaching the
// central server only through a loopback HTTP proxy the test controls
// (drop, delay, lose the answer, rewrite configuration files).

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/viewer"
)

// proxyMode is how the proxy treats the next requests.
type proxyMode struct {
	// drop closes every connection without an answer (and, when set,
	// every open one, watch channels included).
	drop bool
	// delay holds every request this long before forwarding it.
	delay time.Duration
	// loseAnswer forwards management-service requests but closes the
	// connection instead of returning the central server's answer.
	loseAnswer bool
	// rewrite, when set, replaces the body of configuration downloads
	// (GET /internalconf and the part files), answered whole (200) and
	// uncompressed.
	rewrite func(path string, body []byte) []byte
}

// faultProxy is a reverse proxy in front of the central server.
type faultProxy struct {
	addr string
	rp   *httputil.ReverseProxy

	mu    sync.Mutex
	mode  proxyMode
	conns map[net.Conn]struct{}
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{rp: httputil.NewSingleHostReverseProxy(u), conns: map[net.Conn]struct{}{}}
	p.rp.ErrorLog = nil
	srv := httptest.NewUnstartedServer(p)
	srv.Config.ConnState = p.track
	srv.Start()
	t.Cleanup(srv.Close)
	p.addr = srv.Listener.Addr().String()
	return p
}

// set changes the mode; a dropping proxy also cuts the open connections.
func (p *faultProxy) set(m proxyMode) {
	p.mu.Lock()
	p.mode = m
	var open []net.Conn
	if m.drop {
		for c := range p.conns {
			open = append(open, c)
		}
	}
	p.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
}

func (p *faultProxy) track(c net.Conn, s http.ConnState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s == http.StateClosed {
		delete(p.conns, c)
	} else {
		p.conns[c] = struct{}{}
	}
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	m := p.mode
	p.mu.Unlock()
	if m.delay > 0 {
		time.Sleep(m.delay)
	}
	switch {
	case m.drop:
		hangUp(w)
	case m.loseAnswer && strings.HasPrefix(r.URL.Path, "/managementservice"):
		p.rp.ServeHTTP(httptest.NewRecorder(), r)
		hangUp(w)
	case m.rewrite != nil && r.Method == http.MethodGet && r.Header.Get("Upgrade") == "" &&
		(strings.HasPrefix(r.URL.Path, "/internalconf") || strings.HasPrefix(r.URL.Path, "/V6/")):
		// Whoever rewrites what the central server sends answers with a
		// whole, plain body.
		r.Header.Del("If-None-Match")
		r.Header.Del("Accept-Encoding")
		rec := httptest.NewRecorder()
		p.rp.ServeHTTP(rec, r)
		body := m.rewrite(r.URL.Path, rec.Body.Bytes())
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	default:
		p.rp.ServeHTTP(w, r)
	}
}

// hangUp closes the client's connection without an answer.
func hangUp(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// member01Env is MEMBER_01 up to the registration: an initialised central
// server (instance DEV, member GOV/1234, the test CA and TSA approved) and
// an initialised security server (GOV/1234/SS1) with the owner's signing
// certificate and a SAVED authentication certificate.
type member01Env struct {
	cs      *centralEnv
	proxy   *faultProxy
	ss      *testServer
	admin   *gqlClient // security server: SECURITY_OFFICER + SYSTEM_ADMINISTRATOR
	anchor  string
	token   gid
	sign    certNode
	auth    certNode
	csPIN   string
	ssPIN   string
	ownerID string
}

// member01Options configure the servers of a member01Env.
type member01Options struct {
	central, security []func(*config)
}

// newMember01Env builds the environment.
func newMember01Env(t *testing.T, o member01Options) *member01Env {
	t.Helper()
	srv := startServer(t, viewer.Central, o.central...)
	e := newMember01Central(t, srv.URL, srv.user(t, "sysadmin", viewer.SystemAdministrator),
		srv.user(t, "secoff", viewer.SecurityOfficer), srv.user(t, "regoff", viewer.RegistrationOfficer))
	e.cs.srv = srv
	e.proxy = newFaultProxy(t, srv.URL)
	e.initCentral(t, e.proxy.addr)
	e.startSecurity(t, o.security...)
	return e
}

// newMember01Central is the environment's central server at url, which
// the clients administer, before initialisation.
func newMember01Central(t *testing.T, url string, sysadmin, secoff, regoff *gqlClient) *member01Env {
	t.Helper()
	return &member01Env{
		cs: &centralEnv{srv: &testServer{URL: url}, pki: newTestPKI(t, "DEV"), instance: "DEV",
			sysadmin: sysadmin, secoff: secoff, regoff: regoff},
		csPIN: "Central-PIN-4711", ssPIN: "Security-PIN-0815", ownerID: "DEV/GOV/1234",
	}
}

// initCentral initialises the central server with address, adds GOV/1234,
// the test CA and TSA, publishes a version and keeps the anchor.
func (e *member01Env) initCentral(t *testing.T, address string) {
	t.Helper()
	cs := e.cs
	cs.sysadmin.ok(t, qInit, map[string]any{"i": map[string]any{
		"instanceIdentifier": "DEV", "centralServerAddress": address, "softTokenPin": e.csPIN}}, nil)
	cs.secoff.ok(t, qAddClass, map[string]any{"c": "GOV", "d": "Government"}, nil)
	cs.regoff.ok(t, qAddMember, map[string]any{"c": "GOV", "m": "1234", "n": "Test Agency"}, nil)
	cs.sysadmin.ok(t, qAddCA, map[string]any{"i": map[string]any{
		"caCertificate": cs.pki.caPEM(), "ocspResponders": []map[string]any{{"url": cs.pki.ca.OCSPURL()}}}}, nil)
	cs.sysadmin.ok(t, qAddTSA, map[string]any{"i": map[string]any{
		"url": cs.pki.ca.TSAURL(), "certificate": pemCert(cs.pki.ca.TSACertificate().Raw)}}, nil)
	cs.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	var anchor struct{ ConfigurationAnchor string }
	cs.secoff.ok(t, `{ configurationAnchor }`, nil, &anchor)
	e.anchor = anchor.ConfigurationAnchor
}

// startSecurity starts the security server and takes it through MEMBER_01
// up to the registration: anchor, initialisation, the owner's signing
// certificate and a SAVED authentication certificate.
func (e *member01Env) startSecurity(t *testing.T, opts ...func(*config)) {
	t.Helper()
	e.ss = startServer(t, viewer.Security, opts...)
	e.admin = e.ss.user(t, "ss-admin", viewer.SecurityOfficer, viewer.SystemAdministrator)
	e.admin.ok(t, qUploadAnchor, map[string]any{"a": e.anchor}, nil)
	e.admin.ok(t, qInitialize, map[string]any{"in": map[string]any{
		"ownerMemberClass": "GOV", "ownerMemberCode": "1234", "serverCode": "SS1", "softTokenPin": e.ssPIN}}, nil)
	var toks struct{ Tokens []tokenNode }
	e.admin.ok(t, `{ tokens { id type } }`, nil, &toks)
	for _, tk := range toks.Tokens {
		if tk.Type == "SOFTWARE" {
			e.token = tk.ID
		}
	}
	e.sign = e.certify(t, "SIGNING")
	e.auth = e.certify(t, "AUTHENTICATION")
	if e.sign.Status != "REGISTERED" || !e.sign.Active || e.auth.Status != "SAVED" {
		t.Fatalf("after import: sign %+v, auth %+v", e.sign, e.auth)
	}
}

// certify makes a new EC key with a certificate of the usage from the CA.
func (e *member01Env) certify(t *testing.T, usage string) certNode {
	t.Helper()
	var k struct{ GenerateKey keyNode }
	e.admin.ok(t, qGenerateKey, map[string]any{"id": e.token, "alg": "EC"}, &k)
	in := map[string]any{"keyId": k.GenerateKey.ID, "usage": usage, "caName": e.cs.pki.ca.Name()}
	profile := "auth"
	if usage == "SIGNING" {
		in["memberId"], profile = e.ownerID, "sign"
	}
	var csr struct{ GenerateCsr csrNode }
	e.admin.ok(t, qGenerateCSR, map[string]any{"in": in}, &csr)
	der, err := e.cs.pki.ca.Sign([]byte(csr.GenerateCsr.PEM), profile, 30)
	if err != nil {
		t.Fatal(err)
	}
	var imp struct{ ImportCertificate certNode }
	e.admin.ok(t, qImport, map[string]any{"c": pemBlock("CERTIFICATE", der)}, &imp)
	return imp.ImportCertificate
}

// cert reads a certificate of the security server.
func (e *member01Env) cert(t *testing.T, id gid) certNode {
	t.Helper()
	var out struct{ Node certNode }
	e.admin.ok(t, qCert, map[string]any{"id": id}, &out)
	return out.Node
}

// requests lists the central server's management requests.
func (e *member01Env) requests(t *testing.T) []mrNode { return e.cs.requests(t, "") }

// confStatus is the security server's configuration status.
type confStatus struct {
	Version       *int
	Error         *string
	FailingSince  *string
	LastSuccessAt *string
	ExpiresAt     *string
}

func (e *member01Env) confStatus(t *testing.T) confStatus {
	t.Helper()
	var out struct{ GlobalConfigurationStatus confStatus }
	e.admin.ok(t, `{ globalConfigurationStatus { version error failingSince lastSuccessAt expiresAt } }`, nil, &out)
	return out.GlobalConfigurationStatus
}

// sharedParams returns the security server's shared parameters as the
// last applied configuration has them (through the API: approved CAs).
func (e *member01Env) approvedCAs(t *testing.T) string {
	t.Helper()
	r := e.admin.do(t, `{ approvedCertificationAuthorities { name } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("approvedCertificationAuthorities: %s", r.raw)
	}
	return string(r.Data)
}

// replaceOnce returns a rewrite that replaces old by new in the shared
// parameters (keeping the directory, so the hash no longer matches).
func replaceInShared(old, new string) func(string, []byte) []byte {
	return func(path string, body []byte) []byte {
		if strings.HasSuffix(path, "shared-params.xml") {
			return bytes.Replace(body, []byte(old), []byte(new), 1)
		}
		return body
	}
}
