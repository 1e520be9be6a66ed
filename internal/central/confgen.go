package central

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/configurationsigningkey"
	"github.com/roadreg/roadreg/ent/globalconfversion"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

// keepVersions is how many generated versions stay in the database.
const keepVersions = 50

// debounce coalesces generation triggers from changes committed together.
const debounce = 20 * time.Millisecond

// generator builds, signs and publishes global configuration (GCONF_18):
// right after every committed change that affects it, and at least every
// ConfInterval so it never expires while the central server is healthy.
type generator struct {
	s    *Service
	pub  *globalconf.Publisher
	hub  *globalconf.Hub
	kick chan struct{}
	// mu runs one generation at a time: the background loop and
	// generateGlobalConfiguration would otherwise both number the next
	// version (one failing with CONFLICT) and write the published files.
	mu sync.Mutex
}

func newGenerator(s *Service) (*generator, error) {
	if s.opts.PublicDir == "" {
		return nil, fmt.Errorf("central: PublicDir is required")
	}
	pub, err := globalconf.NewPublisher(s.opts.PublicDir)
	if err != nil {
		return nil, err
	}
	return &generator{s: s, pub: pub, hub: globalconf.NewHub(s.opts.AllowedOrigins...), kick: make(chan struct{}, 1)}, nil
}

// trigger asks for a new generation soon; it never blocks.
func (g *generator) trigger() {
	select {
	case g.kick <- struct{}{}:
	default:
	}
}

func (g *generator) run(ctx context.Context) {
	defer g.hub.Close()
	if cur := g.pub.Current(); cur != nil {
		if v, err := g.latest(ctx); err == nil && v != nil {
			g.hub.Publish(v.Version, cur.Hash)
		}
	}
	g.generate(ctx)
	t := time.NewTicker(g.s.opts.ConfInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-g.kick:
			select {
			case <-time.After(debounce):
			case <-ctx.Done():
				return
			}
			select { // drain a trigger that arrived while waiting
			case <-g.kick:
			default:
			}
			g.generate(ctx)
		case <-t.C:
			g.generate(ctx)
		}
	}
}

func (g *generator) latest(ctx context.Context) (*ent.GlobalConfVersion, error) {
	v, err := g.s.client.GlobalConfVersion.Query().Order(ent.Desc(globalconfversion.FieldVersion)).First(sys(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}

// Generate builds and publishes a new version now.
func (s *Service) Generate(ctx context.Context) error { return s.gen.generate(ctx) }

// generate makes one attempt. A failure is recorded (with the time the
// failure started) and the last good version keeps being served.
func (g *generator) generate(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	ctx = sys(ctx)
	conf, err := g.s.conf(ctx)
	if err != nil {
		return err // not initialised: nothing to generate yet
	}
	v, err := g.publish(ctx, conf)
	if err != nil {
		if ctx.Err() == nil { // not a failure when the server stops or the caller left
			g.recordFailure(ctx, conf, err)
		}
		return err
	}
	if conf.ConfGenerationFailingSince != nil {
		if err := g.s.client.CentralServerConf.UpdateOne(conf).ClearConfGenerationFailingSince().ClearConfGenerationError().Exec(ctx); err != nil {
			slog.ErrorContext(ctx, "clearing generation failure", "err", err)
		}
	}
	slog.DebugContext(ctx, "global configuration generated", "version", v.Version, "hash", v.Hash)
	g.hub.Publish(v.Version, v.Hash)
	g.s.events.Publish(events.Event{Topic: events.GlobalConfChanged})
	return nil
}

func (g *generator) recordFailure(ctx context.Context, conf *ent.CentralServerConf, err error) {
	msg := xroad.Message(err)
	if xroad.CodeOf(err) == "" {
		msg = "internal error: " + err.Error()
	}
	if xroad.CodeOf(err) == "" {
		slog.ErrorContext(ctx, "global configuration generation failed", "err", err)
	} else { // a state an administrator resolves (the token is logged out, say)
		slog.WarnContext(ctx, "global configuration generation failed", "err", xroad.Message(err))
	}
	upd := g.s.client.CentralServerConf.UpdateOne(conf).SetConfGenerationError(msg)
	if conf.ConfGenerationFailingSince == nil {
		upd.SetConfGenerationFailingSince(g.s.now())
	}
	if uerr := upd.Exec(ctx); uerr != nil {
		slog.ErrorContext(ctx, "recording generation failure", "err", uerr)
	}
	if conf.ConfGenerationError != msg {
		g.s.events.Publish(events.Event{Topic: events.GlobalConfChanged})
	}
}

func (g *generator) publish(ctx context.Context, conf *ent.CentralServerConf) (*ent.GlobalConfVersion, error) {
	signer, cert, err := g.s.activeSigningKey(ctx)
	if err != nil {
		return nil, err
	}
	shared, private, err := g.s.buildParameters(ctx, conf)
	if err != nil {
		return nil, fmt.Errorf("building parameters: %w", err)
	}
	sharedXML, err := globalconf.MarshalSharedParameters(shared)
	if err != nil {
		return nil, fmt.Errorf("shared parameters: %w", err)
	}
	privateXML, err := globalconf.MarshalPrivateParameters(private)
	if err != nil {
		return nil, fmt.Errorf("private parameters: %w", err)
	}
	now := g.s.now()
	pub, err := g.pub.Publish(globalconf.Directory{
		ExpireDate: now.Add(g.s.opts.ConfExpire),
		Version:    globalconf.ConfigurationVersion,
		Parts: []globalconf.Part{
			{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: conf.InstanceIdentifier, Data: privateXML},
			{ContentIdentifier: globalconf.ContentSharedParameters, Instance: conf.InstanceIdentifier, Data: sharedXML},
		},
	}, signer, cert)
	if err != nil {
		return nil, fmt.Errorf("signing and publishing: %w", err)
	}
	var v *ent.GlobalConfVersion
	err = db.WithTx(ctx, g.s.client, func(tx *ent.Tx) error {
		last, err := tx.GlobalConfVersion.Query().Order(ent.Desc(globalconfversion.FieldVersion)).First(ctx)
		next := 1
		if err == nil {
			next = last.Version + 1
		} else if !ent.IsNotFound(err) {
			return err
		}
		v, err = tx.GlobalConfVersion.Create().SetVersion(next).SetContentID(pub.ID).SetHash(pub.Hash).
			SetGeneratedAt(now).SetExpiresAt(pub.ExpireDate).SetDirectory(pub.Directory).
			SetSharedParameters(sharedXML).SetPrivateParameters(privateXML).Save(ctx)
		if err != nil {
			return err
		}
		_, err = tx.GlobalConfVersion.Delete().Where(globalconfversion.VersionLTE(next - keepVersions)).Exec(ctx)
		return err
	})
	return v, err
}

// status reports the generation state.
func (g *generator) status(ctx context.Context) (globalconf.Status, error) {
	ctx = sys(ctx)
	conf, err := g.s.conf(ctx)
	if xroad.IsCode(err, xroad.CodeCentralServerNotInitialized) {
		return globalconf.Status{Error: "the central server is not initialised yet"}, nil
	}
	if err != nil {
		return globalconf.Status{}, err
	}
	st := globalconf.Status{Instance: conf.InstanceIdentifier, Error: conf.ConfGenerationError, FailingSince: conf.ConfGenerationFailingSince}
	v, err := g.latest(ctx)
	if err != nil {
		return st, err
	}
	if v != nil {
		st.Version, st.GeneratedAt, st.ExpiresAt, st.LastSuccessAt = v.Version, v.GeneratedAt, v.ExpiresAt, v.GeneratedAt
	}
	return st, nil
}

// signingCerts returns the active configuration-signing certificates and
// the newest key's creation time.
func (s *Service) signingCerts(ctx context.Context) ([]*x509.Certificate, time.Time, error) {
	keys, err := s.client.ConfigurationSigningKey.Query().Where(configurationsigningkey.Active(true)).
		Order(ent.Asc(configurationsigningkey.FieldCreatedAt)).All(sys(ctx))
	if err != nil {
		return nil, time.Time{}, err
	}
	var certs []*x509.Certificate
	var generated time.Time
	for _, k := range keys {
		c, err := x509.ParseCertificate(k.Certificate)
		if err != nil {
			return nil, time.Time{}, err
		}
		certs = append(certs, c)
		generated = k.CreatedAt
	}
	return certs, generated, nil
}
