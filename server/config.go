package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// env is the process environment as a map (run receives it explicitly so
// tests can pass their own).
type env map[string]string

func envMap(kv []string) env {
	m := env{}
	for _, s := range kv {
		if k, v, ok := strings.Cut(s, "="); ok {
			m[k] = v
		}
	}
	return m
}

// config is what `roadreg serve` needs to run one server.
type config struct {
	Role           viewer.ServerRole
	Listen         string
	DB             string
	DataDir        string
	LogFormat      string
	LogLevel       string
	Introspection  bool
	AllowedOrigins []string
	// PublicURL is the URL browsers reach the server at; AllowedHosts are
	// further host names the browser-facing endpoints answer (hosts.go).
	PublicURL    string
	AllowedHosts []string
	// SessionCookie overrides the session cookie's name (`roadreg dev`
	// gives each of several security servers on one host its own).
	SessionCookie string
	FrontendDir   string
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed (proxies.go).
	TrustedProxies []netip.Prefix
	TLSCert        string
	TLSKey         string

	// Central server.
	AutoApprove bool
	// AutoApproveRenewals approves a registration from a registered
	// security server of a certificate an approved CA issued, at the
	// server's registered address (a renewal), on arrival.
	AutoApproveRenewals bool
	ConfInterval        time.Duration
	ConfExpire          time.Duration
	TokenPINFile        string
	RateLimitPerMin     int
	MgmtPublicListen    string
	// NodeName names this replica among the central server's replicas;
	// NodeAddress is host[:port] security servers reach it at directly
	// (optional); ClusterKeyFile shares the signing token's login among
	// the replicas that have the same file.
	NodeName       string
	NodeAddress    string
	ClusterKeyFile string

	// Security server.
	PKCS11Modules   []string
	AutoActivate    bool
	ConfPoll        time.Duration
	Watch           bool
	EnforcePINRules bool
	// ACMEChallengeListen is the HTTP-01 challenge listener's address
	// ("": off); ACMECARoots a PEM file of further roots for ACME servers'
	// TLS certificates; AutoActivateACMESign activates ordered signing
	// certificates.
	ACMEChallengeListen  string
	ACMECARoots          string
	AutoActivateACMESign bool
	// ACMERenewal runs the renewal job for certificates ordered with ACME,
	// every RenewalInterval, renewing RenewBefore ahead of expiry when the
	// CA gives no renewal information and retrying after RenewalRetryDelay
	// (doubling); zero durations take the security package's defaults.
	ACMERenewal       bool
	RenewalInterval   time.Duration
	RenewBefore       time.Duration
	RenewalRetryDelay time.Duration
	// ServerAddress is the security server's public address (DNS name or
	// IP address), offered when registering its authentication certificate.
	ServerAddress string

	// SoftTokenKDF is the argon2id cost of new software tokens' PIN keys
	// (both roles); zero means softtoken.DefaultKDFParams.
	SoftTokenKDF softtoken.KDFParams

	AdminUser     string
	AdminPassword string

	// now is the services' clock (nil: time.Now); tests set it.
	now func() time.Time
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func defaultListen(role viewer.ServerRole) string {
	if role == viewer.Central {
		return "127.0.0.1:8080"
	}
	return "127.0.0.1:8081"
}

func parseRole(s string) (viewer.ServerRole, error) {
	switch strings.ToLower(s) {
	case "central", "cs":
		return viewer.Central, nil
	case "security", "ss":
		return viewer.Security, nil
	}
	return "", fmt.Errorf("--role must be central or security, not %q", s)
}

// parseServeFlags reads `roadreg serve` flags; every flag has an ROADREG_*
// environment equivalent, flags win.
func parseServeFlags(args []string, e env, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("roadreg serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", e["ROADREG_ROLE"], "central or security (env ROADREG_ROLE)")
	listen := fs.String("listen", e["ROADREG_LISTEN"], "address to listen on (default 127.0.0.1:8080 central, 127.0.0.1:8081 security; env ROADREG_LISTEN)")
	dbURL := fs.String("db", e["ROADREG_DB"], "postgres://… URL or SQLite file (default <data-dir>/roadreg.db; env ROADREG_DB)")
	dataDir := fs.String("data-dir", e["ROADREG_DATA_DIR"], "data folder (default ./data/<role>; env ROADREG_DATA_DIR)")
	logFormat := fs.String("log-format", or(e["ROADREG_LOG_FORMAT"], "text"), "text or json (env ROADREG_LOG_FORMAT)")
	logLevel := fs.String("log-level", or(e["ROADREG_LOG_LEVEL"], "info"), "debug, info, warn or error (env ROADREG_LOG_LEVEL)")
	introspection := fs.Bool("introspection", boolEnv(e, "ROADREG_INTROSPECTION", false), "allow GraphQL introspection (__schema, __type) to logged-in callers; anonymous callers never get it (env ROADREG_INTROSPECTION)")
	var origins stringList
	fs.Var(&origins, "allowed-origin", "extra browser origin allowed to call the API, e.g. http://127.0.0.1:5173 (repeatable; env ROADREG_ALLOWED_ORIGINS, comma-separated)")
	publicURL := fs.String("public-url", e["ROADREG_PUBLIC_URL"], "the URL browsers reach the server at, e.g. https://cs.example.org (its host name is accepted; env ROADREG_PUBLIC_URL)")
	var hosts stringList
	fs.Var(&hosts, "allowed-host", "a further host name (or host:port) the admin app and API answer to (repeatable; env ROADREG_ALLOWED_HOSTS, comma-separated)")
	var proxies stringList
	fs.Var(&proxies, "trusted-proxy", "IP address or CIDR prefix of a load balancer in front of the server, whose X-Forwarded-For names the client (repeatable; env ROADREG_TRUSTED_PROXIES, comma-separated)")
	frontend := fs.String("frontend-dir", or(e["ROADREG_FRONTEND_DIR"], filepath.Join("frontend", "dist")), "built SPA to serve (env ROADREG_FRONTEND_DIR)")
	tlsCert := fs.String("tls-cert", e["ROADREG_TLS_CERT"], "serve HTTPS with this certificate (PEM)")
	tlsKey := fs.String("tls-key", e["ROADREG_TLS_KEY"], "private key of --tls-cert (PEM)")
	autoApprove := fs.Bool("auto-approve", boolEnv(e, "ROADREG_AUTO_APPROVE", false), "central: approve authentication certificate registrations of existing members on arrival")
	autoApproveRenewals := fs.Bool("auto-approve-renewals", boolEnv(e, "ROADREG_AUTO_APPROVE_RENEWALS", false),
		"central: approve on arrival a registration from a registered security server, at its registered address, of a certificate an approved CA issued (a renewal); the request says why (env ROADREG_AUTO_APPROVE_RENEWALS)")
	confInterval := fs.Duration("conf-interval", durEnv(e, "ROADREG_CONF_INTERVAL", 60*time.Second), "central: regenerate global configuration at least this often")
	confExpire := fs.Duration("conf-expire", durEnv(e, "ROADREG_CONF_EXPIRE", 600*time.Second), "central: global configuration validity (Expire-date)")
	pinFile := fs.String("token-pin-file", e["ROADREG_TOKEN_PIN_FILE"], "central: log in to the software token at start-up with the PIN in this file")
	rateLimit := fs.Int("mgmt-rate-limit", intEnv(e, "ROADREG_MGMT_RATE_LIMIT", 10), "central: management service requests per minute per client address")
	nodeName := fs.String("node-name", or(e["ROADREG_NODE_NAME"], defaultNodeName()), "central: this replica's name, unique among the replicas on one database (env ROADREG_NODE_NAME)")
	nodeAddress := fs.String("node-address", e["ROADREG_NODE_ADDRESS"], "central: host[:port] security servers reach this replica at directly; the anchor lists it beside the central server address (env ROADREG_NODE_ADDRESS)")
	clusterKey := fs.String("cluster-key-file", e["ROADREG_CLUSTER_KEY_FILE"], "central: a file of at least 32 random bytes, the same on every replica: one login to the signing token serves them all (env ROADREG_CLUSTER_KEY_FILE)")
	var modules stringList
	fs.Var(&modules, "pkcs11-module", "security: PKCS#11 module whose tokens appear as HARDWARE tokens (repeatable; env ROADREG_PKCS11_MODULES, colon-separated)")
	autoActivate := fs.Bool("auto-activate", boolEnv(e, "ROADREG_AUTO_ACTIVATE", false), "security: activate the authentication certificate when it becomes REGISTERED")
	confPoll := fs.Duration("conf-poll", durEnv(e, "ROADREG_CONF_POLL", 60*time.Second), "security: download global configuration at least this often")
	watch := fs.Bool("watch", boolEnv(e, "ROADREG_WATCH", true), "security: keep the central server's watch channel open for immediate updates")
	serverAddress := fs.String("server-address", e["ROADREG_SERVER_ADDRESS"], "security: this server's public address (DNS name or IP address) other security servers reach it at; the admin app offers it when registering (env ROADREG_SERVER_ADDRESS)")
	pinRules := fs.Bool("enforce-token-pin-policy", boolEnv(e, "ROADREG_ENFORCE_TOKEN_PIN_POLICY", false), "security: software-token PINs need ≥10 characters of ≥3 classes")
	acmeListen := fs.String("acme-challenge-listen", e["ROADREG_ACME_CHALLENGE_LISTEN"],
		"security: serve ACME HTTP-01 challenges on this address, e.g. :80 (default off: no ACME orders; env ROADREG_ACME_CHALLENGE_LISTEN)")
	acmeRoots := fs.String("acme-ca-roots", e["ROADREG_ACME_CA_ROOTS"], "security: PEM file of roots trusted for ACME servers' TLS certificates besides the system's (env ROADREG_ACME_CA_ROOTS)")
	acmeActivate := fs.Bool("auto-activate-acme-sign", boolEnv(e, "ROADREG_AUTO_ACTIVATE_ACME_SIGN", false),
		"security: activate signing certificates ordered with ACME when their OCSP status is good")
	renewal := fs.Bool("acme-renewal", boolEnv(e, "ROADREG_ACME_RENEWAL", true),
		"security: renew certificates ordered with ACME automatically (env ROADREG_ACME_RENEWAL)")
	renewalInterval := fs.Duration("acme-renewal-interval", durEnv(e, "ROADREG_ACME_RENEWAL_INTERVAL", security.DefaultRenewalInterval),
		"security: how often the renewal job looks for certificates due for renewal (env ROADREG_ACME_RENEWAL_INTERVAL)")
	renewBefore := fs.Duration("acme-renew-before", durEnv(e, "ROADREG_ACME_RENEW_BEFORE", security.DefaultRenewBefore),
		"security: renew this long before expiry when the CA gives no renewal information (RFC 9773) (env ROADREG_ACME_RENEW_BEFORE)")
	renewalRetry := fs.Duration("acme-renewal-retry-delay", durEnv(e, "ROADREG_ACME_RENEWAL_RETRY_DELAY", security.DefaultRenewalRetryDelay),
		"security: wait after a failed renewal attempt, doubled after each further failure up to a day (env ROADREG_ACME_RENEWAL_RETRY_DELAY)")
	kdf := fs.String("softtoken-kdf", or(e["ROADREG_SOFTTOKEN_KDF"], softtoken.DefaultKDFParams().String()),
		"argon2id cost of the PIN key of new software tokens: m=<KiB>,t=<passes>,p=<lanes> (env ROADREG_SOFTTOKEN_KDF)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if *role == "" {
		return nil, fmt.Errorf("--role is required (central or security)")
	}
	r, err := parseRole(*role)
	if err != nil {
		return nil, err
	}
	c := &config{
		Role: r, Listen: or(*listen, defaultListen(r)), DataDir: or(*dataDir, filepath.Join("data", strings.ToLower(string(r)))),
		LogFormat: *logFormat, LogLevel: *logLevel, Introspection: *introspection,
		AllowedOrigins: append(origins, splitNonEmpty(e["ROADREG_ALLOWED_ORIGINS"], ",")...),
		PublicURL:      *publicURL, AllowedHosts: append(hosts, splitNonEmpty(e["ROADREG_ALLOWED_HOSTS"], ",")...),
		FrontendDir: *frontend, TLSCert: *tlsCert, TLSKey: *tlsKey,
		AutoApprove: *autoApprove, AutoApproveRenewals: *autoApproveRenewals, ConfInterval: *confInterval, ConfExpire: *confExpire, TokenPINFile: *pinFile,
		RateLimitPerMin: *rateLimit, NodeName: *nodeName, NodeAddress: *nodeAddress, ClusterKeyFile: *clusterKey,
		PKCS11Modules: append(modules, splitNonEmpty(e["ROADREG_PKCS11_MODULES"], ":")...),
		AutoActivate:  *autoActivate, ConfPoll: *confPoll, Watch: *watch, EnforcePINRules: *pinRules,
		ACMEChallengeListen: *acmeListen, ACMECARoots: *acmeRoots, AutoActivateACMESign: *acmeActivate,
		ACMERenewal: *renewal, RenewalInterval: *renewalInterval, RenewBefore: *renewBefore, RenewalRetryDelay: *renewalRetry,
		ServerAddress: *serverAddress,
		AdminUser:     e["ROADREG_ADMIN_USER"], AdminPassword: e["ROADREG_ADMIN_PASSWORD"],
	}
	c.DB = or(*dbURL, filepath.Join(c.DataDir, "roadreg.db"))
	if c.TrustedProxies, err = parseTrustedProxies(append(proxies, splitNonEmpty(e["ROADREG_TRUSTED_PROXIES"], ",")...)); err != nil {
		return nil, err
	}
	if c.SoftTokenKDF, err = softtoken.ParseKDFParams(*kdf); err != nil {
		return nil, fmt.Errorf("--softtoken-kdf: %w", err)
	}
	if _, err := newHostPolicy(c.Listen, c.PublicURL, c.AllowedHosts, c.AllowedOrigins); err != nil {
		return nil, err
	}
	if c.ServerAddress != "" {
		if c.Role != viewer.Security {
			return nil, fmt.Errorf("--server-address is a security server setting")
		}
		if err := xroad.ValidateHostAddress("--server-address", c.ServerAddress); err != nil {
			return nil, errors.New(xroad.Message(err))
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, fmt.Errorf("--tls-cert and --tls-key go together")
	}
	return c, nil
}

// defaultNodeName is the host's name.
func defaultNodeName() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "central"
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

func splitNonEmpty(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func boolEnv(e env, k string, def bool) bool {
	if v, err := strconv.ParseBool(e[k]); err == nil {
		return v
	}
	return def
}

func durEnv(e env, k string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(e[k]); err == nil {
		return v
	}
	return def
}

func intEnv(e env, k string, def int) int {
	if v, err := strconv.Atoi(e[k]); err == nil {
		return v
	}
	return def
}
