package security

import (
	"context"
	"time"
)

// maintenanceLoop runs the status checker every CheckInterval and refreshes
// OCSP responses of active certificates.
func (s *Service) maintenanceLoop(ctx context.Context) {
	check := time.NewTicker(s.opts.CheckInterval)
	defer check.Stop()
	ocspEvery := s.ocspRefreshInterval()
	ocsp := time.NewTicker(ocspEvery)
	defer ocsp.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-check.C:
			s.runChecker(ctx)
		case <-ocsp.C:
			s.RefreshOCSP(ctx)
			if d := s.ocspRefreshInterval(); d != ocspEvery {
				ocspEvery = d
				ocsp.Reset(d)
			}
		}
	}
}
