package central

import (
	"context"
	"crypto/x509"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/roadreg/roadreg/ent"
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

// managementServiceActor names the management service in the audit log and
// in requests' created_by.
const managementServiceActor = "management service"

// managementServiceContext is ctx acting as the management service.
func managementServiceContext(ctx context.Context) context.Context {
	return viewer.NewContext(ctx, &viewer.Viewer{Username: managementServiceActor, System: true, Server: viewer.Central})
}

// managementTrust is what a management request a security server sent is
// verified against, once check 1 holds: the central server's own
// configuration must be valid.
func (s *Service) managementTrust(ctx context.Context) (*mgmtreq.PKITrust, error) {
	conf, err := s.conf(ctx)
	if err != nil {
		return nil, err
	}
	if pub := s.gen.pub.Current(); pub == nil || !s.now().Before(pub.ExpireDate) {
		return nil, xroad.Errorf(xroad.CodeManagementRequestGlobalConfOutdated, "Global configuration of the central server is outdated; contact the central server administrator")
	}
	return s.trust(ctx, conf)
}

// RegisterFromSecurityServer serves an authCertReg request a security
// server sent (MEMBER_27/28): every check of MEMBER_27/28 in order, then a WAITING
// (or paired, or auto-approved) request. It returns the request number; a
// dry run is verified but not stored and returns 0.
func (s *Service) RegisterFromSecurityServer(ctx context.Context, r *mgmtreq.Request, clientAddr string) (int, error) {
	ctx = managementServiceContext(ctx)
	trust, err := s.managementTrust(ctx)
	if err != nil {
		return 0, err
	}
	if err := mgmtreq.Verify(r, trust, s.now()); err != nil {
		return 0, err
	}
	cert, err := x509.ParseCertificate(r.AuthCert)
	if err != nil {
		return 0, err
	}
	if r.Message.DryRun {
		return 0, nil
	}
	var req *ent.ManagementRequest
	err = retryOnConflict(func() error {
		return db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
			var err error
			if req, err = s.repeatedRequest(ctx, tx, r.Message.Server, r.Message.Address, cert); err != nil || req != nil {
				return err
			}
			req, err = s.addAuthCertRequest(ctx, tx, authCertRequest{
				Server: r.Message.Server, Address: r.Message.Address, Cert: cert,
				Origin: managementrequest.OriginSECURITY_SERVER, CreatedBy: managementServiceActor, ClientAddress: clientAddr,
			})
			if err != nil {
				return err
			}
			audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add authentication certificate registration request", Data: map[string]any{
				"requestId": req.RequestID, "serverId": r.Message.Server.String(), "address": r.Message.Address,
				"authCertHash": pki.SHA256Hex(cert.Raw), "clientAddress": clientAddr, "status": string(req.Status)}})
			if req.Status != managementrequest.StatusWAITING {
				return nil
			}
			if s.opts.AutoApproveRenewals {
				why, err := s.renewalApproval(ctx, tx, r.Message.Server, r.Message.Address, cert)
				if err != nil || why != "" {
					if err == nil {
						req, err = tx.ManagementRequest.UpdateOne(req).SetComments(why).Save(ctx)
					}
					if err != nil {
						return err
					}
					return s.approveLocked(ctx, tx, req)
				}
			}
			if s.opts.AutoApprove {
				if _, err := s.memberByID(ctx, tx.Client(), r.Message.Server.Owner); err == nil {
					return s.approveLocked(ctx, tx, req)
				} else if !ent.IsNotFound(err) {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		s.auditFailure(ctx, "Add authentication certificate registration request", err, map[string]any{"serverId": r.Message.Server.String(), "clientAddress": clientAddr})
		return 0, err
	}
	return req.RequestID, nil
}

// repeatedRequest returns the pending request a security server sent
// before with the same certificate, server and address: sent again after
// its answer was lost (maybe to another replica), it gets that request's
// number and nothing is stored twice. On PostgreSQL requests are stored one
// at a time, so two replicas given the same request at once store it once.
func (s *Service) repeatedRequest(ctx context.Context, tx *ent.Tx, server xroad.ServerID, address string, cert *x509.Certificate) (*ent.ManagementRequest, error) {
	if s.opts.Dialect == dialect.Postgres {
		if _, err := tx.CentralServerConf.Query().ForUpdate().Only(ctx); err != nil {
			return nil, err
		}
	}
	pending, err := tx.ManagementRequest.Query().Where(managementrequest.AuthCertificateSha256(pki.SHA256Hex(cert.Raw)),
		managementrequest.StatusIn(pendingStatuses...), managementrequest.OriginEQ(managementrequest.OriginSECURITY_SERVER)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range pending {
		if sameServer(p, server) && xroad.Deref(p.Address) == address {
			slog.InfoContext(ctx, "management request received again; answered with the stored request", "requestId", p.RequestID, "serverId", server.String())
			// Announced again: the first try may have been stored by a
			// commit whose answer, and announcement, were lost.
			s.publishRequest(tx, p.ID)
			return p, nil
		}
	}
	return nil, nil
}

// trust is what the management service verifies requests against: the
// approved CAs with their certificate profiles, and the registered addresses
// of a member's servers (for profiles that bind signing certificates to a
// server's address).
func (s *Service) trust(ctx context.Context, conf *ent.CentralServerConf) (*mgmtreq.PKITrust, error) {
	rows, err := s.client.ApprovedCertificationService.Query().All(ctx)
	if err != nil {
		return nil, err
	}
	var cas []*x509.Certificate
	opts := []mgmtreq.TrustOption{mgmtreq.WithServerAddresses(func(owner xroad.ClientID) []string { return s.serverAddresses(ctx, owner) })}
	for _, r := range rows {
		c, err := x509.ParseCertificate(r.Certificate)
		if err != nil {
			continue
		}
		cas = append(cas, c)
		if p, err := pki.ProfileFor(r.CertificateProfileInfo); err == nil {
			opts = append(opts, mgmtreq.WithProfile(c, p))
		}
	}
	return mgmtreq.NewPKITrust(cas, conf.InstanceIdentifier, providerID(conf), OCSPFreshnessSeconds*time.Second, opts...), nil
}

// serverAddresses lists the registered addresses of owner's security servers.
func (s *Service) serverAddresses(ctx context.Context, owner xroad.ClientID) []string {
	servers, err := s.client.SecurityServer.Query().Where(securityserver.HasOwnerWith(member.MemberCode(owner.MemberCode),
		member.HasMemberClassWith(memberclass.Code(owner.MemberClass))), securityserver.AddressNotNil()).All(ctx)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(servers))
	for _, srv := range servers {
		out = append(out, *srv.Address)
	}
	return out
}

func providerID(c *ent.CentralServerConf) xroad.ClientID {
	return xroad.ClientID{Instance: c.InstanceIdentifier, MemberClass: c.ManagementServiceProviderClass,
		MemberCode: c.ManagementServiceProviderCode, SubsystemCode: c.ManagementServiceProviderSubsystem}
}

// RequestStatus answers a security server's status query about a request it
// sent (Roadreg extension, see mgmtreq/status.go).
func (s *Service) RequestStatus(ctx context.Context, q mgmtreq.StatusQuery) (mgmtreq.StatusAnswer, error) {
	ctx = sys(ctx)
	req, err := s.client.ManagementRequest.Query().Where(managementrequest.RequestID(q.RequestID)).Only(ctx)
	if ent.IsNotFound(err) {
		return mgmtreq.StatusAnswer{}, xroad.Errorf(xroad.CodeManagementRequestNotFound, "management request %d does not exist", q.RequestID)
	}
	if err != nil {
		return mgmtreq.StatusAnswer{}, err
	}
	cert, err := x509.ParseCertificate(req.AuthCertificate)
	if err != nil {
		return mgmtreq.StatusAnswer{}, xroad.Errorf(xroad.CodeForbidden, "request %d has no authentication certificate", q.RequestID)
	}
	if err := mgmtreq.VerifyStatusQuery(q, cert, s.now()); err != nil {
		return mgmtreq.StatusAnswer{}, err
	}
	return mgmtreq.StatusAnswer{RequestID: req.RequestID, Status: string(req.Status), Comments: xroad.Deref(req.Comments)}, nil
}
