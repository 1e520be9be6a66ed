package acmetest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/lego"
	"github.com/go-acme/lego/v5/registration"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

type user struct {
	key crypto.Signer
	reg *acme.ExtendedAccount
}

func (u *user) GetEmail() string                       { return "acme-test@example.org" }
func (u *user) GetRegistration() *acme.ExtendedAccount { return u.reg }
func (u *user) GetPrivateKey() crypto.Signer           { return u.key }

// challenges answers HTTP-01 challenges on 127.0.0.1.
type challenges struct {
	mu      sync.Mutex
	tokens  map[string]string
	fetched int // answered requests
}

func (c *challenges) Present(_ context.Context, _, token, keyAuth string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens[token] = keyAuth
	return nil
}

func (c *challenges) CleanUp(_ context.Context, _, token, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tokens, token)
	return nil
}

func (c *challenges) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ka, ok := c.tokens[strings.TrimPrefix(r.URL.Path, "/.well-known/acme-challenge/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	c.fetched++
	_, _ = w.Write([]byte(ka))
}

// TestPebbleIssuesWithEABAndHTTP01: the harness runs pebble so that a
// maintained ACME client registers with external account binding, proves
// control of a name over real HTTP-01 on the test's port, gets a SAN-only
// certificate from the intermediate, and the OCSP responder says it is good.
func TestPebbleIssuesWithEABAndHTTP01(t *testing.T) {
	p := Start(t, Options{Profiles: map[string]Profile{"default": {ValidityPeriod: time.Hour}}})
	ch := &challenges{tokens: map[string]string{}}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p.HTTPPort)))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: ch, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })

	accountKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	u := &user{key: accountKey}
	cfg := lego.NewConfig(u)
	cfg.CADirURL, cfg.HTTPClient = p.DirectoryURL, p.HTTPClient()
	client, err := lego.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !client.GetServerMetadata().ExternalAccountRequired {
		t.Error("pebble does not require external account binding")
	}
	if err := client.Challenge.SetHTTP01Provider(ch); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.Registration.Register(ctx, registration.RegisterOptions{TermsOfServiceAgreed: true}); err == nil {
		t.Error("registration without external account binding succeeded")
	}
	if u.reg, err = client.Registration.RegisterWithExternalAccountBinding(ctx, registration.RegisterEABOptions{
		TermsOfServiceAgreed: true, Kid: p.EABKeyID, HmacEncoded: p.EABMACKey}); err != nil {
		t.Fatal(err)
	}

	certKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{DNSNames: []string{"ss1.roadreg.test"}}, certKey)
	if err != nil {
		t.Fatal(err)
	}
	csr, _ := x509.ParseCertificateRequest(der)
	res, err := client.Certificate.ObtainForCSR(ctx, certificate.ObtainForCSRRequest{CSR: csr, Bundle: true})
	if err != nil {
		t.Fatalf("ordering: %v\n%s", err, p.Logs())
	}
	if ch.fetched == 0 {
		t.Error("pebble issued without fetching the HTTP-01 challenge")
	}
	b, _ := pem.Decode(res.Certificate)
	leaf, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := pki.VerifyChain(leaf, []*x509.Certificate{p.Intermediate}, nil, time.Now()); err != nil {
		t.Errorf("the certificate does not chain to the intermediate: %v", err)
	}
	if len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != "ss1.roadreg.test" || len(leaf.OCSPServer) != 1 || leaf.OCSPServer[0] != p.OCSPURL {
		t.Errorf("certificate: names %v, OCSP %v", leaf.DNSNames, leaf.OCSPServer)
	}
	if u, err := (pki.SANOnlyProfile{}).Usage(leaf, xroad.UsageSigning); err != nil || u != xroad.UsageSigning {
		t.Errorf("not a SAN-only certificate: %v", err)
	}
	_, der, err = pki.FetchOCSP(ctx, http.DefaultClient, leaf.OCSPServer[0], leaf, p.Intermediate)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, err := pki.VerifyOCSPResponse(der, leaf, p.Intermediate, time.Now(), 0); err != nil || status != xroad.OcspGood {
		t.Errorf("OCSP: %s, %v", status, err)
	}
}
