package main

// Deleting authentication certificates on the central server: X-Road's
// authCertDeletion from a security server (PR-MSERV §2.4) and the central
// server administrator's deletion (UG-CS §8.4).

import (
	"bytes"
	"context"
	"crypto"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/xroad"
)

const qDeleteServerAuthCert = `mutation($s: String!, $c: ID!) { deleteSecurityServerAuthCertificate(serverId: $s, authCertificateId: $c) {
	id requestId type origin status serverId createdBy authCertificate { sha256 } } }`

// sendDeletion builds X-Road's authCertDeletion for r's server and
// certificate, signed with r's owner key, and sends it.
func (e *centralEnv) sendDeletion(t *testing.T, r *regRequest) (int, error) {
	t.Helper()
	return e.postManagementRequest(e.buildDeletion(t, r, ""))
}

// postManagementRequest sends a built management request.
func (e *centralEnv) postManagementRequest(body []byte, ct string) (int, error) {
	return mgmtreq.Send(context.Background(), http.DefaultClient, e.srv.URL+"/managementservice/", body, ct)
}

// buildDeletion builds X-Road's authCertDeletion for r's server and
// certificate, signed with r's owner key, with message id id (generated
// when empty).
func (e *centralEnv) buildDeletion(t *testing.T, r *regRequest, id string) ([]byte, string) {
	t.Helper()
	provider := xroad.ClientID{Instance: e.instance, MemberClass: "ORG", MemberCode: "CENTRAL", SubsystemCode: "MANAGEMENT"}
	body, ct, err := mgmtreq.BuildDeletion(mgmtreq.AuthCertDeletion{
		Client: r.server.Owner, Service: xroad.ServiceID{Client: provider, ServiceCode: mgmtreq.ServiceCodeDeletion},
		Server: r.server, AuthCert: r.authCert.Raw, ID: id,
	}, r.ownerKey, r.ownerCert.Raw, r.ownerOCSP, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return body, ct
}

// registerApproved registers a server's certificate and approves it.
func (e *centralEnv) registerApproved(t *testing.T, serverCode string) *regRequest {
	t.Helper()
	r := e.newRegRequest(t, serverCode)
	e.sendApproved(t, r)
	return r
}

// sendApproved sends r's registration, approves it and waits until the
// configuration lists the certificate.
func (e *centralEnv) sendApproved(t *testing.T, r *regRequest) {
	t.Helper()
	id, err := e.send(t, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range e.requests(t, "WAITING") {
		if req.RequestID == id {
			e.regoff.ok(t, qApprove, map[string]any{"id": req.ID}, nil)
		}
	}
	e.waitConf(t, func(s *globalconf.Snapshot) bool {
		_, ok := s.Shared.ServerByAuthCertHash(globalconf.AuthCertHash(r.authCert.Raw))
		return ok
	})
}

func TestAuthCertDeletionFromSecurityServer(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	r := e.registerApproved(t, "SS1")
	sub, _, err := e.regoff.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.waitAck(t); err != nil {
		t.Fatal(err)
	}
	sub.start(t, `subscription { managementRequestChanged { requestId type status origin } }`, nil)
	e.srv.waitSubscriptions(t, 1)

	// Another server of the owner cannot remove it.
	other := *r
	other.server.ServerCode = "SS2"
	if _, err := e.sendDeletion(t, &other); !xroad.IsCode(err, xroad.CodeSecurityServerNotFound) {
		t.Fatalf("deletion for another server: %v", err)
	}

	id, err := e.sendDeletion(t, r)
	if err != nil {
		t.Fatalf("authCertDeletion: %v", err)
	}
	ev, errs := sub.next(t, 5*time.Second)
	if len(errs) > 0 || !bytes.Contains(ev, []byte(`"type":"AUTH_CERT_DELETION_REQUEST"`)) || !bytes.Contains(ev, []byte(`"status":"APPROVED"`)) {
		t.Fatalf("subscription event %s %v", ev, errs)
	}
	var del *mrNode
	for _, req := range e.requests(t, "APPROVED") {
		if req.RequestID == id {
			del = &req
		}
	}
	if del == nil || del.Type != "AUTH_CERT_DELETION_REQUEST" || del.Origin != "SECURITY_SERVER" || del.ServerID != "DEV/GOV/1234/SS1" ||
		del.AuthCertificate == nil || !strings.Contains(del.AuthCertificate.Subject, "CN=SS1") {
		t.Fatalf("deletion request %d: %+v", id, del)
	}
	// The next configuration lists the server without the certificate.
	e.waitConf(t, func(s *globalconf.Snapshot) bool {
		_, listed := s.Shared.ServerByAuthCertHash(globalconf.AuthCertHash(r.authCert.Raw))
		_, server := s.Shared.SecurityServer(r.server)
		return !listed && server
	})
	// Executed on arrival: it cannot be approved or declined.
	e.regoff.fails(t, xroad.CodeManagementRequestInvalidStateForApproval, qApprove, map[string]any{"id": del.ID})
	e.regoff.fails(t, xroad.CodeManagementRequestInvalidState, qDecline, map[string]any{"id": del.ID})
	// Nothing left to delete.
	if _, err := e.sendDeletion(t, r); !xroad.IsCode(err, xroad.CodeManagementRequestInvalidAuthCertificate) {
		t.Fatalf("second deletion: %v", err)
	}
	// The sender must be the owner.
	stranger := *r
	stranger.ownerKey, stranger.ownerCert = e.pki.signCert(t, xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "9999"})
	stranger.ownerOCSP = e.pki.ocsp(t, stranger.ownerCert)
	if _, err := e.sendDeletion(t, &stranger); !xroad.IsCode(err, xroad.CodeManagementRequestOwnerIdentifierMismatch) {
		t.Fatalf("deletion signed by another member: %v", err)
	}
	if !strings.Contains(auditEvents(t, e.regoff), "Add management request ") {
		t.Error("no audit event for the deletion")
	}
}

// TestAuthCertDeletionSentAgain: the same authCertDeletion message
// received again — a retry after a lost answer, or a replay — is answered
// with its request number and not executed again: the certificate,
// registered anew meanwhile, stays. Another message under the same id is
// refused.
func TestAuthCertDeletionSentAgain(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	r := e.registerApproved(t, "SS1")
	const messageID = "2f1c7c7e-7d6a-4e58-9d0b-4a1c39f0a7b1"
	body, ct := e.buildDeletion(t, r, messageID)
	id, err := e.postManagementRequest(body, ct)
	if err != nil {
		t.Fatal(err)
	}
	e.waitConf(t, func(s *globalconf.Snapshot) bool {
		_, listed := s.Shared.ServerByAuthCertHash(globalconf.AuthCertHash(r.authCert.Raw))
		return !listed
	})
	e.sendApproved(t, r) // the same certificate again
	n := len(e.requests(t, ""))
	again, err := e.postManagementRequest(body, ct)
	if err != nil || again != id {
		t.Fatalf("the deletion sent again: request %d, %v; want %d", again, err, id)
	}
	// The same message id for another server's certificate is refused.
	other := e.registerApproved(t, "SS2")
	if _, err := e.postManagementRequest(e.buildDeletion(t, other, messageID)); !xroad.IsCode(err, xroad.CodeManagementRequestExists) {
		t.Fatalf("another deletion under the same message id: %v", err)
	}
	if got := len(e.requests(t, "")); got != n+1 {
		t.Errorf("%d requests after the deletion was sent again, want %d", got, n+1)
	}
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	snap := e.waitConf(t, func(*globalconf.Snapshot) bool { return true })
	if _, listed := snap.Shared.ServerByAuthCertHash(globalconf.AuthCertHash(r.authCert.Raw)); !listed {
		t.Fatal("the deletion sent again removed the certificate registered anew")
	}
}

// TestAuthCertDeletionRevokesPendingRegistration: a deletion for a
// certificate that is only submitted for registration revokes the request
// (UG-CS §6.1.1: registration requests "are automatically revoked by
// deletion requests sent from the Security Server for the same object").
func TestAuthCertDeletionRevokesPendingRegistration(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	r := e.newRegRequest(t, "SS1")
	reg, err := e.send(t, r)
	if err != nil {
		t.Fatal(err)
	}
	del, err := e.sendDeletion(t, r)
	if err != nil {
		t.Fatalf("authCertDeletion: %v", err)
	}
	var revoked *mrNode
	for _, req := range e.requests(t, "REVOKED") {
		if req.RequestID == reg {
			revoked = &req
		}
	}
	if revoked == nil || revoked.Comments != "Revoked by authentication certificate deletion request "+strconv.Itoa(del) {
		t.Fatalf("registration request after the deletion: %+v", revoked)
	}
	if len(e.requests(t, "WAITING")) != 0 {
		t.Fatal("a request still waits")
	}
}

// TestDeleteSecurityServerAuthCertificate: the central server's registration
// officer deletes a server's authentication certificate (UG-CS §8.4).
func TestDeleteSecurityServerAuthCertificate(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	r := e.registerApproved(t, "SS1")
	var servers struct {
		SecurityServers struct {
			Edges []struct {
				Node struct {
					ServerID         string
					AuthCertificates []struct{ ID, Sha256 string }
				}
			}
		}
	}
	e.regoff.ok(t, `{ securityServers(first: 10) { edges { node { serverId authCertificates { id sha256 } } } } }`, nil, &servers)
	certID := servers.SecurityServers.Edges[0].Node.AuthCertificates[0].ID

	e.regoff.fails(t, xroad.CodeBadUserInput, qDeleteServerAuthCert, map[string]any{"s": "DEV/GOV", "c": certID})
	e.regoff.fails(t, xroad.CodeSecurityServerNotFound, qDeleteServerAuthCert, map[string]any{"s": "DEV/GOV/1234/SS9", "c": certID})
	e.regoff.fails(t, xroad.CodeSecurityServerNotFound, qDeleteServerAuthCert, map[string]any{"s": "OTHER/GOV/1234/SS1", "c": certID})
	e.regoff.fails(t, xroad.CodeSSAuthCertificateNotFound, qDeleteServerAuthCert, map[string]any{"s": "DEV/GOV/1234/SS1", "c": "999999"})

	var out struct {
		DeleteSecurityServerAuthCertificate struct {
			Type, Origin, Status, ServerID string
			CreatedBy                      *string
			AuthCertificate                struct{ Sha256 string }
		}
	}
	e.regoff.ok(t, qDeleteServerAuthCert, map[string]any{"s": "DEV/GOV/1234/SS1", "c": certID}, &out)
	d := out.DeleteSecurityServerAuthCertificate
	if d.Type != "AUTH_CERT_DELETION_REQUEST" || d.Origin != "CENTER" || d.Status != "APPROVED" || d.ServerID != "DEV/GOV/1234/SS1" ||
		d.CreatedBy == nil || *d.CreatedBy != "regoff" || d.AuthCertificate.Sha256 != servers.SecurityServers.Edges[0].Node.AuthCertificates[0].Sha256 {
		t.Fatalf("deletion: %+v", d)
	}
	e.waitConf(t, func(s *globalconf.Snapshot) bool {
		_, listed := s.Shared.ServerByAuthCertHash(globalconf.AuthCertHash(r.authCert.Raw))
		return !listed
	})
	e.regoff.fails(t, xroad.CodeSSAuthCertificateNotFound, qDeleteServerAuthCert, map[string]any{"s": "DEV/GOV/1234/SS1", "c": certID})
	if !strings.Contains(auditEvents(t, e.regoff), "Delete authentication certificate of security server ") {
		t.Error("no audit event")
	}
}
