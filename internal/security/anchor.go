package security

import (
	"context"
	"errors"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/downloadedconf"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// AnchorInfo describes the configuration anchor in use.
type AnchorInfo struct {
	// Hash is the SHA-224 of the anchor file, upper-case hex.
	Hash        string
	GeneratedAt time.Time
	Instance    string
}

// Anchor returns the anchor in use, or nil before one is uploaded.
func (s *Service) Anchor(ctx context.Context) (*AnchorInfo, error) {
	if err := viewer.Require(ctx, viewer.SSViewAnchor, viewer.SSInitConfig); err != nil {
		return nil, err
	}
	conf, err := s.client.SecurityServerConf.Query().Only(system(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &AnchorInfo{Hash: conf.AnchorHash, GeneratedAt: conf.AnchorGeneratedAt, Instance: conf.InstanceIdentifier}, nil
}

// UploadAnchor imports a configuration anchor (GCONF_22): it parses the
// anchor, downloads and verifies the configuration it points to, and only
// then stores both. The first upload needs init_config, replacing one
// upload_anchor; after initialisation the anchor must be of the same
// instance.
func (s *Service) UploadAnchor(ctx context.Context, data []byte) (*AnchorInfo, error) {
	s.confMu.Lock()
	defer s.confMu.Unlock()
	sys := system(ctx)
	conf, err := s.serverConf(sys)
	if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	event := evUploadAnchor
	if conf == nil {
		event = evInitAnchor
		err = viewer.Require(ctx, viewer.SSInitConfig)
	} else {
		err = viewer.Require(ctx, viewer.SSUploadAnchor)
	}
	if err != nil {
		return nil, err
	}
	hash := globalconf.AnchorHash(data)
	auditData := map[string]any{"anchorHash": hash}
	a, err := globalconf.ParseAnchor(data)
	if err != nil {
		return nil, s.failed(ctx, event, auditData, err)
	}
	auditData["instanceIdentifier"] = a.Instance
	if conf != nil && conf.InitializedAt != nil && a.Instance != conf.InstanceIdentifier {
		return nil, s.failed(ctx, event, auditData, xroad.Errorf(xroad.CodeInvalidInstanceIdentifier,
			"Unexpected instance identifier found in anchor: it is for instance %q, but this security server belongs to %q; upload the anchor of instance %q",
			a.Instance, conf.InstanceIdentifier, conf.InstanceIdentifier))
	}

	now := s.now()
	snap, err := globalconf.Download(ctx, s.http, a, s.snap.Load(), nil, now)
	if err != nil {
		return nil, s.failed(ctx, event, auditData, anchorDownloadError(err))
	}
	generatedAt := a.GeneratedAt
	if generatedAt.IsZero() {
		generatedAt = now
	}
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		var err error
		if conf == nil {
			err = tx.SecurityServerConf.Create().SetInstanceIdentifier(a.Instance).SetAnchor(data).
				SetAnchorHash(hash).SetAnchorGeneratedAt(generatedAt).Exec(sys)
		} else {
			err = tx.SecurityServerConf.UpdateOneID(conf.ID).SetInstanceIdentifier(a.Instance).SetAnchor(data).
				SetAnchorHash(hash).SetAnchorGeneratedAt(generatedAt).Exec(sys)
		}
		if err != nil {
			return err
		}
		if _, err := tx.DownloadedConf.Delete().Where(downloadedconf.InstanceIdentifierNEQ(a.Instance)).Exec(sys); err != nil {
			return err
		}
		if _, _, err := storeDownloaded(sys, tx.Client(), snap, now); err != nil {
			return err
		}
		record(ctx, tx.Client(), event, auditData)
		db.AfterCommit(tx, func() {
			s.anchor.Store(a)
			s.snap.Store(snap)
			signal(s.anchorCh)
			s.publish(events.GlobalConfChanged, 0)
		})
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, event, auditData, err)
	}
	s.runChecker(sys)
	return &AnchorInfo{Hash: hash, GeneratedAt: generatedAt, Instance: a.Instance}, nil
}

// anchorDownloadError explains a failed first download: an anchor without
// the internal configuration's parts is not an anchor for a security server.
func anchorDownloadError(err error) error {
	if errors.Is(err, globalconf.ErrMissingPart) {
		return xroad.Errorf(xroad.CodeMalformedAnchor,
			"The configuration this anchor points to has no private or shared parameters of its instance; use the internal configuration anchor exported from the central server").Wrap(err)
	}
	return err
}
