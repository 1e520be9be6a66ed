package security

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
)

// OCSP refresh bounds: a quarter of ocspFreshnessSeconds, within these.
const (
	minOCSPRefresh = time.Minute
	maxOCSPRefresh = 20 * time.Minute
)

// confLoop downloads the configuration at start, every ConfPoll and
// whenever the watch channel or an anchor upload asks for it; after each
// attempt it asks the central server about pending registrations.
func (s *Service) confLoop(ctx context.Context) {
	t := time.NewTicker(s.opts.ConfPoll)
	defer t.Stop()
	signal(s.refreshCh) // download once at start
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.refreshCh:
		}
		if s.anchor.Load() == nil {
			continue
		}
		if err := s.refresh(ctx); err != nil && ctx.Err() == nil {
			slog.DebugContext(ctx, "configuration refresh failed", "err", err)
		}
		s.checkPendingRegistrations(ctx)
	}
}

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

// ocspRefreshInterval is a quarter of the configuration's OCSP freshness.
func (s *Service) ocspRefreshInterval() time.Duration {
	d := pki.DefaultOCSPFreshness / 4
	if snap := s.snap.Load(); snap != nil && snap.Shared != nil && snap.Shared.GlobalSettings.OCSPFreshnessSeconds > 0 {
		d = time.Duration(snap.Shared.GlobalSettings.OCSPFreshnessSeconds) * time.Second / 4
	}
	return min(max(d, minOCSPRefresh), maxOCSPRefresh)
}

// watchLoop keeps the push channel of every anchor source open and restarts
// the watchers when the anchor changes.
func (s *Service) watchLoop(ctx context.Context) {
	for {
		wctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		if a := s.anchor.Load(); a != nil {
			for _, src := range a.Sources {
				u, err := globalconf.WatchURL(src.DownloadURL)
				if err != nil {
					slog.WarnContext(ctx, "no watch channel for configuration source", "url", src.DownloadURL, "err", err)
					continue
				}
				w := &globalconf.Watcher{
					URL:      u,
					OnNotify: s.onNotify,
					OnError:  func(err error) { slog.DebugContext(ctx, "watch channel", "url", u, "err", err) },
				}
				wg.Add(1)
				go func() { defer wg.Done(); _ = w.Run(wctx) }()
			}
		}
		select {
		case <-ctx.Done():
		case <-s.anchorCh:
		}
		cancel()
		wg.Wait()
		if ctx.Err() != nil {
			return
		}
	}
}

// onNotify asks for a download unless the announced version is the one in
// use.
func (s *Service) onNotify(n globalconf.Notification) {
	if snap := s.snap.Load(); snap != nil && n.Hash != "" && snap.DirectoryHash == n.Hash {
		return
	}
	signal(s.refreshCh)
}
