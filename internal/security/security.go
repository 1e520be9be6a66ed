// Package security is the security server's workflow: initialisation from
// a configuration anchor, the configuration client, tokens, keys, CSRs,
// certificates and their OCSP status, timestamping services, registration of
// the authentication certificate and its activation (SS_07, 19, 24, 28–30,
// 32, 34; MEMBER_44; GCONF_22, 23).
//
// Every mutation checks the caller's permission, runs in one database
// transaction and publishes its events only after the commit. Database work
// runs as the server itself (ent's privacy rules are for GraphQL reads); the
// audit log names the real caller.
package security

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/pkcs11token"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Defaults of Options.
const (
	// DefaultConfPoll is how often global configuration is downloaded
	// (X-Road's configuration-client.update-interval).
	DefaultConfPoll = 60 * time.Second
	// DefaultCheckInterval is how often the status checker runs (X-Road's
	// GlobalConfChecker).
	DefaultCheckInterval = 30 * time.Second
)

// Options configure a Service.
type Options struct {
	Client *ent.Client
	Events *events.Broker
	// PKCS11Modules are the PKCS#11 libraries whose tokens appear as
	// HARDWARE tokens.
	PKCS11Modules []string
	// AutoActivate activates an authentication certificate as soon as the
	// status checker sees it REGISTERED (X-Road's
	// automatic-activate-auth-certificate).
	AutoActivate bool
	// ConfPoll is the download interval (default DefaultConfPoll).
	ConfPoll time.Duration
	// CheckInterval is the status checker interval (default
	// DefaultCheckInterval).
	CheckInterval time.Duration
	// Watch keeps the central server's push channel open, so a new
	// configuration is downloaded at once.
	Watch bool
	// EnforcePINPolicy applies X-Road's PIN policy to the software-token PIN.
	EnforcePINPolicy bool
	// HTTPClient is used for configuration downloads, OCSP, timestamping and
	// the management service (default: X-Road's 10 s connect / 30 s read
	// timeouts). The management service gets a copy that pins the central
	// server's TLS certificate.
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
	// SoftTokenKDF is the key derivation of new software tokens (nil:
	// softtoken.DefaultKDFParams); roadreg serve --softtoken-kdf sets it.
	SoftTokenKDF *softtoken.KDFParams
	// ACMEChallengeListen is the address the HTTP-01 challenge listener
	// serves (the server package runs it); "" means it is off and
	// certificates cannot be ordered with ACME (X-Road's
	// acme-challenge-port-enabled, off by default).
	ACMEChallengeListen string
	// ACMERoots are the roots ACME servers' TLS certificates are checked
	// against (nil: the system's).
	ACMERoots *x509.CertPool
	// AutoActivateACMESign activates a signing certificate ordered with
	// ACME when its OCSP status is good (X-Road's
	// automatic-activate-acme-sign-certificate).
	AutoActivateACMESign bool
	// AutoRenew runs the renewal job for certificates ordered with ACME
	// (X-Road's acme-renewal-active).
	AutoRenew bool
	// RenewalInterval is how often the job looks for certificates due for
	// renewal (default DefaultRenewalInterval).
	RenewalInterval time.Duration
	// RenewBefore is how long before expiry a certificate is renewed when
	// its CA gives no renewal information (default DefaultRenewBefore).
	RenewBefore time.Duration
	// RenewalRetryDelay is the first wait after a failed renewal attempt
	// (default DefaultRenewalRetryDelay).
	RenewalRetryDelay time.Duration
	// ServerAddress is this server's public address, the DNS name or IP
	// address other security servers reach it at (roadreg serve
	// --server-address); the admin app offers it when registering the
	// authentication certificate. Empty when not configured.
	ServerAddress string
}

// Service runs the security server's workflow.
type Service struct {
	client *ent.Client
	events *events.Broker
	opts   Options
	http   *http.Client

	anchor atomic.Pointer[globalconf.Anchor]
	snap   atomic.Pointer[globalconf.Snapshot]
	// announced is the newest version the watch channel announced.
	announced atomic.Pointer[globalconf.Notification]

	confMu  sync.Mutex // one configuration download/apply at a time
	checkMu sync.Mutex // one status-checker run at a time
	regMu   sync.Mutex // one registration or status query at a time
	syncMu  sync.Mutex // one hardware-token sync at a time
	loginMu sync.Mutex // one login at a time: read, check and store the wrong-PIN count together

	tokMu    sync.RWMutex
	soft     *softtoken.Token
	hardware map[string]signer.Token // by token id
	modules  []*pkcs11token.Module

	refreshCh chan struct{} // wakes the configuration loop
	anchorCh  chan struct{} // the anchor changed: restart the watchers

	acmeMu     sync.Mutex // one ACME order at a time
	challenges *acmeChallenges

	renewMu sync.Mutex    // one renewal job run at a time
	renewCh chan struct{} // wakes the renewal job
}

// New returns the security server's service. It re-loads the anchor, the
// last good configuration and the software token from the database, opens
// the PKCS#11 modules and records their tokens. Call Run for the background
// jobs and Close when done.
func New(ctx context.Context, opts Options) (*Service, error) {
	if opts.Client == nil {
		return nil, errors.New("security: no database client")
	}
	if opts.ConfPoll <= 0 {
		opts.ConfPoll = DefaultConfPoll
	}
	if opts.CheckInterval <= 0 {
		opts.CheckInterval = DefaultCheckInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RenewalInterval <= 0 {
		opts.RenewalInterval = DefaultRenewalInterval
	}
	if opts.RenewBefore <= 0 {
		opts.RenewBefore = DefaultRenewBefore
	}
	if opts.RenewalRetryDelay <= 0 {
		opts.RenewalRetryDelay = DefaultRenewalRetryDelay
	}
	if opts.ServerAddress != "" {
		if err := xroad.ValidateHostAddress("server address", opts.ServerAddress); err != nil {
			return nil, err
		}
	}
	s := &Service{
		client:    opts.Client,
		events:    opts.Events,
		opts:      opts,
		http:      opts.HTTPClient,
		hardware:  map[string]signer.Token{},
		refreshCh: make(chan struct{}, 1),
		anchorCh:  make(chan struct{}, 1),
		renewCh:   make(chan struct{}, 1),

		challenges: &acmeChallenges{byToken: map[string]string{}},
	}
	if s.http == nil {
		s.http = globalconf.NewHTTPClient(globalconf.DefaultConnectTimeout, globalconf.DefaultReadTimeout)
	}
	sys := system(ctx)
	if err := s.loadConfiguration(sys); err != nil {
		return nil, err
	}
	if err := s.loadSoftToken(sys); err != nil {
		return nil, err
	}
	for _, path := range opts.PKCS11Modules {
		m, err := pkcs11token.OpenModule(path)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.modules = append(s.modules, m)
	}
	if err := s.syncHardware(sys); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the PKCS#11 modules. The service must not be used after.
func (s *Service) Close() error {
	s.tokMu.Lock()
	defer s.tokMu.Unlock()
	var errs []error
	for _, m := range s.modules {
		errs = append(errs, m.Close())
	}
	s.modules = nil
	s.hardware = map[string]signer.Token{}
	if s.soft != nil {
		errs = append(errs, s.soft.Logout())
	}
	return errors.Join(errs...)
}

// Run runs the background jobs until ctx is done: the configuration client
// (periodic download, the watch channel, registration status queries), the
// status checker and the OCSP refresher.
func (s *Service) Run(ctx context.Context) {
	ctx = system(ctx)
	var wg sync.WaitGroup
	jobs := []func(context.Context){s.confLoop, s.maintenanceLoop, s.renewalLoop}
	if s.opts.Watch {
		jobs = append(jobs, s.watchLoop)
	}
	for _, job := range jobs {
		wg.Add(1)
		go func() { defer wg.Done(); job(ctx) }()
	}
	wg.Wait()
}

// Info is the security server's initialisation state (IG-SS, initial configuration).
type Info struct {
	AnchorImported bool
	Initialized    bool
	Instance       string
	// ServerID is set once the server is initialised.
	ServerID *xroad.ServerID
}

// Info returns the server's initialisation state.
func (s *Service) Info(ctx context.Context) (Info, error) {
	conf, err := s.serverConf(system(ctx))
	if ent.IsNotFound(err) {
		return Info{}, nil
	}
	if err != nil {
		return Info{}, err
	}
	info := Info{AnchorImported: true, Instance: conf.InstanceIdentifier}
	if id, ok := serverIDOf(conf); ok && conf.InitializedAt != nil {
		info.Initialized = true
		info.ServerID = &id
	}
	return info, nil
}

// ServerAddress is the configured public address of this server ("" when
// none is configured), for those who register the authentication
// certificate or read the diagnostics.
func (s *Service) ServerAddress(ctx context.Context) (string, error) {
	if err := viewer.Require(ctx, viewer.SSSendAuthCertRegReq, viewer.SSDiagnostics); err != nil {
		return "", err
	}
	return s.opts.ServerAddress, nil
}

// serverConf loads the configuration row with its owner.
func (s *Service) serverConf(ctx context.Context) (*ent.SecurityServerConf, error) {
	return s.client.SecurityServerConf.Query().WithOwner().Only(ctx)
}

// serverIDOf is the server id of an initialised configuration row.
func serverIDOf(conf *ent.SecurityServerConf) (xroad.ServerID, bool) {
	o := conf.Edges.Owner
	if o == nil || conf.ServerCode == "" {
		return xroad.ServerID{}, false
	}
	return xroad.ServerID{Owner: clientIDOf(o).Member(), ServerCode: conf.ServerCode}, true
}

func clientIDOf(c *ent.ServerClient) xroad.ClientID {
	return xroad.ClientID{Instance: c.Instance, MemberClass: c.MemberClass, MemberCode: c.MemberCode, SubsystemCode: c.SubsystemCode}
}

// initialized returns the server id, or SERVER_NOT_INITIALIZED.
func (s *Service) initialized(ctx context.Context) (*ent.SecurityServerConf, xroad.ServerID, error) {
	conf, err := s.serverConf(ctx)
	if ent.IsNotFound(err) {
		return nil, xroad.ServerID{}, errNotInitialized()
	}
	if err != nil {
		return nil, xroad.ServerID{}, err
	}
	id, ok := serverIDOf(conf)
	if !ok || conf.InitializedAt == nil {
		return nil, xroad.ServerID{}, errNotInitialized()
	}
	return conf, id, nil
}

func errNotInitialized() *xroad.Error {
	return xroad.Errorf(xroad.CodeSecurityServerNotInitialized,
		"The security server is not initialised yet; upload the configuration anchor and initialise the server first")
}

// system returns ctx for the domain's own database work: the caller keeps
// its identity for the audit log but may read and write everything (the
// operation's permission was checked before); without a caller it is the
// server itself.
func system(ctx context.Context) context.Context {
	if viewer.FromContext(ctx) == nil {
		return viewer.SystemContext(ctx, viewer.Security)
	}
	return viewer.Elevated(ctx)
}

func (s *Service) now() time.Time { return s.opts.Now() }

// publishAfterCommit publishes an event once tx has committed.
func (s *Service) publishAfterCommit(tx *ent.Tx, topic string, id int) {
	db.AfterCommit(tx, func() { s.publish(topic, id) })
}

// publish sends an event (for changes made outside a transaction; inside
// one, publishAfterCommit).
func (s *Service) publish(topic string, id int) {
	if s.events != nil {
		s.events.Publish(events.Event{Topic: topic, ID: id})
	}
}

// nonEmpty returns &s, or nil for "" (optional fields are NULL, not "").
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
