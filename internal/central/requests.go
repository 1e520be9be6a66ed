package central

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/authcertificate"
	"github.com/roadreg/roadreg/ent/globalgroup"
	"github.com/roadreg/roadreg/ent/managementrequest"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/ent/securityserver"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// pendingStatuses are the statuses of a registration request that is not
// finished yet.
var pendingStatuses = []managementrequest.Status{managementrequest.StatusWAITING, managementrequest.StatusSUBMITTED_FOR_APPROVAL}

// authCertRequest is a request to register an authentication certificate
// for a security server, from either origin.
type authCertRequest struct {
	Server        xroad.ServerID
	Address       string
	Cert          *x509.Certificate
	Origin        managementrequest.Origin
	CreatedBy     string
	ClientAddress string
}

// addAuthCertRequest stores an AUTH_CERT_REGISTRATION_REQUEST, pairing it
// with a pending request of the other origin for the same certificate and
// server (UC-MEMBER, management requests). It runs inside tx.
func (s *Service) addAuthCertRequest(ctx context.Context, tx *ent.Tx, r authCertRequest) (*ent.ManagementRequest, error) {
	sha := pki.SHA256Hex(r.Cert.Raw)
	if registered, err := tx.AuthCertificate.Query().Where(authcertificate.Sha256(sha)).WithSecurityServer().Only(ctx); err == nil {
		return nil, xroad.Errorf(xroad.CodeManagementRequestSecurityServerExists,
			"the authentication certificate is already registered to security server %d", registered.Edges.SecurityServer.ID&0xffffffff)
	} else if !ent.IsNotFound(err) {
		return nil, err
	}
	pending, err := tx.ManagementRequest.Query().
		Where(managementrequest.AuthCertificateSha256(sha), managementrequest.StatusIn(pendingStatuses...)).
		All(ctx)
	if err != nil {
		return nil, err
	}
	var pair *ent.ManagementRequest
	switch {
	case len(pending) == 1 && pending[0].Origin != r.Origin && sameServer(pending[0], r.Server) && pending[0].Status == managementrequest.StatusWAITING:
		pair = pending[0]
	case len(pending) > 0:
		return nil, xroad.Errorf(xroad.CodeManagementRequestExists,
			"Certificate is already submitted for registration with request '%d'", pending[0].RequestID).
			WithMetadata(fmt.Sprint(pending[0].RequestID))
	}
	num, err := nextRequestID(ctx, tx)
	if err != nil {
		return nil, err
	}
	c := tx.ManagementRequest.Create().SetRequestID(num).
		SetType(managementrequest.TypeAUTH_CERT_REGISTRATION_REQUEST).SetOrigin(r.Origin).
		SetServerInstance(r.Server.Owner.Instance).SetServerOwnerClass(r.Server.Owner.MemberClass).
		SetServerOwnerCode(r.Server.Owner.MemberCode).SetServerCode(r.Server.ServerCode).
		SetAuthCertificate(r.Cert.Raw).SetAuthCertificateSha256(sha).SetCreatedBy(r.CreatedBy)
	if r.Address != "" {
		c.SetAddress(r.Address)
	}
	if r.ClientAddress != "" {
		c.SetClientAddress(r.ClientAddress)
	}
	if pair != nil {
		c.SetStatus(managementrequest.StatusSUBMITTED_FOR_APPROVAL).SetPairedWith(pair)
	}
	req, err := c.Save(ctx)
	if err != nil {
		return nil, err
	}
	ids := []int{req.ID}
	if pair != nil {
		upd := tx.ManagementRequest.UpdateOne(pair).SetStatus(managementrequest.StatusSUBMITTED_FOR_APPROVAL)
		if pair.Address == nil && r.Address != "" {
			upd.SetAddress(r.Address)
		}
		if err := upd.Exec(ctx); err != nil {
			return nil, err
		}
		ids = append(ids, pair.ID)
	}
	s.publishRequest(tx, ids...)
	return req, nil
}

// nextRequestID numbers requests 1, 2, … On PostgreSQL two concurrent
// transactions may pick the same number; the unique index then fails one of
// them and the caller retries.
func nextRequestID(ctx context.Context, tx *ent.Tx) (int, error) {
	var v []struct {
		Max int `json:"max"`
	}
	err := tx.ManagementRequest.Query().Aggregate(ent.Max(managementrequest.FieldRequestID)).Scan(ctx, &v)
	if err != nil {
		return 0, err
	}
	if len(v) == 0 {
		return 1, nil
	}
	return v[0].Max + 1, nil
}

func sameServer(r *ent.ManagementRequest, id xroad.ServerID) bool {
	return r.ServerInstance == id.Owner.Instance && r.ServerOwnerClass == id.Owner.MemberClass &&
		r.ServerOwnerCode == id.Owner.MemberCode && r.ServerCode == id.ServerCode
}

// ServerIDOf returns the server id a request is about.
func ServerIDOf(r *ent.ManagementRequest) xroad.ServerID {
	return xroad.ServerID{Owner: xroad.ClientID{Instance: r.ServerInstance, MemberClass: r.ServerOwnerClass, MemberCode: r.ServerOwnerCode}, ServerCode: r.ServerCode}
}

// retryOnConflict runs fn again when a concurrent transaction inserted the
// same unique row first (PostgreSQL): the same request number, or the same
// owner or group membership during approval.
func retryOnConflict(fn func() error) error {
	var err error
	for i := 0; i < 5; i++ {
		err = fn()
		if !ent.IsConstraintError(err) {
			return err
		}
	}
	return err
}

// AddOwnedSecurityServer enters a CENTER-origin authentication certificate
// registration request (MEMBER_12, the legacy complementary request).
func (s *Service) AddOwnedSecurityServer(ctx context.Context, memberID, serverCode, certText string) (*ent.ManagementRequest, error) {
	if err := viewer.Require(ctx, viewer.CSAddAuthCertRegRequest); err != nil {
		return nil, err
	}
	ctx = viewer.Elevated(ctx)
	conf, err := s.conf(ctx)
	if err != nil {
		return nil, err
	}
	owner, err := xroad.ParseMemberID(xroad.Trim(memberID))
	if err != nil {
		if xe, ok := err.(*xroad.Error); ok {
			xe.Field = "memberId"
		}
		return nil, err
	}
	if owner.Instance != conf.InstanceIdentifier {
		return nil, xroad.BadInput("memberId", "member %s belongs to instance %s, this central server's instance is %s", owner, owner.Instance, conf.InstanceIdentifier)
	}
	serverCode = xroad.Trim(serverCode)
	if err := xroad.ValidatePart("serverCode", serverCode); err != nil {
		return nil, err
	}
	cert, err := pki.ParseCertificate([]byte(certText))
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeManagementRequestInvalidAuthCertificate, "Incorrect file format. Only PEM and DER files allowed.").WithField("authCertificate")
	}
	if err := s.checkAuthCert(ctx, cert); err != nil {
		return nil, err
	}
	serverID := xroad.ServerID{Owner: owner, ServerCode: serverCode}
	var req *ent.ManagementRequest
	err = retryOnConflict(func() error {
		return db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
			m, err := s.memberByID(ctx, tx.Client(), owner)
			if ent.IsNotFound(err) {
				return xroad.Errorf(xroad.CodeManagementRequestServerOwnerNotFound, "member %s does not exist; add it first", owner).WithMetadata(owner.String())
			}
			if err != nil {
				return err
			}
			if exists, err := tx.SecurityServer.Query().Where(securityserver.ServerCode(serverCode), securityserver.HasOwnerWith(member.ID(m.ID))).Exist(ctx); err != nil {
				return err
			} else if exists {
				return xroad.Errorf(xroad.CodeManagementRequestServerCodeExists,
					"Server with owner class %s, owner code %s and server code %s already exists.", owner.MemberClass, owner.MemberCode, serverCode)
			}
			req, err = s.addAuthCertRequest(ctx, tx, authCertRequest{
				Server: serverID, Cert: cert, Origin: managementrequest.OriginCENTER, CreatedBy: viewer.FromContext(ctx).Username,
			})
			if err != nil {
				return err
			}
			audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add security server", Data: map[string]any{
				"serverId": serverID.String(), "requestId": req.RequestID, "authCertHash": pki.SHA256Hex(cert.Raw), "status": string(req.Status)}})
			return nil
		})
	})
	if err != nil {
		s.auditFailure(ctx, "Add security server", err, map[string]any{"serverId": serverID.String()})
		return nil, err
	}
	return req.Unwrap(), nil
}

// checkAuthCert checks a certificate offered for registration: an
// authentication certificate, issued by an approved CA, valid now.
func (s *Service) checkAuthCert(ctx context.Context, cert *x509.Certificate) error {
	invalid := func(format string, args ...any) error {
		return xroad.Errorf(xroad.CodeManagementRequestInvalidAuthCertificate, format, args...).WithField("authCertificate")
	}
	usage, err := pki.CertUsage(cert)
	if err != nil || usage != xroad.UsageAuthentication {
		return invalid("This certificate cannot be used for authentication.")
	}
	cas, err := s.approvedCACerts(ctx)
	if err != nil {
		return err
	}
	if err := pki.VerifyChain(cert, cas, nil, s.now()); err != nil {
		return invalid("The authentication certificate is not valid: %s", xroad.Message(err))
	}
	return nil
}

func (s *Service) approvedCACerts(ctx context.Context) ([]*x509.Certificate, error) {
	rows, err := s.client.ApprovedCertificationService.Query().All(sys(ctx))
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for _, r := range rows {
		c, err := x509.ParseCertificate(r.Certificate)
		if err == nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// Approve approves an authentication certificate registration request
// (MEMBER_36): the owner member (created if its class exists) gets the
// security server (created if needed) with the request's address and
// certificate, joins security-server-owners, and the request (and its
// pair) become APPROVED — in one transaction. Approvals of servers of the
// same owner running at the same time may both add the owner (or the
// group); the one that loses the race is run again.
func (s *Service) Approve(ctx context.Context, id int) (*ent.ManagementRequest, error) {
	if err := viewer.Require(ctx, viewer.CSApproveAuthCertReg); err != nil {
		return nil, err
	}
	ctx = viewer.Elevated(ctx)
	var req *ent.ManagementRequest
	err := retryOnConflict(func() error {
		return db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
			var err error
			req, err = s.lockRequest(ctx, tx, id)
			if err != nil {
				return err
			}
			return s.approveLocked(ctx, tx, req)
		})
	})
	if err != nil {
		s.auditFailure(ctx, "Approve management request", err, map[string]any{"id": id})
		return nil, err
	}
	return s.client.ManagementRequest.Get(ctx, req.ID)
}

// lockRequest loads a request for update (rows locked on PostgreSQL).
func (s *Service) lockRequest(ctx context.Context, tx *ent.Tx, id int) (*ent.ManagementRequest, error) {
	q := tx.ManagementRequest.Query().Where(managementrequest.ID(id))
	if s.opts.Dialect == dialect.Postgres {
		q = q.ForUpdate(sql.WithLockTables(managementrequest.Table))
	}
	req, err := q.Only(ctx)
	if ent.IsNotFound(err) {
		return nil, xroad.Errorf(xroad.CodeManagementRequestNotFound, "management request %d does not exist", id&0xffffffff)
	}
	return req, err
}

func (s *Service) approveLocked(ctx context.Context, tx *ent.Tx, req *ent.ManagementRequest) error {
	if req.Type != managementrequest.TypeAUTH_CERT_REGISTRATION_REQUEST {
		return xroad.Errorf(xroad.CodeManagementRequestInvalidStateForApproval, "only authentication certificate registration requests can be approved here")
	}
	if req.Status != managementrequest.StatusWAITING && req.Status != managementrequest.StatusSUBMITTED_FOR_APPROVAL {
		return xroad.Errorf(xroad.CodeManagementRequestInvalidStateForApproval,
			"request %d is %s; only WAITING or SUBMITTED_FOR_APPROVAL requests can be approved", req.RequestID, req.Status).WithMetadata(string(req.Status))
	}
	serverID := ServerIDOf(req)
	owner, err := s.memberByID(ctx, tx.Client(), serverID.Owner)
	if ent.IsNotFound(err) {
		mc, err := tx.MemberClass.Query().Where(memberclass.Code(serverID.Owner.MemberClass)).Only(ctx)
		if ent.IsNotFound(err) {
			return xroad.Errorf(xroad.CodeMemberClassNotFound, "member class %s of the server owner does not exist", serverID.Owner.MemberClass).WithMetadata(serverID.Owner.MemberClass)
		}
		if err != nil {
			return err
		}
		owner, err = tx.Member.Create().SetMemberClass(mc).SetMemberCode(serverID.Owner.MemberCode).SetName(serverID.Owner.MemberCode).Save(ctx)
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	sha := xroad.Deref(req.AuthCertificateSha256)
	if exists, err := tx.AuthCertificate.Query().Where(authcertificate.Sha256(sha)).Exist(ctx); err != nil {
		return err
	} else if exists {
		return xroad.Errorf(xroad.CodeManagementRequestSecurityServerExists, "the authentication certificate is already registered")
	}
	server, err := tx.SecurityServer.Query().Where(securityserver.ServerCode(serverID.ServerCode), securityserver.HasOwnerWith(member.ID(owner.ID))).Only(ctx)
	if ent.IsNotFound(err) {
		server, err = tx.SecurityServer.Create().SetOwner(owner).SetServerCode(serverID.ServerCode).SetNillableAddress(req.Address).Save(ctx)
	} else if err == nil && req.Address != nil {
		server, err = tx.SecurityServer.UpdateOne(server).SetAddress(*req.Address).Save(ctx)
	}
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(req.AuthCertificate)
	if err != nil {
		return err
	}
	if err := tx.AuthCertificate.Create().SetSecurityServer(server).SetCertificate(cert.Raw).SetSha256(sha).
		SetSubject(pki.SubjectDN(cert)).SetIssuer(pki.IssuerDN(cert)).SetSerialNumber(cert.SerialNumber.String()).
		SetNotBefore(cert.NotBefore).SetNotAfter(cert.NotAfter).Exec(ctx); err != nil {
		return err
	}
	if err := s.addToOwnersGroup(ctx, tx, owner); err != nil {
		return err
	}
	ids := []int{req.ID}
	if err := tx.ManagementRequest.UpdateOne(req).SetStatus(managementrequest.StatusAPPROVED).Exec(ctx); err != nil {
		return err
	}
	if pairID, err := req.QueryPairedWith().OnlyID(ctx); err == nil {
		if err := tx.ManagementRequest.UpdateOneID(pairID).SetStatus(managementrequest.StatusAPPROVED).Exec(ctx); err != nil {
			return err
		}
		ids = append(ids, pairID)
	} else if !ent.IsNotFound(err) {
		return err
	}
	audit.Log(ctx, tx.Client(), audit.Entry{Event: "Approve management request", Data: map[string]any{
		"requestId": req.RequestID, "serverId": serverID.String(), "address": xroad.Deref(req.Address), "authCertHash": sha}})
	s.publishRequest(tx, ids...)
	db.AfterCommit(tx, s.gen.trigger)
	return nil
}

func (s *Service) addToOwnersGroup(ctx context.Context, tx *ent.Tx, owner *ent.Member) error {
	g, err := tx.GlobalGroup.Query().Where(globalgroup.Code(SecurityServerOwnersGroup)).Only(ctx)
	if ent.IsNotFound(err) {
		g, err = tx.GlobalGroup.Create().SetCode(SecurityServerOwnersGroup).SetDescription("Security server owners").Save(ctx)
	}
	if err != nil {
		return err
	}
	in, err := g.QueryMembers().Where(member.ID(owner.ID)).Exist(ctx)
	if err != nil || in {
		return err
	}
	return tx.GlobalGroup.UpdateOne(g).AddMembers(owner).Exec(ctx)
}

// Decline declines (or, for a lone CENTER-origin request, revokes) a
// pending registration request, with comments.
func (s *Service) Decline(ctx context.Context, id int, comments string) (*ent.ManagementRequest, error) {
	if err := viewer.Require(ctx, viewer.CSRevokeAuthCertReg); err != nil {
		return nil, err
	}
	ctx = viewer.Elevated(ctx)
	comments = strings.TrimSpace(comments)
	var req *ent.ManagementRequest
	err := db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		var err error
		req, err = s.lockRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if req.Status != managementrequest.StatusWAITING && req.Status != managementrequest.StatusSUBMITTED_FOR_APPROVAL {
			return xroad.Errorf(xroad.CodeManagementRequestInvalidState,
				"request %d is %s; only WAITING or SUBMITTED_FOR_APPROVAL requests can be declined", req.RequestID, req.Status).WithMetadata(string(req.Status))
		}
		pairID, err := req.QueryPairedWith().OnlyID(ctx)
		hasPair := err == nil
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		status := managementrequest.StatusDECLINED
		if !hasPair && req.Origin == managementrequest.OriginCENTER {
			status = managementrequest.StatusREVOKED
		}
		ids := []int{req.ID}
		upd := tx.ManagementRequest.UpdateOne(req).SetStatus(status)
		if comments != "" {
			upd.SetComments(comments)
		}
		if err := upd.Exec(ctx); err != nil {
			return err
		}
		if hasPair {
			upd := tx.ManagementRequest.UpdateOneID(pairID).SetStatus(status)
			if comments != "" {
				upd.SetComments(comments)
			}
			if err := upd.Exec(ctx); err != nil {
				return err
			}
			ids = append(ids, pairID)
		}
		event := "Decline management request"
		if status == managementrequest.StatusREVOKED {
			event = "Revoke management request"
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: event, Data: map[string]any{"requestId": req.RequestID, "comments": comments}})
		s.publishRequest(tx, ids...)
		// Security servers learn about the decline through the status query
		// they make after every new configuration; a new version wakes them.
		db.AfterCommit(tx, s.gen.trigger)
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, "Decline management request", err, map[string]any{"id": id})
		return nil, err
	}
	return s.client.ManagementRequest.Get(ctx, req.ID)
}
