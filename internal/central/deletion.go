package central

import (
	"context"
	"fmt"
	"log/slog"
	"maps"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/authcertificate"
	"github.com/roadreg/roadreg/ent/managementrequest"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/ent/securityserver"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Audit events of authentication certificate deletion (X-Road's names).
const (
	evAddManagementRequest = "Add management request"
	evDeleteServerAuthCert = "Delete authentication certificate of security server"
)

// deletionRequest is a request to delete an authentication certificate of
// a security server, from either origin.
type deletionRequest struct {
	Server        xroad.ServerID
	Cert          []byte // DER
	Origin        managementrequest.Origin
	CreatedBy     string
	ClientAddress string
	// MessageID is the SOAP message id of a request a security server
	// sent: a message received again is answered with its request and not
	// executed again (a retry after a lost answer, or a replay).
	MessageID string
}

// deletionOutcome is what executing a deletion request did.
type deletionOutcome struct {
	request *ent.ManagementRequest
	// revoked are the request numbers of the registrations it revoked.
	revoked []int
	// again: the message was received before; request is its request.
	again bool
}

// UnregisterFromSecurityServer serves an authCertDeletion a security server
// sent (PR-MSERV §2.4): the central server's own configuration must be valid
// (check 1), mgmtreq.VerifyDeletion's checks, then the deletion is executed
// at once (see addDeletionRequest). It returns the request number.
func (s *Service) UnregisterFromSecurityServer(ctx context.Context, r *mgmtreq.Request, clientAddr string) (int, error) {
	ctx = managementServiceContext(ctx)
	trust, err := s.managementTrust(ctx)
	if err != nil {
		return 0, err
	}
	data := map[string]any{"type": managementrequest.TypeAUTH_CERT_DELETION_REQUEST, "serverId": r.Message.Server.String(), "clientAddress": clientAddr}
	if err := mgmtreq.VerifyDeletion(r, trust, s.now()); err != nil {
		s.auditFailure(ctx, evAddManagementRequest, err, data)
		return 0, err
	}
	out, err := s.executeDeletion(ctx, evAddManagementRequest, data, deletionRequest{
		Server: r.Message.Server, Cert: r.Message.AuthCert, Origin: managementrequest.OriginSECURITY_SERVER,
		CreatedBy: managementServiceActor, ClientAddress: clientAddr, MessageID: r.Message.ID,
	})
	if err != nil {
		return 0, err
	}
	return out.request.RequestID, nil
}

// DeleteSecurityServerAuthCertificate deletes an authentication certificate
// of a security server (UG-CS §8.4) as an AUTH_CERT_DELETION_REQUEST of
// origin CENTER, executed at once. The server keeps its other certificates,
// and stays registered without any (as in X-Road).
func (s *Service) DeleteSecurityServerAuthCertificate(ctx context.Context, serverID string, authCertID int) (*ent.ManagementRequest, error) {
	if err := viewer.Require(ctx, viewer.CSDeleteServerAuthCert); err != nil {
		return nil, err
	}
	ctx = viewer.Elevated(ctx)
	id, err := xroad.ParseServerID(xroad.Trim(serverID))
	if err != nil {
		return nil, xroad.BadInput("serverId", "serverId %q is not of the form INSTANCE/CLASS/CODE/SERVERCODE", serverID)
	}
	data := map[string]any{"serverId": id.String(), "authCertificateId": authCertID}
	instance, err := s.Instance(ctx)
	if err != nil {
		return nil, err
	}
	srv, err := s.client.SecurityServer.Query().Where(securityserver.ServerCode(id.ServerCode), securityserver.HasOwnerWith(
		member.MemberCode(id.Owner.MemberCode), member.HasMemberClassWith(memberclass.Code(id.Owner.MemberClass)))).Only(ctx)
	if ent.IsNotFound(err) || id.Owner.Instance != instance {
		err = xroad.Errorf(xroad.CodeSecurityServerNotFound, "Security server %s was not found", id).WithMetadata(id.String())
	}
	if err != nil {
		s.auditFailure(ctx, evDeleteServerAuthCert, err, data)
		return nil, err
	}
	ac, err := srv.QueryAuthCertificates().Where(authcertificate.ID(authCertID)).Only(ctx)
	if ent.IsNotFound(err) {
		err = xroad.Errorf(xroad.CodeSSAuthCertificateNotFound, "Security server %s has no authentication certificate with id %d", id, authCertID)
	}
	if err != nil {
		s.auditFailure(ctx, evDeleteServerAuthCert, err, data)
		return nil, err
	}
	out, err := s.executeDeletion(ctx, evDeleteServerAuthCert, data, deletionRequest{
		Server: id, Cert: ac.Certificate, Origin: managementrequest.OriginCENTER, CreatedBy: viewer.FromContext(ctx).Username,
	})
	if err != nil {
		return nil, err
	}
	return out.request.Unwrap(), nil
}

// executeDeletion runs addDeletionRequest in a transaction (again when a
// concurrent request took its number) and audits event with data.
func (s *Service) executeDeletion(ctx context.Context, event string, data map[string]any, r deletionRequest) (deletionOutcome, error) {
	data["authCertHash"] = pki.SHA256Hex(r.Cert)
	var out deletionOutcome
	err := retryOnConflict(func() error {
		return db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
			var err error
			if out, err = s.addDeletionRequest(ctx, tx, r); err != nil || out.again {
				return err
			}
			done := maps.Clone(data)
			done["requestId"] = out.request.RequestID
			if len(out.revoked) > 0 {
				done["revokedRequestIds"] = out.revoked
			}
			audit.Log(ctx, tx.Client(), audit.Entry{Event: event, Data: done})
			return nil
		})
	})
	if err != nil {
		s.auditFailure(ctx, event, err, data)
	}
	return out, err
}

// addDeletionRequest executes an authentication certificate deletion
// (X-Road's AuthenticationCertificateDeletionRequestHandler) inside tx: a
// registered certificate must belong to the request's server
// (SECURITY_SERVER_NOT_FOUND otherwise) and is removed from it; a
// certificate only submitted for registration for that server has its
// pending registration requests (and their pairs) REVOKED; anything else is
// MANAGEMENT_REQUEST_INVALID_AUTH_CERTIFICATE. The AUTH_CERT_DELETION_REQUEST
// is stored APPROVED — executed on arrival — and the next configuration is
// generated at once.
func (s *Service) addDeletionRequest(ctx context.Context, tx *ent.Tx, r deletionRequest) (deletionOutcome, error) {
	var out deletionOutcome
	if r.MessageID != "" {
		prev, err := tx.ManagementRequest.Query().Where(managementrequest.MessageID(r.MessageID)).Only(ctx)
		if err == nil && (!sameServer(prev, r.Server) || xroad.Deref(prev.AuthCertificateSha256) != pki.SHA256Hex(r.Cert)) {
			return out, xroad.Errorf(xroad.CodeManagementRequestExists,
				"A management request with message id %s was received before for another server or certificate; send a new message", r.MessageID)
		}
		if err == nil {
			slog.InfoContext(ctx, "a deletion request received again is answered with its request", "requestId", prev.RequestID)
			return deletionOutcome{request: prev, again: true}, nil
		}
		if !ent.IsNotFound(err) {
			return out, err
		}
	}
	sha := pki.SHA256Hex(r.Cert)
	num, err := nextRequestID(ctx, tx)
	if err != nil {
		return out, err
	}
	// The pending registrations of the certificate are locked first: an
	// approval running now either has committed (and the certificate is
	// found registered below) or waits and then finds its request REVOKED.
	pendingQ := tx.ManagementRequest.Query().Where(managementrequest.AuthCertificateSha256(sha),
		managementrequest.TypeEQ(managementrequest.TypeAUTH_CERT_REGISTRATION_REQUEST), managementrequest.StatusIn(pendingStatuses...),
		managementrequest.ServerInstance(r.Server.Owner.Instance), managementrequest.ServerOwnerClass(r.Server.Owner.MemberClass),
		managementrequest.ServerOwnerCode(r.Server.Owner.MemberCode), managementrequest.ServerCode(r.Server.ServerCode))
	if s.opts.Dialect == dialect.Postgres {
		pendingQ = pendingQ.ForUpdate(sql.WithLockTables(managementrequest.Table))
	}
	pending, err := pendingQ.All(ctx)
	if err != nil {
		return out, err
	}
	ids := []int{}
	ac, err := tx.AuthCertificate.Query().Where(authcertificate.Sha256(sha)).
		WithSecurityServer(func(q *ent.SecurityServerQuery) { q.WithOwner(func(q *ent.MemberQuery) { q.WithMemberClass() }) }).Only(ctx)
	switch {
	case err == nil:
		owner := ac.Edges.SecurityServer.Edges.Owner
		registeredTo := xroad.ServerID{Owner: xroad.ClientID{Instance: r.Server.Owner.Instance, MemberClass: owner.Edges.MemberClass.Code,
			MemberCode: owner.MemberCode}, ServerCode: ac.Edges.SecurityServer.ServerCode}
		if registeredTo != r.Server {
			return out, xroad.Errorf(xroad.CodeSecurityServerNotFound,
				"The authentication certificate is not registered to security server %s", r.Server).WithMetadata(r.Server.String())
		}
		if n, err := tx.AuthCertificate.Delete().Where(authcertificate.ID(ac.ID)).Exec(ctx); err != nil {
			return out, err
		} else if n == 0 {
			return out, errNotRegisteredOrPending(r.Server) // deleted meanwhile
		}
	case ent.IsNotFound(err):
		if len(pending) == 0 {
			return out, errNotRegisteredOrPending(r.Server)
		}
		comment := fmt.Sprintf("Revoked by authentication certificate deletion request %d", num)
		for _, p := range pending {
			revoke := []int{p.ID}
			if pairID, err := p.QueryPairedWith().OnlyID(ctx); err == nil {
				revoke = append(revoke, pairID)
			} else if !ent.IsNotFound(err) {
				return out, err
			}
			if err := tx.ManagementRequest.Update().Where(managementrequest.IDIn(revoke...)).
				SetStatus(managementrequest.StatusREVOKED).SetComments(comment).Exec(ctx); err != nil {
				return out, err
			}
			ids = append(ids, revoke...)
			out.revoked = append(out.revoked, p.RequestID)
		}
	default:
		return out, err
	}
	c := tx.ManagementRequest.Create().SetRequestID(num).
		SetType(managementrequest.TypeAUTH_CERT_DELETION_REQUEST).SetOrigin(r.Origin).SetStatus(managementrequest.StatusAPPROVED).
		SetServerInstance(r.Server.Owner.Instance).SetServerOwnerClass(r.Server.Owner.MemberClass).
		SetServerOwnerCode(r.Server.Owner.MemberCode).SetServerCode(r.Server.ServerCode).
		SetAuthCertificate(r.Cert).SetAuthCertificateSha256(sha).SetCreatedBy(r.CreatedBy)
	if r.ClientAddress != "" {
		c.SetClientAddress(r.ClientAddress)
	}
	if r.MessageID != "" {
		c.SetMessageID(r.MessageID)
	}
	if out.request, err = c.Save(ctx); err != nil {
		return out, err
	}
	s.publishRequest(tx, append(ids, out.request.ID)...)
	db.AfterCommit(tx, s.gen.trigger)
	return out, nil
}

// errNotRegisteredOrPending: a deletion of a certificate the server has
// neither registered nor submitted for registration.
func errNotRegisteredOrPending(server xroad.ServerID) error {
	return xroad.Errorf(xroad.CodeManagementRequestInvalidAuthCertificate,
		"The authentication certificate is neither registered to nor submitted for registration for security server %s", server)
}
