// Package acmetest runs Let's Encrypt's ACME test server, pebble, for tests:
// on loopback, with external account binding required, real HTTP-01
// validation against the port the test chooses, pebble-challtestsrv
// answering DNS for the test's names, and an OCSP responder for the
// certificates pebble issues (pebble has none; X-Road needs one).
//
// The two programs are Go tools of this module (go.mod's tool directive,
// pinned versions from the Go module proxy). The first test that needs them
// builds them with `go build` into the user's cache folder, keyed by their
// version; later tests and runs reuse the binaries. When they cannot be built
// the test skips, or fails when tools are required (testenv.Unavailable).
//
// Tests, benchmarks and helpers import it; the roadreg binary never does.
package acmetest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/pki/testca"
	"github.com/roadreg/roadreg/internal/testenv"
)

// The tools, as go.mod's tool directive names them.
const (
	pebblePkg       = "github.com/letsencrypt/pebble/v2/cmd/pebble"
	challtestsrvPkg = "github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv"
	pebbleModule    = "github.com/letsencrypt/pebble/v2"
)

// BlockedName is a name pebble refuses to issue for (its domain
// blocklist): an order for it fails with rejectedIdentifier.
const BlockedName = "blocked.roadreg.test"

// Profile is one of pebble's certificate profiles.
type Profile struct {
	Description string
	// ValidityPeriod of issued certificates (whole seconds).
	ValidityPeriod time.Duration
}

// Options configure Start.
type Options struct {
	// HTTPPort is the port pebble's validation authority connects to for
	// HTTP-01 challenges (a production CA: 80). Default: a free port.
	HTTPPort int
	// Profiles pebble offers (default: "default", 90 days).
	Profiles map[string]Profile
	// AuthzReuse is the percentage of orders that reuse a valid
	// authorisation instead of validating again (PEBBLE_AUTHZREUSE).
	// Default 0: every order is validated over HTTP-01.
	AuthzReuse int
}

// Pebble is a running ACME test server.
type Pebble struct {
	// DirectoryURL is the ACME directory (https on 127.0.0.1).
	DirectoryURL string
	// TLSRootPEM is the root the server's TLS certificates chain to; ACME
	// clients must trust it.
	TLSRootPEM []byte
	// EABKeyID and EABMACKey are an external account binding pebble knows
	// (the MAC key base64url without padding, as CAs hand them out).
	EABKeyID, EABMACKey string
	// HTTPPort is the port HTTP-01 challenges are validated on.
	HTTPPort int
	// Intermediate issues the certificates; approve it as the CA's top
	// certificate (UG-CS §10: it then acts as the root). It changes with
	// every start.
	Intermediate *x509.Certificate
	// OCSPURL is the OCSP responder in the certificates' AIA; it answers
	// with pebble's view of the certificate (good, revoked, unknown),
	// signed by the intermediate's key.
	OCSPURL string

	mgmtURL, dnsMgmtURL string
	client              *http.Client
	logDir              string
}

// Start builds (once) and starts pebble and pebble-challtestsrv on
// loopback, waits until both answer, and stops them when the test ends.
// DNS names resolve to 127.0.0.1 unless AddA says otherwise.
func Start(t testing.TB, o Options) *Pebble {
	t.Helper()
	pebbleBin, challBin := Binaries(t)
	dir := t.TempDir()
	p := &Pebble{EABKeyID: "roadreg-test-kid", logDir: dir}
	mac := make([]byte, 32)
	if _, err := rand.Read(mac); err != nil {
		t.Fatal(err)
	}
	p.EABMACKey = base64.RawURLEncoding.EncodeToString(mac)
	certFile, keyFile, roots := writeTLS(t, dir)
	p.TLSRootPEM = roots
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(roots)
	p.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	// The OCSP responder starts first: its URL goes into pebble's
	// configuration; it answers once the intermediate is known.
	var responder sync.Mutex
	var answer http.Handler = http.NotFoundHandler()
	ocspSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		responder.Lock()
		h := answer
		responder.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ocspSrv.Close)
	p.OCSPURL = ocspSrv.URL + "/ocsp"

	listen, mgmt, dns, dnsMgmt, tlsPort := testenv.FreeAddress(t), testenv.FreeAddress(t), testenv.FreeAddress(t), testenv.FreeAddress(t), testenv.FreeAddress(t)
	p.HTTPPort = o.HTTPPort
	if p.HTTPPort == 0 {
		_, port, _ := net.SplitHostPort(testenv.FreeAddress(t))
		p.HTTPPort, _ = strconv.Atoi(port)
	}
	profiles := map[string]any{}
	if len(o.Profiles) == 0 {
		o.Profiles = map[string]Profile{"default": {Description: "90 days", ValidityPeriod: 90 * 24 * time.Hour}}
	}
	for name, pr := range o.Profiles {
		profiles[name] = map[string]any{"description": pr.Description, "validityPeriod": int64(pr.ValidityPeriod / time.Second)}
	}
	_, tlsPortNum, _ := net.SplitHostPort(tlsPort)
	tp, _ := strconv.Atoi(tlsPortNum)
	conf := map[string]any{"pebble": map[string]any{
		"listenAddress": listen, "managementListenAddress": mgmt, "certificate": certFile, "privateKey": keyFile,
		"httpPort": p.HTTPPort, "tlsPort": tp, "ocspResponderURL": p.OCSPURL,
		"externalAccountBindingRequired": true, "externalAccountMACKeys": map[string]string{p.EABKeyID: p.EABMACKey},
		"domainBlocklist": []string{BlockedName}, "retryAfter": map[string]int{"authz": 1, "order": 1},
		"keyAlgorithm": "rsa", "profiles": profiles,
	}}
	confFile := filepath.Join(dir, "pebble.json")
	b, _ := json.Marshal(conf)
	if err := os.WriteFile(confFile, b, 0o600); err != nil {
		t.Fatal(err)
	}

	start(t, dir, "pebble-challtestsrv", nil, challBin, "-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "",
		"-dnsserver", dns, "-management", dnsMgmt, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
	start(t, dir, "pebble", []string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0", "PEBBLE_AUTHZREUSE=" + strconv.Itoa(o.AuthzReuse)},
		pebbleBin, "-config", confFile, "-dnsserver", dns)
	p.DirectoryURL = "https://" + listen + "/dir"
	p.mgmtURL = "https://" + mgmt
	p.dnsMgmtURL = "http://" + dnsMgmt

	testenv.WaitFor(t, 30*time.Second, "pebble and pebble-challtestsrv to answer", func() bool {
		resp, err := p.client.Get(p.DirectoryURL)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK && p.post("/set-default-ipv4", map[string]string{"ip": "127.0.0.1"}) == nil
	})
	p.Intermediate = parseCert(t, p.get(t, "/intermediates/0"))
	key := parseKey(t, p.get(t, "/intermediate-keys/0"))
	responder.Lock()
	answer = testca.NewOCSPResponder(p.Intermediate, nil, key, p.status)
	responder.Unlock()
	return p
}

// HTTPClient trusts the server's TLS certificates.
func (p *Pebble) HTTPClient() *http.Client { return p.client }

// AddA makes host resolve to ip (an address on loopback, such as 127.0.0.2,
// where the test's HTTP-01 listener is).
func (p *Pebble) AddA(t testing.TB, host, ip string) {
	t.Helper()
	if err := p.post("/add-a", map[string]any{"host": host, "addresses": []string{ip}}); err != nil {
		t.Fatal(err)
	}
}

// SetRenewalInfo makes pebble answer ARI requests (RFC 9773) for cert with
// body, e.g. a suggestedWindow that has started.
func (p *Pebble) SetRenewalInfo(t testing.TB, cert *x509.Certificate, body string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"Certificate": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})), "ARIResponse": body})
	resp, err := p.client.Post(p.mgmtURL+"/set-renewal-info/", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("set-renewal-info: %d %s", resp.StatusCode, msg)
	}
}

// Logs returns what pebble and pebble-challtestsrv wrote.
func (p *Pebble) Logs() string {
	var b strings.Builder
	for _, name := range []string{"pebble", "pebble-challtestsrv"} {
		data, _ := os.ReadFile(filepath.Join(p.logDir, name+".log"))
		fmt.Fprintf(&b, "--- %s\n%s", name, data)
	}
	return b.String()
}

// status is pebble's view of a certificate, as its management interface
// tells it.
func (p *Pebble) status(serial *big.Int) (testca.CertStatus, error) {
	resp, err := p.client.Get(p.mgmtURL + "/cert-status-by-serial/" + serial.Text(16))
	if err != nil {
		return testca.CertStatus{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return testca.CertStatus{Status: ocsp.Unknown}, nil
	}
	var st struct {
		Status    string
		Reason    *int
		RevokedAt string
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return testca.CertStatus{}, err
	}
	if st.Status != "Revoked" {
		return testca.CertStatus{Status: ocsp.Good}, nil
	}
	out := testca.CertStatus{Status: ocsp.Revoked, RevokedAt: time.Now()}
	if at, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", st.RevokedAt); err == nil {
		out.RevokedAt = at
	}
	if st.Reason != nil {
		out.Reason = *st.Reason
	}
	return out, nil
}

func (p *Pebble) get(t testing.TB, path string) []byte {
	t.Helper()
	resp, err := p.client.Get(p.mgmtURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pebble %s: %d %v", path, resp.StatusCode, err)
	}
	return b
}

// post sends a JSON request to pebble-challtestsrv's management interface.
func (p *Pebble) post(path string, body any) error {
	b, _ := json.Marshal(body)
	resp, err := http.Post(p.dnsMgmtURL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pebble-challtestsrv %s: %s", path, resp.Status)
	}
	return nil
}

var built struct {
	once          sync.Once
	pebble, chall string
	err           error
}

// Binaries returns pebble and pebble-challtestsrv, building them the first
// time into the user's cache folder (one folder per pebble version, written
// whole or not at all, so concurrent test processes agree).
func Binaries(t testing.TB) (pebble, challtestsrv string) {
	t.Helper()
	built.once.Do(func() { built.pebble, built.chall, built.err = build() })
	if built.err != nil {
		testenv.Unavailable(t, "pebble (ACME test server) could not be built: "+built.err.Error())
	}
	return built.pebble, built.chall
}

func build() (string, string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", "", err
	}
	root, err := testenv.FindRepoRoot()
	if err != nil {
		return "", "", err
	}
	cmd := exec.Command(goBin, "list", "-m", "-f", "{{.Version}}", pebbleModule)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("go list -m %s: %w", pebbleModule, err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "roadreg", "pebble-"+strings.TrimSpace(string(out)))
	bins := func(d string) (string, string) {
		return filepath.Join(d, "pebble"), filepath.Join(d, "pebble-challtestsrv")
	}
	pb, cb := bins(dir)
	if isFile(pb) && isFile(cb) {
		return pb, cb, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".build-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(tmp)
	cmd = exec.Command(goBin, "build", "-o", tmp+string(filepath.Separator), pebblePkg, challtestsrvPkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go build %s %s: %v\n%s", pebblePkg, challtestsrvPkg, err, out)
	}
	if err := os.Rename(tmp, dir); err != nil && !(isFile(pb) && isFile(cb)) {
		return "", "", err
	}
	return pb, cb, nil
}

func isFile(p string) bool { fi, err := os.Stat(p); return err == nil && fi.Mode().IsRegular() }

// start runs a program until the test ends; its output goes to
// <dir>/<name>.log.
func start(t testing.TB, dir, name string, env []string, bin string, args ...string) {
	t.Helper()
	log, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		t.Fatalf("starting %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); log.Close(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
}

// writeTLS writes a TLS certificate for 127.0.0.1 and localhost, issued by
// a new root, and returns the files and the root as PEM.
func writeTLS(t testing.TB, dir string) (certFile, keyFile string, rootPEM []byte) {
	t.Helper()
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	rootKey, leafKey := newKey(), newKey()
	now := time.Now()
	root := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Roadreg ACME test TLS root"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	rootDER, err := x509.CreateCertificate(rand.Reader, root, root, rootKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ = x509.ParseCertificate(rootDER)
	leafDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "pebble"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), DNSNames: []string{"localhost", "pebble"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, root, leafKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "tls.pem"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rootDER})
}

func parseCert(t testing.TB, data []byte) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("not a PEM certificate: %q", data)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func parseKey(t testing.TB, data []byte) crypto.Signer {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("not a PEM key")
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(crypto.Signer)
}
