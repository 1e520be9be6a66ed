// Package central is the central server's workflow: initialisation and the
// configuration-signing token, member classes, members, approved trust
// services, management requests and their approval (MEMBER_10, 12, 27/28,
// 36), the management service, and the generation of global configuration
// (GCONF_18).
package central

import (
	"context"
	"crypto/x509"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// X-Road defaults (UG-SYSPAR).
const (
	DefaultConfInterval         = 60 * time.Second
	DefaultConfExpire           = 600 * time.Second
	OCSPFreshnessSeconds        = 3600
	TimeStampingIntervalSeconds = 60
	SecurityServerOwnersGroup   = "security-server-owners"
	// Management service provider of a central server initialised without
	// one (see defaultProvider): <instance>/ORG/CENTRAL/MANAGEMENT.
	defaultProviderClass     = "ORG"
	defaultProviderCode      = "CENTRAL"
	defaultProviderSubsystem = "MANAGEMENT"
)

// Options configure the central server's service.
type Options struct {
	Client *ent.Client
	// Dialect is the database's ("postgres" or "sqlite3").
	Dialect string
	Events  *events.Broker
	// Cluster is this replica's membership among the central server's
	// replicas (nil: it is the only one and not registered).
	Cluster *cluster.Node
	// ClusterKey, when set, shares the signing token's login with the
	// replicas that hold the same key (ClusterKeyFromFile).
	ClusterKey []byte
	// AutoApprove approves SECURITY_SERVER-origin authentication
	// certificate registrations of existing members on arrival.
	AutoApprove bool
	// AutoApproveRenewals approves SECURITY_SERVER-origin registrations
	// that renew a registered server's certificate (renewalApproval) on
	// arrival, saying why in the request's comments.
	AutoApproveRenewals bool
	// ConfInterval is the longest time between two generations.
	ConfInterval time.Duration
	// ConfExpire is the validity of a generated configuration.
	ConfExpire time.Duration
	// TLSCertificate is the certificate the server's HTTPS listener serves;
	// nil when it serves plain HTTP.
	TLSCertificate *x509.Certificate
	// AllowedOrigins are browser origins allowed on the watch channel.
	AllowedOrigins []string
	// SoftTokenKDF is the key derivation of the software token made by
	// initialisation (nil: softtoken.DefaultKDFParams).
	SoftTokenKDF *softtoken.KDFParams
	Now          func() time.Time
}

// Service runs the central server's workflow.
type Service struct {
	client *ent.Client
	events *events.Broker
	opts   Options
	now    func() time.Time

	tokenMu sync.Mutex
	token   *softtoken.Token
	// loginMu makes reading, checking and storing the wrong-PIN count one
	// step, so parallel attempts cannot slip past the back-off.
	loginMu sync.Mutex
	// badSharedLogin is the shared login that did not open (warned once).
	badSharedLogin []byte

	gen      *generator
	instance atomic.Pointer[string]
}

// New returns the central server's service. Call Start before serving.
func New(opts Options) (*Service, error) {
	if opts.ConfInterval <= 0 {
		opts.ConfInterval = DefaultConfInterval
	}
	if opts.ConfExpire <= 0 {
		opts.ConfExpire = DefaultConfExpire
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Service{client: opts.Client, events: opts.Events, opts: opts, now: opts.Now}
	if opts.Client != nil {
		opts.Client.Member.Intercept(memberClassLoader)
	}
	s.gen = newGenerator(s)
	return s, nil
}

// sys returns ctx acting as the central server itself.
func sys(ctx context.Context) context.Context { return viewer.SystemContext(ctx, viewer.Central) }

// Info says whether the central server is initialised and its instance.
type Info struct {
	Initialized bool
	Instance    string
	Address     string
}

// Info returns the server's initialisation state.
func (s *Service) Info(ctx context.Context) (Info, error) {
	conf, err := s.conf(ctx)
	if xroad.IsCode(err, xroad.CodeCentralServerNotInitialized) {
		return Info{}, nil
	}
	if err != nil {
		return Info{}, err
	}
	return Info{Initialized: true, Instance: conf.InstanceIdentifier, Address: conf.CentralServerAddress}, nil
}

// conf returns the configuration row or CENTRAL_SERVER_NOT_INITIALIZED.
func (s *Service) conf(ctx context.Context) (*ent.CentralServerConf, error) {
	c, err := s.client.CentralServerConf.Query().Only(sys(ctx))
	if ent.IsNotFound(err) {
		return nil, xroad.Errorf(xroad.CodeCentralServerNotInitialized, "the central server is not initialised yet; run initializeCentralServer first")
	}
	return c, err
}

// LoadPublished serves the newest stored configuration version now, so a
// started (or restarted) replica answers configuration downloads from its
// first request instead of after Start's first look at the database.
func (s *Service) LoadPublished(ctx context.Context) { s.gen.reload(ctx) }

// Start loads the software token and begins generating configuration.
// It runs until ctx is done.
func (s *Service) Start(ctx context.Context) { s.gen.run(ctx) }

// GlobalConfStatus is the state of configuration generation.
func (s *Service) GlobalConfStatus(ctx context.Context) (globalconf.Status, error) {
	return s.gen.status(ctx)
}

// Publisher serves the published configuration (for the HTTP handler).
func (s *Service) Publisher() *globalconf.Publisher { return s.gen.pub }

// Hub is the watch channel (for the HTTP handler).
func (s *Service) Hub() *globalconf.Hub { return s.gen.hub }

// Generating reports whether this replica generates global configuration.
func (s *Service) Generating() bool { return s.gen.leader.Load() }

// ServedVersion is the number of the version this replica serves (0: none).
func (s *Service) ServedVersion() int { return int(s.gen.served.Load()) }

// Instance returns the instance identifier ("" before initialisation).
// It never changes once set, so it is cached.
func (s *Service) Instance(ctx context.Context) (string, error) {
	if v := s.instance.Load(); v != nil {
		return *v, nil
	}
	info, err := s.Info(ctx)
	if err != nil || !info.Initialized {
		return "", err
	}
	s.instance.Store(&info.Instance)
	return info.Instance, nil
}
