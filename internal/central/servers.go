package central

import (
	"context"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/authcertificate"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/predicate"
	"github.com/roadreg/roadreg/ent/securityserver"
)

// ServerStatus is how a registered security server stands: whether it has
// an authentication certificate that is valid now (the one its peers can
// authenticate it with).
type ServerStatus string

// Statuses of a security server.
const (
	// ServerRegistered: at least one authentication certificate is valid now.
	ServerRegistered ServerStatus = "REGISTERED"
	// ServerNoValidAuthCertificate: every authentication certificate has
	// expired (or none is left).
	ServerNoValidAuthCertificate ServerStatus = "NO_VALID_AUTH_CERTIFICATE"
)

// validAuthCertAt matches authentication certificates valid at now.
func validAuthCertAt(now time.Time) predicate.AuthCertificate {
	return authcertificate.And(authcertificate.NotBeforeLTE(now), authcertificate.NotAfterGT(now))
}

// ServerStatusOf tells how srv stands now (its authentication certificates
// are loaded unless the query already did).
func (s *Service) ServerStatusOf(ctx context.Context, srv *ent.SecurityServer) (ServerStatus, error) {
	certs := srv.Edges.AuthCertificates
	if certs == nil {
		var err error
		if certs, err = srv.QueryAuthCertificates().All(ctx); err != nil {
			return "", err
		}
	}
	now := s.now()
	for _, c := range certs {
		if !now.Before(c.NotBefore) && now.Before(c.NotAfter) {
			return ServerRegistered, nil
		}
	}
	return ServerNoValidAuthCertificate, nil
}

// ServerFilter narrows a query of security servers: search matches the
// server code, the address and the owner's code or name (case-insensitive
// substring); status keeps the servers that stand so now. Empty values
// filter nothing.
func (s *Service) ServerFilter(search string, status ServerStatus) func(*ent.SecurityServerQuery) (*ent.SecurityServerQuery, error) {
	now := s.now()
	return func(q *ent.SecurityServerQuery) (*ent.SecurityServerQuery, error) {
		if search != "" {
			q = q.Where(securityserver.Or(
				securityserver.ServerCodeContainsFold(search),
				securityserver.AddressContainsFold(search),
				securityserver.HasOwnerWith(member.Or(member.MemberCodeContainsFold(search), member.NameContainsFold(search))),
			))
		}
		switch status {
		case ServerRegistered:
			q = q.Where(securityserver.HasAuthCertificatesWith(validAuthCertAt(now)))
		case ServerNoValidAuthCertificate:
			q = q.Where(securityserver.Not(securityserver.HasAuthCertificatesWith(validAuthCertAt(now))))
		}
		return q, nil
	}
}
