package security

import (
	"context"
	"encoding/hex"
	"log/slog"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/xroad"
)

// runChecker applies the status checker to the current configuration and
// logs failures (it runs in the background and after every applied
// configuration).
func (s *Service) runChecker(ctx context.Context) {
	if err := s.applyChecker(ctx); err != nil && ctx.Err() == nil {
		slog.ErrorContext(ctx, "status checker failed", "err", err)
	}
}

// applyChecker runs Check against the configuration in use and commits the
// changes in one transaction; then it publishes the events and, when
// configured, activates authentication certificates whose registration has
// just been approved (REGISTRATION_IN_PROGRESS to REGISTERED, as X-Road's
// automatic-activate-auth-certificate does). An unregistered certificate the
// configuration no longer lists becomes SAVED with unregisteredAt set. An
// expired configuration changes nothing, as in X-Road.
func (s *Service) applyChecker(ctx context.Context) error {
	ctx = system(ctx)
	snap := s.snap.Load()
	if snap == nil || snap.Shared == nil || snap.Expired(s.now()) {
		return nil
	}
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	var changes Changes
	err := db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		local, ok, err := loadLocalState(ctx, tx.Client())
		if err != nil || !ok {
			return err
		}
		changes = Check(snap.Shared, local)
		c := tx.Client()
		for _, ch := range changes.Certs {
			u := c.Certificate.UpdateOneID(ch.ID).SetStatus(ch.To)
			switch {
			case ch.To == xroad.CertRegistered:
				u.ClearDeclineComment().ClearUnregisteredAt()
			case ch.From == xroad.CertDeletionInProgress:
				u.SetUnregisteredAt(s.now()).ClearManagementRequestID().ClearRegisteredAddress()
			}
			cert, err := u.Save(ctx)
			if err != nil {
				return err
			}
			record(ctx, c, evCertStatusChanged, map[string]any{"certificateHash": cert.Sha256, "from": ch.From, "to": ch.To})
		}
		for _, ch := range changes.Clients {
			if err := c.ServerClient.UpdateOneID(ch.ID).SetStatus(ch.To).Exec(ctx); err != nil {
				return err
			}
			record(ctx, c, evClientStatusChange, map[string]any{"clientId": ch.Client.String(), "from": ch.From, "to": ch.To})
		}
		for _, ch := range changes.Certs {
			s.publishAfterCommit(tx, events.CertificateChanged, ch.ID)
			if ch.To == xroad.CertRegistered {
				s.publishAfterCommit(tx, events.AuthCertificateRegistered, ch.ID)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(changes.Certs) > 0 {
		defer s.wakeRenewal() // a renewal in progress may go on
	}
	if s.opts.AutoActivate {
		for _, ch := range changes.Certs {
			if ch.From == xroad.CertRegistrationInProgress && ch.To == xroad.CertRegistered {
				s.autoActivate(ctx, ch.ID)
			}
		}
	}
	return nil
}

// loadLocalState reads what the checker compares; ok is false before
// initialisation.
func loadLocalState(ctx context.Context, c *ent.Client) (LocalState, bool, error) {
	conf, err := c.SecurityServerConf.Query().WithOwner().Only(ctx)
	if ent.IsNotFound(err) {
		return LocalState{}, false, nil
	}
	if err != nil {
		return LocalState{}, false, err
	}
	id, ok := serverIDOf(conf)
	if !ok || conf.InitializedAt == nil {
		return LocalState{}, false, nil
	}
	local := LocalState{ServerID: id}
	clients, err := c.ServerClient.Query().All(ctx)
	if err != nil {
		return local, false, err
	}
	for _, cl := range clients {
		local.Clients = append(local.Clients, ClientState{ID: cl.ID, Client: clientIDOf(cl), Status: cl.Status})
	}
	certs, err := c.Certificate.Query().Where(certificate.UsageEQ(xroad.UsageAuthentication)).All(ctx)
	if err != nil {
		return local, false, err
	}
	for _, cert := range certs {
		h, err := hex.DecodeString(cert.Sha256)
		if err != nil {
			continue // not a hash we wrote; it cannot be listed either
		}
		local.AuthCerts = append(local.AuthCerts, CertState{ID: cert.ID, Status: cert.Status, Hash: h, Unregistered: cert.DeletionRequestID != nil})
	}
	return local, true, nil
}

// autoActivate activates a newly registered authentication certificate
// (automatic-activate-auth-certificate); a failure is kept on the
// certificate and logged.
func (s *Service) autoActivate(ctx context.Context, id int) {
	cert, err := s.client.Certificate.Get(ctx, id)
	if err != nil || cert.Active {
		return
	}
	if _, err := s.ActivateCertificate(ctx, id); err != nil {
		slog.WarnContext(ctx, "automatic activation of the authentication certificate failed", "certificate", cert.Sha256, "err", err)
	}
}
