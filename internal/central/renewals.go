package central

import (
	"context"
	"crypto/x509"
	"fmt"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/ent/securityserver"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// renewalApproval is the policy of --auto-approve-renewals. X-Road approves
// registrations automatically by a yes/no switch (UG-CS, management
// requests); Roadreg approves only what is evidently a renewal: the
// security server is registered with at least one authentication
// certificate, the request keeps its registered address, and an approved CA
// issued the new certificate. It returns why the request qualifies, for its
// comments, or "" when it does not (an administrator then decides).
func (s *Service) renewalApproval(ctx context.Context, tx *ent.Tx, id xroad.ServerID, address string, cert *x509.Certificate) (string, error) {
	server, err := tx.SecurityServer.Query().Where(securityserver.ServerCode(id.ServerCode),
		securityserver.HasOwnerWith(member.MemberCode(id.Owner.MemberCode), member.HasMemberClassWith(memberclass.Code(id.Owner.MemberClass)))).
		WithAuthCertificates().Only(ctx)
	if ent.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	registered := len(server.Edges.AuthCertificates)
	if registered == 0 || xroad.Deref(server.Address) != address {
		return "", nil
	}
	rows, err := tx.ApprovedCertificationService.Query().All(ctx)
	if err != nil {
		return "", err
	}
	for _, r := range rows {
		ca, err := x509.ParseCertificate(r.Certificate)
		if err != nil || pki.VerifyChain(cert, []*x509.Certificate{ca}, nil, s.now()) != nil {
			continue
		}
		return fmt.Sprintf("Approved automatically as a renewal: security server %s is registered at %s with %d authentication certificate(s), and the new certificate is issued by approved CA %q",
			id, address, registered, r.Name), nil
	}
	return "", nil
}
