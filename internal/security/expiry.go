package security

import (
	"context"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// CertificateExpiry is one certificate of this server as monitoring sees
// it: which one, what for, in which state, and when it expires.
type CertificateExpiry struct {
	SHA256 string
	Usage  xroad.KeyUsage
	Status xroad.CertificateStatus
	Active bool
	// ACME: the certificate was ordered with ACME (it can be renewed
	// automatically).
	ACME     bool
	NotAfter time.Time
	// RenewalFailures counts the failed renewal attempts in a row;
	// RenewalDue is when the renewal job renews it (nil: unknown or never).
	RenewalFailures int
	RenewalDue      *time.Time
}

// CertificateExpiries lists every certificate of this server with its
// expiry time, for the server's metrics (read by the server itself: the
// metrics endpoint has no administrator).
func (s *Service) CertificateExpiries(ctx context.Context) ([]CertificateExpiry, error) {
	certs, err := s.client.Certificate.Query().Order(ent.Asc(certificate.FieldID)).
		All(viewer.SystemContext(ctx, viewer.Security))
	if err != nil {
		return nil, err
	}
	out := make([]CertificateExpiry, 0, len(certs))
	for _, c := range certs {
		out = append(out, CertificateExpiry{SHA256: c.Sha256, Usage: c.Usage, Status: c.Status, Active: c.Active,
			ACME: c.AcmeCaName != nil, NotAfter: c.NotAfter, RenewalFailures: c.RenewalFailures, RenewalDue: c.RenewalDueAt})
	}
	return out, nil
}
