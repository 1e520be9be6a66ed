package main

// ACME ordering on the security server against a real ACME server: pebble
// (internal/testenv/acmetest) with external account binding required and
// real HTTP-01 validation of the security server's challenge listener.

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/testenv/acmetest"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const (
	acmeCAName  = "Pebble CA"
	acmeSSName  = "ss1.roadreg.test"
	qOrderACME  = `mutation($in: OrderAcmeCertificateInput!) { orderAcmeCertificate(input: $in) { ...C acmeCaName } }` + certFragment
	qSetAccount = `mutation($in: SetAcmeAccountInput!) { setAcmeAccount(input: $in) {
		id caName memberId keyUsage eabKeyId contactEmail eabMacKeySet registered } }`
	qAccounts = `{ acmeAccounts { id caName memberId keyUsage eabKeyId contactEmail eabMacKeySet registered accountUrl } }`
	qEAB      = `query($ca: String!, $u: KeyUsage!, $m: String) { hasAcmeExternalAccountBindingCredentials(caName: $ca, keyUsage: $u, memberId: $m) {
		acmeEabRequired hasAcmeExternalAccountCredentials } }`
)

// acmeEnv is a security server whose configuration approves pebble's CA
// with the SAN-only profile and its ACME server.
type acmeEnv struct {
	*ssEnv
	pebble *acmetest.Pebble
	token  gid
}

type acmeOptions struct {
	// listen is the challenge listener's port: pebble's HTTP-01 port
	// (0), another one (>0) or none (<0).
	listen       int
	autoActivate bool
	// pebble configures the ACME server; authProfile is the approved CA's
	// profile for authentication certificates (one of pebble's).
	pebble      acmetest.Options
	authProfile string
	// more changes the security server's configuration further.
	more func(*config)
}

func newACMEEnv(t *testing.T, o acmeOptions) *acmeEnv {
	t.Helper()
	p := acmetest.Start(t, o.pebble)
	roots := filepath.Join(t.TempDir(), "acme-roots.pem")
	if err := os.WriteFile(roots, p.TLSRootPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	port := p.HTTPPort
	if o.listen > 0 {
		port = o.listen
	}
	ss := newSSEnv(t, func(c *config) {
		if o.listen >= 0 {
			c.ACMEChallengeListen = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		}
		c.ACMECARoots, c.AutoActivateACMESign = roots, o.autoActivate
		if o.more != nil {
			o.more(c)
		}
	})
	ss.initialize(t)
	ss.cs.addApprovedCA(acmeApprovedCA(p, o.authProfile))
	waitFor(t, 10*time.Second, "pebble's CA in the configuration", func() bool {
		var out struct{ ApprovedCertificationAuthorities []struct{ Name string } }
		ss.officer.ok(t, `{ approvedCertificationAuthorities { name } }`, nil, &out)
		return len(out.ApprovedCertificationAuthorities) == 2
	})
	return &acmeEnv{ssEnv: ss, pebble: p, token: ss.token(t, "SOFTWARE").ID}
}

// setEAB sets the owner's account with pebble's EAB (or mac instead of
// its MAC key) and a contact.
func (e *acmeEnv) setEAB(t *testing.T, mac string) map[string]any {
	t.Helper()
	if mac == "" {
		mac = e.pebble.EABMACKey
	}
	var out struct{ SetAcmeAccount map[string]any }
	e.officer.ok(t, qSetAccount, map[string]any{"in": map[string]any{
		"caName": acmeCAName, "memberId": fcsOwner.String(), "eabKeyId": e.pebble.EABKeyID, "eabMacKey": mac, "contactEmail": "admin@roadreg.test",
	}}, &out)
	return out.SetAcmeAccount
}

// order orders a certificate for a new key of usage naming host.
func (e *acmeEnv) order(t *testing.T, usage, host string) (keyNode, gqlResponse) {
	t.Helper()
	k := e.generateKey(t, e.token, strings.ToLower(usage)+" "+host, "EC")
	in := map[string]any{"keyId": k.ID, "usage": usage, "caName": acmeCAName, "subjectFields": []map[string]any{{"id": "subjectAltName", "value": host}}}
	if usage == "SIGNING" {
		in["memberId"] = fcsOwner.String()
	}
	return k, e.officer.do(t, qOrderACME, map[string]any{"in": in})
}

type acmeCert struct {
	certNode
	AcmeCaName *string
}

func orderedCert(t *testing.T, r gqlResponse) acmeCert {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("orderAcmeCertificate: %s", r.raw)
	}
	var out struct{ OrderAcmeCertificate acmeCert }
	if err := json.Unmarshal(r.Data, &out); err != nil {
		t.Fatal(err)
	}
	return out.OrderAcmeCertificate
}

// TestACMEOrder: with the external account binding pebble handed out, the
// security server orders a signing and an authentication certificate for
// its host in one step each: pebble validates HTTP-01 on the challenge
// listener, issues SAN-only certificates from its intermediate, and they
// are imported — the signing certificate REGISTERED with a good OCSP
// status (active only with --auto-activate-acme-sign), the authentication
// certificate SAVED. The account is registered once and reused.
func TestACMEOrder(t *testing.T) {
	t.Parallel()
	e := newACMEEnv(t, acmeOptions{autoActivate: true})
	var st struct {
		HasAcmeExternalAccountBindingCredentials struct{ AcmeEabRequired, HasAcmeExternalAccountCredentials bool }
	}
	e.officer.ok(t, qEAB, map[string]any{"ca": acmeCAName, "u": "AUTHENTICATION"}, &st)
	if s := st.HasAcmeExternalAccountBindingCredentials; !s.AcmeEabRequired || s.HasAcmeExternalAccountCredentials {
		t.Errorf("before the EAB is set: %+v", s)
	}
	acct := e.setEAB(t, "")
	if acct["eabMacKeySet"] != true || acct["registered"] != false || acct["eabKeyId"] != e.pebble.EABKeyID {
		t.Errorf("account: %v", acct)
	}
	e.officer.ok(t, qEAB, map[string]any{"ca": acmeCAName, "u": "SIGNING", "m": fcsOwner.String()}, &st)
	if !st.HasAcmeExternalAccountBindingCredentials.HasAcmeExternalAccountCredentials {
		t.Errorf("after the EAB is set: %+v", st)
	}

	_, r := e.order(t, "SIGNING", acmeSSName)
	sign := orderedCert(t, r)
	if sign.Usage != "SIGNING" || sign.Status != "REGISTERED" || sign.OcspStatus != "OCSP_RESPONSE_GOOD" || !sign.Active ||
		xroad.Deref(sign.MemberID) != fcsOwner.String() || xroad.Deref(sign.AcmeCaName) != acmeCAName || sign.Subject != "" {
		t.Errorf("signing certificate: %+v", sign)
	}
	_, r = e.order(t, "AUTHENTICATION", acmeSSName)
	auth := orderedCert(t, r)
	if auth.Usage != "AUTHENTICATION" || auth.Status != "SAVED" || auth.Active || xroad.Deref(auth.AcmeCaName) != acmeCAName {
		t.Errorf("authentication certificate: %+v", auth)
	}
	b, _ := pem.Decode([]byte(auth.PEM))
	leaf, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := pki.VerifyChain(leaf, []*x509.Certificate{e.pebble.Intermediate}, nil, time.Now()); err != nil || len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != acmeSSName {
		t.Errorf("issued: names %v, chain %v", leaf.DNSNames, err)
	}
	// Monitoring sees it as ordered with ACME, with its expiry time.
	if v, ok := certificateExpiryMetric(t, e.srv.URL, auth.Sha256, "AUTHENTICATION", "SAVED", false, true); !ok || v != float64(leaf.NotAfter.Unix()) {
		t.Errorf("expiry metric of the ordered certificate: %v (present %t), want %d", v, ok, leaf.NotAfter.Unix())
	}

	var accounts struct{ AcmeAccounts []map[string]any }
	e.officer.ok(t, qAccounts, nil, &accounts)
	if len(accounts.AcmeAccounts) != 1 || accounts.AcmeAccounts[0]["registered"] != true || accounts.AcmeAccounts[0]["accountUrl"] == nil {
		t.Errorf("accounts after two orders: %v", accounts.AcmeAccounts)
	}
	// No CSR is left behind: the certificates replaced the orders.
	if tree := e.tree(t); strings.Contains(tree, `"csrs":[{`) {
		t.Errorf("CSRs left after ordering: %s", tree)
	}
	var audit struct {
		AuditEvents struct {
			Edges []struct{ Node struct{ Event, Data string } }
		}
	}
	e.officer.ok(t, `{ auditEvents(first: 100) { edges { node { event data } } } }`, nil, &audit)
	n := 0
	for _, ed := range audit.AuditEvents.Edges {
		if ed.Node.Event == "Acme order certificate" && strings.Contains(ed.Node.Data, acmeSSName) && strings.Contains(ed.Node.Data, "certificateHash") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d audit events of the orders, want 2", n)
	}
}

// TestACMEOrderFailures: each way an order fails ends with a stable code
// and the CA's reason, no certificate and no CSR stored, and the key ready
// for another order — which then succeeds.
func TestACMEOrderFailures(t *testing.T) {
	t.Parallel()
	e := newACMEEnv(t, acmeOptions{})
	tree := e.tree(t)
	fails := func(name, usage, host, code, reason string) {
		t.Helper()
		k, r := e.order(t, usage, host)
		if r.code() != code || !strings.Contains(r.raw, reason) {
			t.Fatalf("%s: got %s, want %s mentioning %q", name, r.raw, code, reason)
		}
		t.Logf("%s: %s", name, r.Errors[0].Message)
		after := e.tree(t)
		if strings.Count(after, `"certificates":[{`) != strings.Count(tree, `"certificates":[{`) || strings.Contains(after, `"csrs":[{`) {
			t.Errorf("%s stored a certificate or CSR: %s", name, after)
		}
		tree = after
		if !slices.Contains(e.keyActions(t, k.ID), "GENERATE_"+map[string]string{"SIGNING": "SIGN", "AUTHENTICATION": "AUTH"}[usage]+"_CSR") {
			t.Errorf("%s: the key cannot be ordered again", name)
		}
	}

	fails("no external account binding", "AUTHENTICATION", acmeSSName, "ACME_EAB_CREDENTIALS_MISSING", "requires external account binding")

	wrong := make([]byte, 32)
	_, _ = rand.Read(wrong)
	e.setEAB(t, base64.RawURLEncoding.EncodeToString(wrong))
	fails("wrong MAC key", "AUTHENTICATION", acmeSSName, "ACME_ACCOUNT_CREATION_FAILURE", "unauthorized")

	e.setEAB(t, "")
	fails("a name the CA refuses", "SIGNING", acmetest.BlockedName, "ACME_ORDER_CREATION_FAILURE", "rejectedIdentifier")

	e.cs.setApprovedCA(acmeApprovedCA(e.pebble, "no-such-profile"))
	waitFor(t, 10*time.Second, "the CA's new profile id", func() bool {
		var out struct {
			ApprovedCertificationAuthorities []struct{ AuthenticationCertificateProfileID *string }
		}
		e.officer.ok(t, `{ approvedCertificationAuthorities { authenticationCertificateProfileId } }`, nil, &out)
		return len(out.ApprovedCertificationAuthorities) == 2 && xroad.Deref(out.ApprovedCertificationAuthorities[1].AuthenticationCertificateProfileID) != ""
	})
	fails("a profile the CA does not offer", "AUTHENTICATION", acmeSSName, "ACME_ORDER_CREATION_FAILURE", "no-such-profile")

	e.cs.setApprovedCA(acmeApprovedCA(e.pebble, ""))
	waitFor(t, 10*time.Second, "the CA without a profile id", func() bool {
		var out struct {
			ApprovedCertificationAuthorities []struct{ AuthenticationCertificateProfileID *string }
		}
		e.officer.ok(t, `{ approvedCertificationAuthorities { authenticationCertificateProfileId } }`, nil, &out)
		return len(out.ApprovedCertificationAuthorities) == 2 && out.ApprovedCertificationAuthorities[1].AuthenticationCertificateProfileID == nil
	})
	// After all that, the same kind of order succeeds; a signing
	// certificate stays inactive without --auto-activate-acme-sign.
	_, r := e.order(t, "SIGNING", acmeSSName)
	if c := orderedCert(t, r); c.Status != "REGISTERED" || c.Active || c.OcspStatus != "OCSP_RESPONSE_GOOD" {
		t.Errorf("signing certificate without automatic activation: %+v", c)
	}
}

// TestACMEChallengeFailures: with the challenge listener off the order is
// refused before anything is sent; with it on another port than the one
// the CA validates on (every order validated: PEBBLE_AUTHZREUSE=0), the
// CA's connection is refused and the order fails with the CA's reason.
func TestACMEChallengeFailures(t *testing.T) {
	t.Parallel()
	t.Run("listener off", func(t *testing.T) {
		e := newACMEEnv(t, acmeOptions{listen: -1})
		e.setEAB(t, "")
		_, r := e.order(t, "AUTHENTICATION", acmeSSName)
		if r.code() != "ACME_CHALLENGE_LISTENER_OFF" || !strings.Contains(r.raw, "--acme-challenge-listen") {
			t.Fatalf("got %s", r.raw)
		}
		var st struct {
			AcmeSettings struct{ ChallengeListenAddress *string }
		}
		e.officer.ok(t, `{ acmeSettings { challengeListenAddress autoActivateSigningCertificates } }`, nil, &st)
		if st.AcmeSettings.ChallengeListenAddress != nil {
			t.Errorf("settings: %+v", st)
		}
	})
	t.Run("port closed", func(t *testing.T) {
		_, port, _ := net.SplitHostPort(testenv.FreeAddress(t))
		other, _ := strconv.Atoi(port)
		e := newACMEEnv(t, acmeOptions{listen: other})
		e.setEAB(t, "")
		_, r := e.order(t, "AUTHENTICATION", acmeSSName)
		if r.code() != "ACME_AUTHORIZATION_FAILURE" || !strings.Contains(r.raw, "connection refused") || !strings.Contains(r.raw, acmeSSName) {
			t.Fatalf("got %s", r.raw)
		}
		t.Log(r.Errors[0].Message)
		if strings.Contains(e.tree(t), `"certificates":[{`) {
			t.Error("a certificate was stored")
		}
	})
}

// keyActions are a key's possible actions.
func (e *acmeEnv) keyActions(t *testing.T, id gid) []string {
	t.Helper()
	var out struct {
		Node struct{ PossibleActions []string }
	}
	e.officer.ok(t, `query($id: ID!) { node(id: $id) { ... on Key { possibleActions } } }`, map[string]any{"id": id}, &out)
	return out.Node.PossibleActions
}

// acmeApprovedCA is pebble's CA as the fake central server approves it,
// ordering authentication certificates with profile authProfile.
func acmeApprovedCA(p *acmetest.Pebble, authProfile string) globalconf.ApprovedCA {
	return globalconf.ApprovedCA{
		Name: acmeCAName, CertificateProfileInfo: pki.ProfileInfoSANOnly,
		TopCA:      globalconf.CAInfo{Cert: p.Intermediate, OCSP: []globalconf.OCSPInfo{{URL: p.OCSPURL}}},
		ACMEServer: &globalconf.ACMEServer{DirectoryURL: p.DirectoryURL, IPAddress: "127.0.0.1", AuthenticationCertificateProfileID: authProfile},
	}
}

// TestACMESecretsNeverShown: the external account binding's MAC key (the
// right one and a wrong one) and the ACME account's private key appear in
// no GraphQL response, audit entry or log line (debug level, the ACME
// library's included), and the database keeps them sealed.
func TestACMESecretsNeverShown(t *testing.T) {
	logs := captureLogs(t)

	e := newACMEEnv(t, acmeOptions{})
	rec := &recorder{next: http.DefaultTransport}
	rec.record(e.officer, e.sysadmin)
	wrongKey := make([]byte, 32)
	_, _ = rand.Read(wrongKey)
	wrong := base64.RawURLEncoding.EncodeToString(wrongKey)

	e.setEAB(t, wrong)
	if _, r := e.order(t, "AUTHENTICATION", acmeSSName); r.code() != "ACME_ACCOUNT_CREATION_FAILURE" {
		t.Fatalf("wrong MAC key: %s", r.raw)
	}
	// A malformed MAC key is refused without being repeated.
	if r := e.officer.do(t, qSetAccount, map[string]any{"in": map[string]any{"caName": acmeCAName, "memberId": fcsOwner.String(), "eabMacKey": wrong + "!*"}}); r.code() != xroad.CodeBadUserInput {
		t.Fatalf("malformed MAC key: %s", r.raw)
	}
	e.setEAB(t, e.pebble.EABMACKey)
	_, r := e.order(t, "SIGNING", acmeSSName)
	orderedCert(t, r)
	e.officer.ok(t, qAccounts, nil, nil)
	e.sysadmin.ok(t, `{ auditEvents(first: 100) { edges { node { event data } } } }`, nil, nil)

	accounts, err := e.srv.app.db.Client.AcmeAccount.Query().All(viewer.SystemContext(context.Background(), viewer.Security))
	if err != nil || len(accounts) != 1 || len(accounts[0].AccountKey) == 0 {
		t.Fatalf("stored accounts: %v, %v", accounts, err)
	}
	stored := string(accounts[0].EabMACKey) + string(accounts[0].AccountKey)

	var secrets []string
	for _, mac := range []string{e.pebble.EABMACKey, wrong} {
		raw, _ := base64.RawURLEncoding.DecodeString(mac)
		secrets = append(secrets, mac, base64.StdEncoding.EncodeToString(raw), base64.URLEncoding.EncodeToString(raw))
		if strings.Contains(stored, mac) || strings.Contains(stored, string(raw)) {
			t.Error("the database holds a MAC key in the clear")
		}
	}
	for where, text := range map[string]string{"responses": rec.String(), "logs": logs.String()} {
		if s, found := testenv.Contains(text, append(secrets, privateKeyMarkers...)...); found {
			t.Errorf("%s contain a secret (%.12s…)", where, s)
		}
	}
	if !strings.Contains(logs.String(), "component") || !strings.Contains(rec.String(), "eabMacKeySet") {
		t.Error("the scan saw neither the ACME library's log lines nor the accounts")
	}
}
