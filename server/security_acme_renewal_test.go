package main

// Automatic renewal of certificates ordered with ACME (UG-SS §24) against
// pebble: the CA's renewal information (RFC 9773) says when, the renewed
// authentication certificate is registered, approved, activated, and the
// old one unregistered and deleted with its key — with no administrator
// action; a declined registration leaves the old certificate working and
// the renewal failed with the central server's reason.

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/testenv/acmetest"
	"github.com/roadreg/roadreg/internal/viewer"
)

const (
	qRenewal = `query($id: ID!) { node(id: $id) { ... on Certificate { id sha256 status active renewsSha256
		renewal { status step nextRenewalAt startedAt lastError failures retryAt renewedBy { id sha256 status active managementRequestId renewsSha256 pem key { id } } } } } }`
	qRenewalEvents = `subscription { certificateRenewal { kind certificateSha256 renewedBySha256 message certificate { id sha256 } auditEventId } }`
)

type renewalNode struct {
	ID             gid
	Sha256, Status string
	Active         bool
	RenewsSha256   *string
	Renewal        struct {
		Status        string
		Step          *string
		NextRenewalAt *time.Time
		StartedAt     *time.Time
		LastError     *string
		Failures      int
		RetryAt       *time.Time
		RenewedBy     *struct {
			ID                  gid
			Sha256, Status, PEM string
			Active              bool
			ManagementRequestID *int
			RenewsSha256        *string
			Key                 struct{ ID gid }
		}
	}
}

// renewalOf reads a certificate's renewal state; ok is false when the
// certificate no longer exists.
func (e *acmeEnv) renewalOf(t *testing.T, id gid) (renewalNode, bool) {
	t.Helper()
	r := e.officer.do(t, qRenewal, map[string]any{"id": id})
	if r.code() == "NOT_FOUND" {
		return renewalNode{}, false
	}
	var out struct{ Node renewalNode }
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil {
		t.Fatalf("certificate %v: %s", id, r.raw)
	}
	return out.Node, true
}

type renewalEvent struct {
	Kind, CertificateSha256, Message string
	RenewedBySha256                  *string
}

// newRenewalEnv is a security server with automatic renewal and
// activation whose owner's signing certificate and authentication
// certificate were ordered from pebble; the authentication certificate is
// registered (the fake central server approved it) and active.
func newRenewalEnv(t *testing.T) (*acmeEnv, acmeCert, *x509.Certificate) {
	t.Helper()
	e := newACMEEnv(t, acmeOptions{autoActivate: true, more: func(c *config) {
		c.AutoActivate, c.ACMERenewal = true, true
		c.RenewalInterval, c.RenewalRetryDelay = 300*time.Millisecond, time.Hour
	}})
	e.setEAB(t, "")
	_, r := e.order(t, "SIGNING", acmeSSName)
	if sign := orderedCert(t, r); !sign.Active {
		t.Fatalf("signing certificate: %+v", sign)
	}
	_, r = e.order(t, "AUTHENTICATION", acmeSSName)
	auth := orderedCert(t, r)
	// The SAN-only profile's signing certificate names the server's address.
	var reg struct{ RegisterAuthCertificate certNode }
	e.officer.ok(t, qRegister, map[string]any{"id": auth.ID, "a": acmeSSName}, &reg)
	e.cs.approve(*reg.RegisterAuthCertificate.ManagementRequestID)
	leaf, err := x509.ParseCertificate(mustDER(t, auth.PEM))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "the authentication certificate's registration and activation", func() bool {
		c := e.cert(t, auth.ID)
		return c.Status == "REGISTERED" && c.Active
	})
	var n renewalNode
	waitFor(t, 10*time.Second, "the renewal job to plan the renewal", func() bool {
		n, _ = e.renewalOf(t, auth.ID)
		return n.Renewal.NextRenewalAt != nil
	})
	// pebble's renewal information for a fresh certificate: a window late
	// in its life.
	if n.Renewal.Status != "PLANNED" || !n.Renewal.NextRenewalAt.After(time.Now().Add(24*time.Hour)) || !n.Renewal.NextRenewalAt.Before(leaf.NotAfter) {
		t.Fatalf("a fresh certificate: %+v", n.Renewal)
	}
	return e, auth, leaf
}

// renewNow makes pebble's renewal information say that leaf is to be
// renewed now.
func (e *acmeEnv) renewNow(t *testing.T, leaf *x509.Certificate) {
	t.Helper()
	start := time.Now().Add(-time.Hour).UTC()
	e.pebble.SetRenewalInfo(t, leaf, fmt.Sprintf(`{"suggestedWindow":{"start":%q,"end":%q}}`,
		start.Format(time.RFC3339), start.Add(30*time.Minute).Format(time.RFC3339)))
}

// renewalEvents subscribes to the renewal job's events.
func (e *acmeEnv) renewalEvents(t *testing.T) *subscription {
	t.Helper()
	sub, _, err := e.officer.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.conn.Close() })
	if err := sub.waitAck(t); err != nil {
		t.Fatal(err)
	}
	sub.start(t, qRenewalEvents, nil)
	e.srv.waitSubscriptions(t, 1)
	return sub
}

// nextRenewalEvent waits for the next event of the kind, skipping others;
// a failure while waiting for another kind ends the test with its reason.
func nextRenewalEvent(t *testing.T, sub *subscription, kind string) renewalEvent {
	t.Helper()
	for {
		data, errs := sub.next(t, 60*time.Second)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var ev struct{ CertificateRenewal renewalEvent }
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.CertificateRenewal.Kind == kind {
			return ev.CertificateRenewal
		}
		if ev.CertificateRenewal.Kind == "FAILED" {
			t.Fatalf("waiting for %s, the renewal failed: %s", kind, ev.CertificateRenewal.Message)
		}
	}
}

// renewalFailures reads the renewal failure metric of a certificate.
func renewalFailures(t *testing.T, baseURL, sha256, usage string) (int, bool) {
	t.Helper()
	prefix := fmt.Sprintf(`roadreg_certificate_renewal_failures{certificate_sha256="%s",usage="%s"} `, sha256, usage)
	for _, line := range strings.Split(httpBody(t, baseURL+"/metrics"), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return n, true
		}
	}
	return 0, false
}

// TestACMERenewal: when the CA's renewal information says so, the job
// orders a certificate for a new key, registers it at the old one's
// address, and — once the central server approved it and it was activated
// automatically — unregisters the old certificate and deletes it with its
// key when the configuration no longer lists it. The administrator sees
// each step in the certificate's renewal state and live on the
// certificateRenewal subscription.
func TestACMERenewal(t *testing.T) {
	t.Parallel()
	e, old, leaf := newRenewalEnv(t)
	sub := e.renewalEvents(t)
	e.renewNow(t, leaf)

	if ev := nextRenewalEvent(t, sub, "STARTED"); ev.CertificateSha256 != old.Sha256 || !strings.Contains(ev.Message, acmeCAName) {
		t.Errorf("started: %+v", ev)
	}
	var n renewalNode
	waitFor(t, 60*time.Second, "the renewed certificate's registration request", func() bool {
		n, _ = e.renewalOf(t, old.ID)
		return n.Renewal.Step != nil && *n.Renewal.Step == "WAITING_FOR_APPROVAL"
	})
	renewed := n.Renewal.RenewedBy
	if n.Renewal.Status != "IN_PROGRESS" || renewed == nil || renewed.Status != "REGISTRATION_IN_PROGRESS" ||
		renewed.ManagementRequestID == nil || *renewed.RenewsSha256 != old.Sha256 || renewed.Key.ID == old.Key.ID || !n.Active {
		t.Fatalf("waiting for approval: %+v", n)
	}
	newLeaf, err := x509.ParseCertificate(mustDER(t, renewed.PEM))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(newLeaf.DNSNames) != fmt.Sprint(leaf.DNSNames) || !newLeaf.NotAfter.After(leaf.NotAfter) {
		t.Errorf("renewed certificate: names %v (old %v), not after %s (old %s)", newLeaf.DNSNames, leaf.DNSNames, newLeaf.NotAfter, leaf.NotAfter)
	}
	if r := e.cs.request(*renewed.ManagementRequestID); r.req.Message.Address != acmeSSName {
		t.Errorf("registered at %q, want the old certificate's address", r.req.Message.Address)
	}

	e.cs.approve(*renewed.ManagementRequestID)
	done := nextRenewalEvent(t, sub, "DONE")
	if done.CertificateSha256 != old.Sha256 || done.RenewedBySha256 == nil || *done.RenewedBySha256 != renewed.Sha256 {
		t.Errorf("done: %+v", done)
	}
	if _, ok := e.renewalOf(t, old.ID); ok {
		t.Error("the old certificate is still there")
	}
	if tree := e.tree(t); strings.Contains(tree, fmt.Sprintf(`"id":"%v"`, old.Key.ID)) {
		t.Errorf("the old key is still there: %s", tree)
	}
	c := e.cert(t, renewed.ID)
	if c.Status != "REGISTERED" || !c.Active || !e.cs.listed(mustDER(t, renewed.PEM)) || e.cs.listed(mustDER(t, old.PEM)) {
		t.Errorf("after the renewal: %+v; configuration lists the renewed one %t, the old one %t",
			c, e.cs.listed(mustDER(t, renewed.PEM)), e.cs.listed(mustDER(t, old.PEM)))
	}
	if rn, _ := e.renewalOf(t, renewed.ID); rn.Renewal.Status != "PLANNED" {
		t.Errorf("the renewed certificate's own renewal: %+v", rn.Renewal)
	}
	for _, ev := range []string{"Start automatic certificate renewal", "Register authentication certificate",
		"Unregister authentication certificate", "Finish automatic certificate renewal"} {
		if !hasAuditEvent(t, e.officer, ev) {
			t.Errorf("no audit event %q", ev)
		}
	}
	if f, ok := renewalFailures(t, e.srv.URL, renewed.Sha256, "AUTHENTICATION"); !ok || f != 0 {
		t.Errorf("renewal failures metric of the renewed certificate: %d (present %t)", f, ok)
	}
}

// TestACMERenewalNearExpiry: pebble issues authentication certificates
// valid for 40 seconds (the CA's authentication profile), and its renewal
// information suggests a window from issue to expiry, as it does for any
// certificate that short; nobody tells the job to renew. The job plans the
// registered certificate's renewal inside its life, renews it, registers
// the renewed one at the same address and, once approved and activated,
// unregisters and deletes the old one.
func TestACMERenewalNearExpiry(t *testing.T) {
	t.Parallel()
	const validity = 40 * time.Second
	e := newACMEEnv(t, acmeOptions{
		autoActivate: true, authProfile: "short",
		pebble: acmetest.Options{Profiles: map[string]acmetest.Profile{
			"default": {Description: "90 days", ValidityPeriod: 90 * 24 * time.Hour},
			"short":   {Description: "40 seconds", ValidityPeriod: validity},
		}},
		more: func(c *config) {
			c.AutoActivate, c.ACMERenewal = true, true
			c.RenewalInterval, c.RenewalRetryDelay = 300*time.Millisecond, time.Hour
		},
	})
	e.setEAB(t, "")
	if _, r := e.order(t, "SIGNING", acmeSSName); !orderedCert(t, r).Active {
		t.Fatalf("signing certificate: %s", r.raw)
	}
	_, r := e.order(t, "AUTHENTICATION", acmeSSName)
	old := orderedCert(t, r)
	leaf, err := x509.ParseCertificate(mustDER(t, old.PEM))
	if err != nil {
		t.Fatal(err)
	}
	if life := leaf.NotAfter.Sub(leaf.NotBefore); life > validity+time.Second {
		t.Fatalf("pebble issued the authentication certificate for %s, want the short profile's %s", life, validity)
	}
	var reg struct{ RegisterAuthCertificate certNode }
	e.officer.ok(t, qRegister, map[string]any{"id": old.ID, "a": acmeSSName}, &reg)
	e.cs.approve(*reg.RegisterAuthCertificate.ManagementRequestID)

	var n renewalNode
	waitFor(t, validity+30*time.Second, "the near-expiry certificate's renewal to be registered", func() bool {
		n, _ = e.renewalOf(t, old.ID)
		return n.Renewal.Step != nil && *n.Renewal.Step == "WAITING_FOR_APPROVAL"
	})
	renewed := n.Renewal.RenewedBy
	// Planned inside the certificate's life (the window pebble suggests);
	// the job may start a moment later on a busy machine.
	if renewed == nil || renewed.ManagementRequestID == nil || n.Renewal.StartedAt == nil ||
		n.Renewal.NextRenewalAt == nil || !n.Renewal.NextRenewalAt.Before(leaf.NotAfter) {
		t.Fatalf("the renewal: %+v (the certificate expires at %s)", n.Renewal, leaf.NotAfter)
	}
	if r := e.cs.request(*renewed.ManagementRequestID); r.req.Message.Address != acmeSSName {
		t.Errorf("registered at %q, want the old certificate's address", r.req.Message.Address)
	}
	e.cs.approve(*renewed.ManagementRequestID)
	waitFor(t, 30*time.Second, "the old certificate's deletion", func() bool {
		_, ok := e.renewalOf(t, old.ID)
		return !ok
	})
	if e.cs.listed(mustDER(t, old.PEM)) {
		t.Error("the configuration still lists the old certificate")
	}
	if c := e.cert(t, renewed.ID); c.Status != "REGISTERED" || !c.Active {
		t.Errorf("the renewed certificate: %+v", c)
	}
}

// TestACMERenewalDeclined: the central server declines the renewed
// certificate's registration; the renewal fails with its reason and is
// tried again later, the renewed certificate and its key are gone, and the
// old certificate stays registered, active and listed.
func TestACMERenewalDeclined(t *testing.T) {
	t.Parallel()
	e, old, leaf := newRenewalEnv(t)
	sub := e.renewalEvents(t)
	e.renewNow(t, leaf)
	var n renewalNode
	waitFor(t, 60*time.Second, "the renewed certificate's registration request", func() bool {
		n, _ = e.renewalOf(t, old.ID)
		return n.Renewal.Step != nil && *n.Renewal.Step == "WAITING_FOR_APPROVAL"
	})
	renewed := n.Renewal.RenewedBy
	e.cs.decline(*renewed.ManagementRequestID, "Renewal not agreed with the operator")

	failed := nextRenewalEvent(t, sub, "FAILED")
	if failed.CertificateSha256 != old.Sha256 || !strings.Contains(failed.Message, "Renewal not agreed with the operator") {
		t.Errorf("failed: %+v", failed)
	}
	n, _ = e.renewalOf(t, old.ID)
	if n.Renewal.Status != "FAILED" || n.Renewal.Failures != 1 || n.Renewal.RenewedBy != nil || n.Renewal.LastError == nil ||
		!strings.Contains(*n.Renewal.LastError, "declined") || n.Renewal.RetryAt == nil || time.Until(*n.Renewal.RetryAt) < 50*time.Minute {
		t.Errorf("after the decline: %+v", n.Renewal)
	}
	if _, ok := e.renewalOf(t, renewed.ID); ok {
		t.Error("the declined certificate is still there")
	}
	if c := e.cert(t, old.ID); c.Status != "REGISTERED" || !c.Active || !e.cs.listed(mustDER(t, old.PEM)) {
		t.Errorf("the old certificate after the decline: %+v (listed %t)", c, e.cs.listed(mustDER(t, old.PEM)))
	}
	if f, ok := renewalFailures(t, e.srv.URL, old.Sha256, "AUTHENTICATION"); !ok || f != 1 {
		t.Errorf("renewal failures metric: %d (present %t)", f, ok)
	}
}

// TestACMERenewalWithCentralServer is the whole renewal across the two
// servers: a central server with --auto-approve-renewals and pebble
// approved as a CA with the SAN-only profile and its ACME server, and a
// security server with automatic renewal and activation whose ACME-issued
// authentication certificate is registered. When pebble says the
// certificate is due, the renewed one is registered, approved by policy
// (the request says why), activated, and the old one unregistered and
// deleted — no administrator acts; the central server's configuration then
// lists only the renewed certificate.
func TestACMERenewalWithCentralServer(t *testing.T) {
	t.Parallel()
	p := acmetest.Start(t, acmetest.Options{})
	roots := filepath.Join(t.TempDir(), "acme-roots.pem")
	if err := os.WriteFile(roots, p.TLSRootPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	csSrv := startServer(t, viewer.Central, func(c *config) { c.AutoApproveRenewals = true })
	e := newMember01Central(t, csSrv.URL, csSrv.user(t, "sysadmin", viewer.SystemAdministrator),
		csSrv.user(t, "secoff", viewer.SecurityOfficer), csSrv.user(t, "regoff", viewer.RegistrationOfficer))
	e.cs.srv = csSrv
	e.initCentral(t, strings.TrimPrefix(csSrv.URL, "http://"))
	e.cs.sysadmin.ok(t, qAddCA, map[string]any{"i": map[string]any{
		"caCertificate": pemCert(p.Intermediate.Raw), "ocspResponders": []map[string]any{{"url": p.OCSPURL}},
		"certificateProfileInfo": pki.ProfileInfoSANOnly, "acmeServerDirectoryUrl": p.DirectoryURL, "acmeServerIpAddress": "127.0.0.1",
	}}, nil)
	e.cs.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)

	ss := startServer(t, viewer.Security, func(c *config) {
		c.ACMEChallengeListen, c.ACMECARoots = net.JoinHostPort("127.0.0.1", strconv.Itoa(p.HTTPPort)), roots
		c.AutoActivate, c.AutoActivateACMESign, c.ACMERenewal = true, true, true
		c.RenewalInterval, c.RenewalRetryDelay = 300*time.Millisecond, time.Hour
	})
	admin := ss.user(t, "ss-admin", viewer.SecurityOfficer, viewer.SystemAdministrator)
	admin.ok(t, qUploadAnchor, map[string]any{"a": e.anchor}, nil)
	admin.ok(t, qInitialize, map[string]any{"in": map[string]any{
		"ownerMemberClass": "GOV", "ownerMemberCode": "1234", "serverCode": "SS1", "softTokenPin": e.ssPIN}}, nil)
	caName := ""
	waitFor(t, 15*time.Second, "pebble's CA in the security server's configuration", func() bool {
		var out struct{ ApprovedCertificationAuthorities []struct{ Name string } }
		admin.ok(t, `{ approvedCertificationAuthorities { name } }`, nil, &out)
		for _, ca := range out.ApprovedCertificationAuthorities {
			if strings.HasPrefix(ca.Name, "Pebble") {
				caName = ca.Name
			}
		}
		return caName != ""
	})
	admin.ok(t, qSetAccount, map[string]any{"in": map[string]any{
		"caName": caName, "memberId": e.ownerID, "eabKeyId": p.EABKeyID, "eabMacKey": p.EABMACKey, "contactEmail": "admin@roadreg.test"}}, nil)
	var toks struct{ Tokens []tokenNode }
	admin.ok(t, `{ tokens { id type } }`, nil, &toks)
	order := func(usage string) acmeCert {
		var k struct{ GenerateKey keyNode }
		admin.ok(t, qGenerateKey, map[string]any{"id": toks.Tokens[0].ID, "alg": "EC"}, &k)
		in := map[string]any{"keyId": k.GenerateKey.ID, "usage": usage, "caName": caName,
			"subjectFields": []map[string]any{{"id": "subjectAltName", "value": acmeSSName}}}
		if usage == "SIGNING" {
			in["memberId"] = e.ownerID
		}
		return orderedCert(t, admin.do(t, qOrderACME, map[string]any{"in": in}))
	}
	order("SIGNING")
	old := order("AUTHENTICATION")
	admin.ok(t, qRegister, map[string]any{"id": old.ID, "a": acmeSSName}, nil)
	// A first registration is not a renewal: the administrator approves it.
	waiting := e.cs.requests(t, "WAITING")
	if len(waiting) != 1 {
		t.Fatalf("the first registration: %+v", e.requests(t))
	}
	e.cs.regoff.ok(t, qApprove, map[string]any{"id": waiting[0].ID}, nil)
	waitFor(t, 30*time.Second, "the first certificate's registration and activation", func() bool {
		var out struct{ Node certNode }
		admin.ok(t, qCert, map[string]any{"id": old.ID}, &out)
		return out.Node.Status == "REGISTERED" && out.Node.Active
	})
	leaf, err := x509.ParseCertificate(mustDER(t, old.PEM))
	if err != nil {
		t.Fatal(err)
	}

	sub, _, err := admin.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.conn.Close()
	if err := sub.waitAck(t); err != nil {
		t.Fatal(err)
	}
	sub.start(t, qRenewalEvents, nil)
	ss.waitSubscriptions(t, 1)
	start := time.Now()
	(&acmeEnv{pebble: p}).renewNow(t, leaf)
	nextRenewalEvent(t, sub, "STARTED")
	done := nextRenewalEvent(t, sub, "DONE")
	t.Logf("from the CA's renewal information saying renew-now to the old certificate's deletion: %s", time.Since(start).Round(time.Millisecond))
	if done.CertificateSha256 != old.Sha256 || done.RenewedBySha256 == nil {
		t.Fatalf("done: %+v", done)
	}
	renewedHash, err := hex.DecodeString(*done.RenewedBySha256)
	if err != nil {
		t.Fatal(err)
	}

	var renewalReq, deletionReq *mrNode
	for _, r := range e.requests(t) {
		switch {
		case r.Type == "AUTH_CERT_REGISTRATION_REQUEST" && r.AuthCertificateSha256 == *done.RenewedBySha256:
			renewalReq = &r
		case r.Type == "AUTH_CERT_DELETION_REQUEST" && r.AuthCertificateSha256 == old.Sha256:
			deletionReq = &r
		}
	}
	if renewalReq == nil || renewalReq.Status != "APPROVED" || !strings.Contains(renewalReq.Comments, "Approved automatically as a renewal") {
		t.Errorf("the renewal's registration request: %+v", renewalReq)
	}
	if deletionReq == nil || deletionReq.Status != "APPROVED" {
		t.Errorf("the old certificate's deletion request: %+v", deletionReq)
	}
	e.cs.waitConf(t, func(s *globalconf.Snapshot) bool {
		return len(s.Shared.SecurityServers) == 1 && len(s.Shared.SecurityServers[0].AuthCertHashes) == 1 &&
			bytes.Equal(s.Shared.SecurityServers[0].AuthCertHashes[0], renewedHash)
	})
	if r := admin.do(t, qCert, map[string]any{"id": old.ID}); r.code() != "NOT_FOUND" {
		t.Errorf("the old certificate: %s", r.raw)
	}
}

// TestACMERenewalOrderFails: the CA cannot validate the name when the
// renewal is ordered (its address no longer reaches the challenge
// listener); the renewal fails with the CA's reason and a later retry,
// the key generated for it is deleted again, and the old certificate stays
// registered and active.
func TestACMERenewalOrderFails(t *testing.T) {
	t.Parallel()
	e, old, leaf := newRenewalEnv(t)
	before := e.tree(t)
	sub := e.renewalEvents(t)
	e.pebble.AddA(t, acmeSSName, "127.0.0.2") // nothing answers HTTP-01 there
	e.renewNow(t, leaf)
	failed := nextRenewalEvent(t, sub, "FAILED")
	if failed.CertificateSha256 != old.Sha256 || !strings.Contains(failed.Message, "could not validate control of "+acmeSSName) {
		t.Errorf("failed: %+v", failed)
	}
	n, _ := e.renewalOf(t, old.ID)
	if n.Renewal.Status != "FAILED" || n.Renewal.Failures != 1 || n.Renewal.RenewedBy != nil || n.Renewal.RetryAt == nil ||
		n.Renewal.LastError == nil || !strings.HasPrefix(*n.Renewal.LastError, "ordering the renewed certificate failed: ") {
		t.Errorf("after the failed order: %+v", n.Renewal)
	}
	if c := e.cert(t, old.ID); c.Status != "REGISTERED" || !c.Active {
		t.Errorf("the old certificate: %+v", c)
	}
	if after := e.tree(t); after != before {
		t.Errorf("the failed renewal left something behind:\nbefore %s\nafter  %s", before, after)
	}
}
