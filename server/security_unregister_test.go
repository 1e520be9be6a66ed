package main

// Unregistering authentication certificates on the security server (UG-SS
// §5.6.1) against the fake central server: authCertDeletion, the forced
// transition without it, the status checker's DELETION_IN_PROGRESS and the
// deletion afterwards.

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/xroad"
)

const (
	qUnregister = `mutation($id: ID!) { unregisterAuthCertificate(certificateId: $id) { ...C } }` + certFragment
	qMarkForDel = `mutation($id: ID!) { markAuthCertForDeletion(certificateId: $id) { ...C } }` + certFragment
	qDeleteCert = `mutation($id: ID!) { deleteCertificate(certificateId: $id) }`
	qDeleteCSR  = `mutation($id: ID!) { deleteCsr(csrId: $id) }`
	qDeleteKey  = `mutation($id: ID!, $w: Boolean) { deleteKey(keyId: $id, ignoreWarnings: $w) }`
)

// newRegisteredSS is an initialised security server with the owner's
// signing certificate.
func newRegisteredSS(t *testing.T, opts ...func(*config)) (*ssEnv, certNode) {
	t.Helper()
	e := newSSEnv(t, opts...)
	e.initialize(t)
	sign := e.certify(t, e.generateKey(t, e.token(t, "SOFTWARE").ID, "sign", "EC").ID, "SIGNING")
	return e, sign
}

// hasAuditEvent reports whether the newest audit events have event.
func hasAuditEvent(t *testing.T, c *gqlClient, event string) bool {
	t.Helper()
	return slices.ContainsFunc(strings.Split(auditEvents(t, c), "\n"), func(line string) bool { return strings.HasPrefix(line, event+" ") })
}

// TestUnregisterAuthCertificate: a registered authentication certificate is
// unregistered with authCertDeletion; it is DELETION_IN_PROGRESS with the
// central server's request id until the configuration no longer lists it,
// then SAVED with unregisteredAt, and can be deleted. (Without the watch
// channel the server learns of the new configuration when told to, so the
// steps can be seen one by one.)
func TestUnregisterAuthCertificate(t *testing.T) {
	t.Parallel()
	e, _ := newRegisteredSS(t, func(c *config) { c.Watch = false })
	auth := e.registeredAuthCert(t, "auth")
	so := e.officer
	der := mustDER(t, auth.PEM)
	if !e.cs.listed(der) || !slices.Contains(auth.PossibleActions, "UNREGISTER") || slices.Contains(auth.PossibleActions, "DELETE") {
		t.Fatalf("registered certificate: %+v", auth)
	}
	so.fails(t, xroad.CodeActionNotPossible, qDeleteCert, map[string]any{"id": auth.ID})

	sub, _, err := so.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.waitAck(t); err != nil {
		t.Fatal(err)
	}
	sub.start(t, `subscription($c: ID) { certificateStatusChanged(certificateId: $c) { status unregisteredAt } }`, map[string]any{"c": auth.ID})
	e.srv.waitSubscriptions(t, 1)

	var out struct{ UnregisterAuthCertificate certNode }
	so.ok(t, qUnregister, map[string]any{"id": auth.ID}, &out)
	c := out.UnregisterAuthCertificate
	if c.Status != "DELETION_IN_PROGRESS" || c.DeletionRequestID == nil || !slices.Equal(c.PossibleActions, []string{"ACTIVATE", "DELETE"}) {
		t.Fatalf("after unregistering: %+v", c)
	}
	if r := e.cs.request(*c.DeletionRequestID); r.req.Kind != mgmtreq.ServiceCodeDeletion || r.req.Message.Server.ServerCode != fcsServerCode {
		t.Fatalf("the central server got %+v", r.req)
	}
	if e.cs.listed(der) {
		t.Fatal("the configuration still lists the certificate")
	}
	if c := e.cert(t, auth.ID); c.Status != "DELETION_IN_PROGRESS" {
		t.Fatalf("before the new configuration arrived the certificate is %s", c.Status)
	}
	// The configuration without it arrives; the status checker makes the
	// certificate SAVED.
	so.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
	for {
		data, errs := sub.next(t, 15*time.Second)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var ev struct{ CertificateStatusChanged certNode }
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.CertificateStatusChanged.Status == "SAVED" {
			if ev.CertificateStatusChanged.UnregisteredAt == nil {
				t.Fatalf("SAVED without unregisteredAt: %s", data)
			}
			break
		}
	}
	c = e.cert(t, auth.ID)
	if c.ManagementRequestID != nil || c.RegisteredAddress != nil || c.DeletionRequestID == nil ||
		!slices.Equal(c.PossibleActions, []string{"REGISTER", "ACTIVATE", "DELETE"}) {
		t.Fatalf("unregistered certificate: %+v", c)
	}
	for _, ev := range []string{"Unregister authentication certificate", "Set certificate registration status from global configuration"} {
		if !hasAuditEvent(t, so, ev) {
			t.Errorf("no audit event %q", ev)
		}
	}

	// Deleted afterwards (UG-SS §5.6.2), by its id.
	var del struct{ DeleteCertificate string }
	so.ok(t, qDeleteCert, map[string]any{"id": auth.ID}, &del)
	if del.DeleteCertificate != gidString(auth.ID) {
		t.Errorf("deleteCertificate = %q", del.DeleteCertificate)
	}
	so.fails(t, xroad.CodeCertificateNotFound, qDeleteCert, map[string]any{"id": auth.ID})
	so.fails(t, xroad.CodeCertificateNotFound, qUnregister, map[string]any{"id": auth.ID})
	if !hasAuditEvent(t, so, "Delete certificate from configuration") {
		t.Error("no audit event for the deletion")
	}
}

// TestUnregisterWhenTheCentralServerRefusesOrIsDown: a refusal keeps the
// central server's code and changes nothing; an unreachable central server
// answers MANAGEMENT_REQUEST_SEND_FAILED pointing at the forced transition,
// which then works without a request; a certificate only marked stays
// DELETION_IN_PROGRESS until it is deleted.
func TestUnregisterWhenTheCentralServerRefusesOrIsDown(t *testing.T) {
	t.Parallel()
	e, sign := newRegisteredSS(t)
	auth := e.registeredAuthCert(t, "auth")
	so := e.officer
	before := e.tree(t)

	e.cs.refuse(xroad.Errorf(xroad.CodeSecurityServerNotFound, "no such server"))
	r := so.fails(t, xroad.CodeSecurityServerNotFound, qUnregister, map[string]any{"id": auth.ID})
	if msg := r.Errors[0].Message; msg != "The central server refused the authentication certificate deletion request: no such server" {
		t.Errorf("message %q", msg)
	}
	e.cs.refuse(nil)
	e.cs.setDown(true)
	r = so.fails(t, xroad.CodeManagementRequestSendFailed, qUnregister, map[string]any{"id": auth.ID})
	if !strings.Contains(r.Errors[0].Message, "markAuthCertForDeletion") {
		t.Errorf("message %q does not say how to go on", r.Errors[0].Message)
	}
	if after := e.tree(t); after != before {
		t.Fatalf("a failed unregistration changed the server:\n%s\n%s", before, after)
	}

	var out struct{ MarkAuthCertForDeletion certNode }
	so.ok(t, qMarkForDel, map[string]any{"id": auth.ID}, &out)
	if c := out.MarkAuthCertForDeletion; c.Status != "DELETION_IN_PROGRESS" || c.DeletionRequestID != nil {
		t.Fatalf("marked: %+v", c)
	}
	if !hasAuditEvent(t, so, "Skip unregistration of authentication certificate") || !hasAuditEvent(t, so, "Unregister authentication certificate failed") {
		t.Error("audit events missing")
	}
	// Still listed: it stays DELETION_IN_PROGRESS until the central
	// server's administrator removes it.
	e.cs.republish(10 * time.Minute)
	so.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
	if c := e.cert(t, auth.ID); c.Status != "DELETION_IN_PROGRESS" {
		t.Fatalf("listed, marked certificate is %s", c.Status)
	}
	// Removed by the central server's administrator, without a request
	// the security server knows of: it stays DELETION_IN_PROGRESS, as in
	// X-Road, for its administrator to delete.
	e.cs.deleteFromConf(mustDER(t, auth.PEM))
	so.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
	if c := e.cert(t, auth.ID); c.Status != "DELETION_IN_PROGRESS" {
		t.Fatalf("marked certificate dropped from the configuration is %s", c.Status)
	}

	// Only registered or submitted authentication certificates can be
	// unregistered.
	so.fails(t, xroad.CodeActionNotPossible, qUnregister, map[string]any{"id": auth.ID})
	so.fails(t, xroad.CodeActionNotPossible, qMarkForDel, map[string]any{"id": sign.ID})
	so.ok(t, qDeleteCert, map[string]any{"id": auth.ID}, nil)
	so.fails(t, xroad.CodeCertificateNotFound, qDeleteCert, map[string]any{"id": auth.ID})
}

// TestUnregisterRegistrationInProgress: unregistering a certificate whose
// registration is still waiting revokes the request on the central server;
// the configuration never listed it, so the status checker, which runs
// right after the unregistration, has it SAVED at once.
func TestUnregisterRegistrationInProgress(t *testing.T) {
	t.Parallel()
	e, _ := newRegisteredSS(t)
	auth := e.certify(t, e.generateKey(t, e.token(t, "SOFTWARE").ID, "auth", "EC").ID, "AUTHENTICATION")
	reg := e.register(t, auth.ID)
	var out struct{ UnregisterAuthCertificate certNode }
	e.officer.ok(t, qUnregister, map[string]any{"id": auth.ID}, &out)
	if c := out.UnregisterAuthCertificate; c.Status != "SAVED" || c.UnregisteredAt == nil || c.DeletionRequestID == nil || c.ManagementRequestID != nil {
		t.Fatalf("unregistered: %+v", c)
	}
	if st := e.cs.request(reg).status; st != "REVOKED" {
		t.Errorf("the registration request is %s, want REVOKED", st)
	}
	// It can be registered again, which forgets the unregistration.
	e.register(t, auth.ID)
	if c := e.cert(t, auth.ID); c.Status != "REGISTRATION_IN_PROGRESS" || c.UnregisteredAt != nil || c.DeletionRequestID != nil {
		t.Errorf("registered again: %+v", c)
	}
}
