package security

import (
	"bytes"
	"context"
	"log/slog"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/downloadedconf"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// loadConfiguration re-loads the anchor and the last good configuration
// (their signatures were verified when they were downloaded).
func (s *Service) loadConfiguration(ctx context.Context) error {
	conf, err := s.client.SecurityServerConf.Query().Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	a, err := globalconf.ParseAnchor(conf.Anchor)
	if err != nil {
		return err
	}
	s.anchor.Store(a)
	row, err := s.client.DownloadedConf.Query().Where(downloadedconf.InstanceIdentifier(a.Instance)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	snap, err := globalconf.SnapshotFromBytes(row.Directory, row.SharedParameters, row.PrivateParameters, row.SourceURL, row.DownloadedAt)
	if err != nil {
		// The next download replaces it; until then there is none.
		slog.WarnContext(ctx, "stored global configuration is unusable; downloading it again", "err", err)
		return nil
	}
	s.snap.Store(snap)
	return nil
}

// storeDownloaded saves snap as the instance's configuration. It reports
// whether the content (shared or private parameters) changed, which is
// when the version counts up, and whether the download ended a failure.
func storeDownloaded(ctx context.Context, c *ent.Client, snap *globalconf.Snapshot, now time.Time) (changed, recovered bool, err error) {
	row, err := c.DownloadedConf.Query().Where(downloadedconf.InstanceIdentifier(snap.Instance)).Only(ctx)
	if ent.IsNotFound(err) {
		return true, false, c.DownloadedConf.Create().SetInstanceIdentifier(snap.Instance).SetVersion(1).
			SetSourceURL(snap.SourceURL).SetDirectory(snap.Directory).SetSharedParameters(snap.SharedParamsRaw).
			SetPrivateParameters(snap.PrivateParamsRaw).SetExpiresAt(snap.ExpireDate).SetDownloadedAt(now).
			SetLastAttemptAt(now).Exec(ctx)
	}
	if err != nil {
		return false, false, err
	}
	changed = !bytes.Equal(row.SharedParameters, snap.SharedParamsRaw) || !bytes.Equal(row.PrivateParameters, snap.PrivateParamsRaw)
	version := row.Version
	if changed {
		version++
	}
	return changed, row.Error != "", row.Update().SetVersion(version).SetSourceURL(snap.SourceURL).SetDirectory(snap.Directory).
		SetSharedParameters(snap.SharedParamsRaw).SetPrivateParameters(snap.PrivateParamsRaw).
		SetExpiresAt(snap.ExpireDate).SetDownloadedAt(now).SetLastAttemptAt(now).
		ClearFailingSince().SetError("").Exec(ctx)
}

// RefreshGlobalConfiguration downloads the configuration now (GCONF_23 on
// demand) and returns the resulting status.
func (s *Service) RefreshGlobalConfiguration(ctx context.Context) (globalconf.Status, error) {
	if err := viewer.Require(ctx, viewer.SSRefreshGlobalConf); err != nil {
		return globalconf.Status{}, err
	}
	if err := s.refresh(system(ctx)); err != nil {
		return globalconf.Status{}, s.failed(ctx, evRefreshConf, nil, err)
	}
	record(ctx, s.client, evRefreshConf, nil)
	return s.GlobalConfStatus(ctx)
}

// refresh downloads and applies the configuration of the current anchor.
// A failure keeps the last good configuration and is recorded with the
// time the failures started.
func (s *Service) refresh(ctx context.Context) error {
	s.confMu.Lock()
	defer s.confMu.Unlock()
	a := s.anchor.Load()
	if a == nil {
		return xroad.Errorf(xroad.CodeAnchorNotFound, "No configuration anchor has been uploaded yet; upload the anchor exported from the central server")
	}
	now := s.now()
	snap, err := globalconf.Download(ctx, s.http, a, s.snap.Load(), nil, now)
	if err != nil {
		s.recordFailure(ctx, a.Instance, now, err)
		return err
	}
	err = db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		changed, recovered, err := storeDownloaded(ctx, tx.Client(), snap, now)
		if err != nil {
			return err
		}
		db.AfterCommit(tx, func() {
			s.snap.Store(snap)
			if changed || recovered {
				s.publish(events.GlobalConfChanged, 0)
			}
		})
		return nil
	})
	if err != nil {
		return err
	}
	s.runChecker(ctx)
	return nil
}

// recordFailure keeps the error and when failures began with the stored
// configuration.
func (s *Service) recordFailure(ctx context.Context, instance string, now time.Time, cause error) {
	msg := xroad.Message(cause)
	slog.WarnContext(ctx, "global configuration download failed", "instance", instance, "err", cause)
	row, err := s.client.DownloadedConf.Query().Where(downloadedconf.InstanceIdentifier(instance)).Only(ctx)
	if err != nil {
		return // nothing downloaded yet: the anchor upload reports the error itself
	}
	u := row.Update().SetLastAttemptAt(now).SetError(msg)
	if row.FailingSince == nil {
		u.SetFailingSince(now)
	}
	if err := u.Exec(ctx); err != nil {
		slog.ErrorContext(ctx, "recording the configuration download failure", "err", err)
		return
	}
	if row.Error != msg {
		s.publish(events.GlobalConfChanged, 0)
	}
}

// GlobalConfStatus is the health of the configuration client: the last
// applied configuration and the current failure, if any.
func (s *Service) GlobalConfStatus(ctx context.Context) (globalconf.Status, error) {
	sys := system(ctx)
	var st globalconf.Status
	if a := s.anchor.Load(); a != nil {
		st.Instance = a.Instance
	}
	row, err := s.client.DownloadedConf.Query().Where(downloadedconf.InstanceIdentifier(st.Instance)).Only(sys)
	if ent.IsNotFound(err) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Version = row.Version
	st.ExpiresAt = row.ExpiresAt
	st.LastSuccessAt = row.DownloadedAt
	st.Error = row.Error
	st.FailingSince = row.FailingSince
	if st.Error == "" && !row.ExpiresAt.After(s.now()) {
		st.Error = "The global configuration expired at " + row.ExpiresAt.UTC().Format(time.RFC3339) + "; the central server cannot be reached or is not publishing"
	}
	return st, nil
}

// currentConf returns the configuration in use, even an expired one.
func (s *Service) currentConf() (*globalconf.Snapshot, error) {
	snap := s.snap.Load()
	if snap == nil {
		return nil, xroad.Errorf(xroad.CodeAnchorNotFound, "There is no global configuration yet; upload the configuration anchor first")
	}
	return snap, nil
}

// validConf returns the configuration in use, or GLOBAL_CONF_OUTDATED when
// it has expired.
func (s *Service) validConf() (*globalconf.Snapshot, error) {
	snap := s.snap.Load()
	if snap == nil {
		return nil, xroad.Errorf(xroad.CodeGlobalConfOutdated, "There is no global configuration yet; upload the configuration anchor first")
	}
	if snap.Expired(s.now()) {
		return nil, xroad.Errorf(xroad.CodeGlobalConfOutdated,
			"Global configuration is expired (it expired at %s); check that the central server is reachable and refresh the configuration",
			snap.ExpireDate.UTC().Format(time.RFC3339))
	}
	return snap, nil
}

// signal wakes a loop without blocking.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Retrying a download that did not bring the announced version.
const (
	// announcedRetries is how often, at most.
	announcedRetries = 5
	// announcedRetryDelay is the first wait; it doubles with every retry.
	announcedRetryDelay = 100 * time.Millisecond
)

// confLoop downloads the configuration at start, every ConfPoll and
// whenever the watch channel or an anchor upload asks for it; after each
// attempt it asks the central server about pending registrations. When a
// download did not bring the version the watch channel announced (the
// replica it came from had not loaded it yet, or was unreachable), it
// tries again a few times, waiting a little longer each time.
func (s *Service) confLoop(ctx context.Context) {
	t := time.NewTicker(s.opts.ConfPoll)
	defer t.Stop()
	signal(s.refreshCh) // download once at start
	var retry <-chan time.Time
	retries := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.refreshCh:
			retries = 0
		case <-retry:
		}
		retry = nil
		if s.anchor.Load() == nil {
			continue
		}
		if err := s.refresh(ctx); err != nil && ctx.Err() == nil {
			slog.DebugContext(ctx, "configuration refresh failed", "err", err)
		}
		if want := s.announced.Load(); want != nil && retries < announcedRetries {
			if snap := s.snap.Load(); snap == nil || snap.DirectoryHash != want.Hash {
				retry = time.After(announcedRetryDelay << retries)
				retries++
			}
		}
		s.checkPendingRegistrations(ctx)
	}
}

// watchLoop keeps one push channel open, to the first of the anchor's
// sources that answers and then to the next when it goes away, and starts
// again when the anchor changes.
func (s *Service) watchLoop(ctx context.Context) {
	for {
		s.announced.Store(nil) // versions of the anchor before are of no use
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		w := &globalconf.Watcher{OnNotify: s.onNotify,
			OnError: func(err error) { slog.DebugContext(ctx, "watch channel", "err", err) }}
		if a := s.anchor.Load(); a != nil {
			for _, src := range a.Sources {
				u, err := globalconf.WatchURL(src.DownloadURL)
				if err != nil {
					slog.WarnContext(ctx, "no watch channel for configuration source", "url", src.DownloadURL, "err", err)
					continue
				}
				w.URLs = append(w.URLs, u)
			}
		}
		go func() { defer close(done); _ = w.Run(wctx) }()
		select {
		case <-ctx.Done():
		case <-s.anchorCh:
		}
		cancel()
		<-done
		if ctx.Err() != nil {
			return
		}
	}
}

// onNotify asks for a download unless the announced version is the one in
// use, and remembers the newest version announced.
func (s *Service) onNotify(n globalconf.Notification) {
	if n.Hash == "" {
		return
	}
	for {
		cur := s.announced.Load()
		if cur != nil && cur.Version >= n.Version {
			break // an older or the same version (a replica that lags behind)
		}
		if s.announced.CompareAndSwap(cur, &n) {
			break
		}
	}
	if snap := s.snap.Load(); snap != nil && snap.DirectoryHash == n.Hash {
		return
	}
	signal(s.refreshCh)
}
