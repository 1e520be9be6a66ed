package central

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/configurationsigningkey"
	"github.com/roadreg/roadreg/ent/globalconfversion"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// keepVersions is how many generated versions stay in the database.
const keepVersions = 50

// debounce coalesces generation triggers from changes committed together.
const debounce = 20 * time.Millisecond

// generatorLease is the lease of the replica that generates.
const generatorLease = "global-configuration-generator"

// Timings of the generator.
const (
	// leaseEvery is how often the lease is renewed or tried.
	leaseEvery = cluster.DefaultHeartbeat
	// reloadEvery is how often a replica looks for a version it was not
	// told about (a safety net: the event arrives within milliseconds).
	reloadEvery = 5 * time.Second
	// forwardWait is how long generateGlobalConfiguration waits for the
	// generating replica's new version.
	forwardWait = 15 * time.Second
)

// generator builds, signs and publishes global configuration (GCONF_18):
// right after every committed change that affects it, and at least every
// ConfInterval so it never expires while the central server is healthy.
//
// Every replica serves what is in the database: a version is published by
// committing its row (signed directory and parts), after which every
// replica serves exactly those bytes and announces the version on its watch
// channel. One replica generates: the one holding the generator lease,
// which only a replica whose signing token is logged in takes; if it dies,
// another takes over once the lease has expired. The lease is checked in
// the transaction that stores a version, so a replica that lost it stores
// nothing; version numbers come from that transaction, one higher than the
// last stored.
type generator struct {
	s     *Service
	pub   *globalconf.Publisher
	hub   *globalconf.Hub
	lease *cluster.Lease // nil: no other replica (SQLite), this one generates
	// leader is whether this replica generates now; served the number of
	// the version it serves.
	leader atomic.Bool
	served atomic.Int64
	// leaseFailing: the last try to take or renew the lease failed (the
	// lease loop's own).
	leaseFailing bool
	// mu runs one generation at a time: the background loop and
	// generateGlobalConfiguration would otherwise both number the next
	// version (one failing with CONFLICT).
	mu sync.Mutex
}

func newGenerator(s *Service) *generator {
	g := &generator{s: s, pub: globalconf.NewPublisher(), hub: globalconf.NewHub(s.opts.AllowedOrigins...)}
	if s.opts.Cluster != nil && s.opts.Cluster.Replicated() {
		g.lease = s.opts.Cluster.Lease(generatorLease)
	}
	return g
}

// trigger asks the generating replica (maybe this one) for a new version
// soon; it never blocks.
func (g *generator) trigger() {
	g.s.events.Publish(events.Event{Topic: events.GenerateRequested})
}

func (g *generator) run(ctx context.Context) {
	defer g.hub.Close()
	requests := g.s.events.Subscribe(ctx, events.GenerateRequested)
	published := g.s.events.Subscribe(ctx, events.GlobalConfChanged)
	g.reload(ctx)
	g.s.sharedLogin(ctx)
	takeover := make(chan struct{}, 1)
	g.maintain(ctx, takeover)
	if !g.leader.Load() {
		g.attempt(ctx) // records why no replica generates
	}
	leaseDone := make(chan struct{})
	go func() { defer close(leaseDone); g.leaseLoop(ctx, takeover) }()
	reload := time.NewTicker(reloadEvery)
	defer reload.Stop()
	interval := time.NewTicker(g.s.opts.ConfInterval)
	defer interval.Stop()
	for {
		select {
		case <-ctx.Done():
			<-leaseDone
			if g.lease != nil && g.leader.Load() {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
				g.lease.Release(rctx)
				cancel()
			}
			return
		case <-takeover:
			g.reload(ctx)
			_ = g.generate(ctx)
		case <-reload.C:
			g.reload(ctx)
		case e := <-published:
			if int64(e.ID) > g.served.Load() {
				g.reload(ctx)
			}
		case <-requests:
			select {
			case <-time.After(debounce):
			case <-ctx.Done():
				continue
			}
			for len(requests) > 0 { // requests that arrived while waiting
				<-requests
			}
			g.attempt(ctx)
		case <-interval.C:
			g.attempt(ctx)
		}
	}
}

// leaseLoop keeps the generator lease apart from generation (which may
// take longer than the lease lasts), and logs in with a login another
// replica shared.
func (g *generator) leaseLoop(ctx context.Context, takeover chan struct{}) {
	logins := g.s.events.Subscribe(ctx, events.TokenLoggedIn)
	tick := time.NewTicker(leaseEvery)
	defer tick.Stop()
	shared := time.NewTicker(reloadEvery)
	defer shared.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-logins:
			g.s.sharedLogin(ctx)
		case <-shared.C:
			g.s.sharedLogin(ctx)
		}
		g.maintain(ctx, takeover)
	}
}

// claimLease takes the generator lease for a replica whose signing token
// an administrator has just logged in to, before the login is shared: the
// replica the administrator used generates, rather than whichever replica
// opens the shared login first. The lease loop takes over from there.
func (g *generator) claimLease(ctx context.Context) {
	if g.lease != nil && g.canSign() {
		_, _ = g.lease.Acquire(ctx)
	}
}

// canSign reports whether this replica could sign a version.
func (g *generator) canSign() bool { return g.s.TokenLoggedIn() }

// maintain takes or renews the lease while this replica can sign, and
// gives it up when it cannot. A replica that becomes the generator is told
// on takeover to publish a version at once: its predecessor may have died
// in the middle of one.
func (g *generator) maintain(ctx context.Context, takeover chan struct{}) {
	if !g.canSign() {
		if g.leader.Swap(false) && g.lease != nil {
			g.lease.Release(ctx)
		}
		return
	}
	held := true
	if g.lease != nil {
		var err error
		held, err = g.lease.Acquire(ctx)
		switch {
		case err != nil && !g.leaseFailing && ctx.Err() == nil:
			slog.WarnContext(ctx, "taking or renewing the generator lease failed; retrying", "err", err)
		case err == nil && g.leaseFailing:
			slog.InfoContext(ctx, "the generator lease can be taken or renewed again")
		}
		g.leaseFailing = err != nil
	}
	switch {
	case held && !g.leader.Swap(true):
		if g.lease != nil {
			slog.InfoContext(ctx, "this replica generates global configuration now", "replica", g.s.opts.Cluster.Name())
		}
		select {
		case takeover <- struct{}{}:
		default:
		}
	case !held && g.leader.Swap(false):
		slog.WarnContext(ctx, "this replica lost the generator lease", "replica", g.s.opts.Cluster.Name())
	}
}

// attempt generates when this replica is the generator, and when no
// replica is: then the attempt fails and records why (the signing token is
// logged out everywhere).
func (g *generator) attempt(ctx context.Context) {
	if g.leader.Load() {
		_ = g.generate(ctx)
		return
	}
	if g.lease == nil {
		_ = g.generate(ctx)
		return
	}
	if info, err := g.lease.Info(ctx); err == nil && info.Holder == "" {
		_ = g.generate(ctx)
	}
}

// latestVersion is the number of the newest stored version (0: none).
func (g *generator) latestVersion(ctx context.Context) (int, error) {
	v, err := g.s.client.GlobalConfVersion.Query().Order(ent.Desc(globalconfversion.FieldVersion)).
		Select(globalconfversion.FieldVersion).First(sys(ctx))
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return v.Version, nil
}

// reload serves the newest stored version when it is newer than the one
// served, and announces it on the watch channel.
func (g *generator) reload(ctx context.Context) {
	ctx = sys(ctx)
	newest, err := g.latestVersion(ctx)
	if err != nil || int64(newest) <= g.served.Load() {
		return
	}
	v, err := g.s.client.GlobalConfVersion.Query().Where(globalconfversion.Version(newest)).Only(ctx)
	if err != nil {
		return
	}
	pub, err := globalconf.NewPublication(v.Directory, map[string][]byte{
		globalconf.ContentSharedParameters: v.SharedParameters, globalconf.ContentPrivateParameters: v.PrivateParameters})
	if err != nil {
		slog.ErrorContext(ctx, "a stored configuration version cannot be served", "version", v.Version, "err", err)
		return
	}
	g.serve(int64(v.Version), pub)
}

// serve makes pub (version) the served version, unless a later one is.
func (g *generator) serve(version int64, pub *globalconf.Publication) {
	for {
		cur := g.served.Load()
		if version <= cur {
			return
		}
		if g.served.CompareAndSwap(cur, version) {
			break
		}
	}
	g.pub.Serve(pub)
	g.hub.Publish(int(version), pub.Hash)
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
	v, pub, err := g.publish(ctx, conf)
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
	g.serve(int64(v.Version), pub)
	g.s.events.Publish(events.Event{Topic: events.GlobalConfChanged, ID: v.Version})
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

// publish builds and signs a version and stores it: then it is published.
func (g *generator) publish(ctx context.Context, conf *ent.CentralServerConf) (*ent.GlobalConfVersion, *globalconf.Publication, error) {
	signer, cert, err := g.s.activeSigningKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	shared, private, err := g.s.buildParameters(ctx, conf)
	if err != nil {
		return nil, nil, fmt.Errorf("building parameters: %w", err)
	}
	sharedXML, err := globalconf.MarshalSharedParameters(shared)
	if err != nil {
		return nil, nil, fmt.Errorf("shared parameters: %w", err)
	}
	privateXML, err := globalconf.MarshalPrivateParameters(private)
	if err != nil {
		return nil, nil, fmt.Errorf("private parameters: %w", err)
	}
	now := g.s.now()
	pub, err := g.pub.Sign(globalconf.Directory{
		ExpireDate: now.Add(g.s.opts.ConfExpire),
		Version:    globalconf.ConfigurationVersion,
		Parts: []globalconf.Part{
			{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: conf.InstanceIdentifier, Data: privateXML},
			{ContentIdentifier: globalconf.ContentSharedParameters, Instance: conf.InstanceIdentifier, Data: sharedXML},
		},
	}, signer, cert)
	if err != nil {
		return nil, nil, fmt.Errorf("signing: %w", err)
	}
	var v *ent.GlobalConfVersion
	err = db.WithTx(ctx, g.s.client, func(tx *ent.Tx) error {
		if g.lease != nil {
			if err := g.lease.Check(ctx, tx); err != nil {
				return err
			}
		}
		last, err := tx.GlobalConfVersion.Query().Order(ent.Desc(globalconfversion.FieldVersion)).Select(globalconfversion.FieldVersion).First(ctx)
		next := 1
		if err == nil {
			next = last.Version + 1
		} else if !ent.IsNotFound(err) {
			return err
		}
		c := tx.GlobalConfVersion.Create().SetVersion(next).SetContentID(pub.ID).SetHash(pub.Hash).
			SetGeneratedAt(now).SetExpiresAt(pub.ExpireDate).SetDirectory(pub.Directory).
			SetSharedParameters(sharedXML).SetPrivateParameters(privateXML)
		if g.s.opts.Cluster != nil {
			c.SetGeneratedBy(g.s.opts.Cluster.Name())
		}
		if v, err = c.Save(ctx); err != nil {
			return err
		}
		_, err = tx.GlobalConfVersion.Delete().Where(globalconfversion.VersionLTE(next - keepVersions)).Exec(ctx)
		return err
	})
	return v, pub, err
}

// GenerateNow generates and publishes configuration on demand (GCONF_18).
// On a replica that does not generate it asks the one that does and waits
// for its version.
func (s *Service) GenerateNow(ctx context.Context) error {
	if err := viewer.Require(ctx, viewer.CSGenerateGlobalConf); err != nil {
		return err
	}
	g := s.gen
	if g.lease == nil || g.leader.Load() {
		return g.generate(ctx)
	}
	if g.canSign() {
		if held, err := g.lease.Acquire(ctx); err == nil && held {
			g.leader.Store(true)
			return g.generate(ctx)
		}
	}
	info, err := g.lease.Info(ctx)
	if err != nil {
		return err
	}
	if info.Holder == "" {
		return g.generate(ctx) // no replica can sign: fails and says why
	}
	return g.forward(ctx, info.Holder)
}

// forward asks the generating replica for a version and waits for it.
func (g *generator) forward(ctx context.Context, holder string) error {
	last, err := g.latestVersion(ctx)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, forwardWait)
	defer cancel()
	changes := g.s.events.Subscribe(wctx, events.GlobalConfChanged)
	g.trigger()
	for {
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return xroad.Errorf(xroad.CodeGlobalConfGenerationFailed,
				"replica %s, which generates global configuration, published no new version within %s; see its log", holder, forwardWait)
		case e := <-changes:
			if e.ID > last {
				return nil
			}
			if e.ID == 0 { // a failure was recorded
				if conf, err := g.s.conf(ctx); err == nil && conf.ConfGenerationError != "" {
					return xroad.Errorf(xroad.CodeGlobalConfGenerationFailed, "generating global configuration failed on replica %s: %s", holder, conf.ConfGenerationError)
				}
			}
		}
	}
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
	v, err := g.s.client.GlobalConfVersion.Query().Order(ent.Desc(globalconfversion.FieldVersion)).
		Select(globalconfversion.FieldVersion, globalconfversion.FieldGeneratedAt, globalconfversion.FieldExpiresAt).First(ctx)
	if ent.IsNotFound(err) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Version, st.GeneratedAt, st.ExpiresAt, st.LastSuccessAt = v.Version, v.GeneratedAt, v.ExpiresAt, v.GeneratedAt
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
