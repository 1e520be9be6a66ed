package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/pki/testca"
	"github.com/roadreg/roadreg/internal/viewer"
)

// Demo instance defaults.
const (
	devInstanceID  = "DEV"
	devOwnerClass  = "GOV"
	devOwnerCode   = "1234"
	devOwnerName   = "Demo Agency"
	devCredentials = "dev-credentials.json"
)

// devUser is a demo user of one server.
type devUser struct {
	Server   string   `json:"server"`
	Username string   `json:"username"`
	Password string   `json:"password"`
	Roles    []string `json:"roles"`
}

// devSecrets are generated on the first start and kept in the data folder
// so a restart prints the same credentials.
type devSecrets struct {
	CentralPIN string    `json:"centralTokenPin"`
	Users      []devUser `json:"users"`
}

// cmdDev runs a whole demo instance in one process on loopback: the test CA
// (OCSP responder, TSA), an initialised central server and N security
// servers waiting to be initialised.
func cmdDev(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("roadreg dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", or(e["ROADREG_DATA_DIR"], "data"), "folder for the demo's databases, keys and files")
	reset := fs.Bool("reset", false, "delete the data folder first and start fresh")
	servers := fs.Int("security-servers", 1, "how many security servers to run")
	host := fs.String("host", "127.0.0.1", "loopback address to listen on")
	csPort := fs.Int("port", 8080, "central server port; security servers use the next ports, the test CA port 8899")
	caPort := fs.Int("ca-port", 8899, "test CA port")
	dbCentral := fs.String("db-central", e["ROADREG_DB_CENTRAL"], "central server database (postgres://… URL; default SQLite in the data folder)")
	var dbSecurity stringList
	fs.Var(&dbSecurity, "db-security", "security server database URL (repeatable, one per security server; default SQLite)")
	logLevel := fs.String("log-level", or(e["ROADREG_LOG_LEVEL"], "warn"), "log level")
	frontend := fs.String("frontend-dir", or(e["ROADREG_FRONTEND_DIR"], filepath.Join("frontend", "dist")), "built SPA")
	var modules stringList
	fs.Var(&modules, "pkcs11-module", "PKCS#11 module for the security servers (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *servers < 1 || *servers > 20 {
		fmt.Fprintln(stderr, "roadreg dev: --security-servers must be between 1 and 20")
		return 2
	}
	setupLogging("text", *logLevel, stderr)
	if *reset {
		if err := os.RemoveAll(*dataDir); err != nil {
			fmt.Fprintln(stderr, "roadreg dev:", err)
			return 1
		}
	}
	inst, err := startDev(ctx, devOptions{
		dataDir: *dataDir, servers: *servers, host: *host, csPort: *csPort, caPort: *caPort,
		dbCentral: *dbCentral, dbSecurity: dbSecurity, frontend: *frontend, pkcs11: modules,
	})
	if err != nil {
		fmt.Fprintln(stderr, "roadreg dev:", err)
		return 1
	}
	inst.printTable(stdout)
	if err := inst.wait(); err != nil {
		fmt.Fprintln(stderr, "roadreg dev:", err)
		return 1
	}
	return 0
}

type devOptions struct {
	dataDir, host, dbCentral, frontend string
	servers, csPort, caPort            int
	dbSecurity, pkcs11                 []string
}

// devRun is a running demo instance.
type devRun struct {
	opts     devOptions
	ca       *testca.CA
	central  *app
	security []*app
	urls     []string
	secrets  *devSecrets
	anchor   string
	errc     chan error
	wg       sync.WaitGroup
}

func startDev(ctx context.Context, o devOptions) (*devRun, error) {
	if err := os.MkdirAll(o.dataDir, 0o700); err != nil {
		return nil, err
	}
	d := &devRun{opts: o, errc: make(chan error, o.servers+2)}
	secrets, err := loadDevSecrets(filepath.Join(o.dataDir, devCredentials), o.servers)
	if err != nil {
		return nil, err
	}
	d.secrets = secrets

	// The test CA with its OCSP responder and TSA.
	caURL := fmt.Sprintf("http://%s", net.JoinHostPort(o.host, fmt.Sprint(o.caPort)))
	ca, _, err := testca.LoadOrInit(filepath.Join(o.dataDir, "ca"), testca.InitOptions{Instance: devInstanceID, BaseURL: caURL})
	if err != nil {
		return nil, fmt.Errorf("test CA: %w", err)
	}
	if ca.BaseURL() != caURL {
		return nil, fmt.Errorf("the test CA in %s was made for %s; use --ca-port to match or --reset", ca.Dir(), ca.BaseURL())
	}
	d.ca = ca
	caListener, err := net.Listen("tcp", net.JoinHostPort(o.host, fmt.Sprint(o.caPort)))
	if err != nil {
		return nil, fmt.Errorf("test CA: %w", err)
	}
	caSrv := &http.Server{Handler: ca.Handler(), ReadHeaderTimeout: 10 * time.Second}
	d.goServe(func() error {
		go func() { <-ctx.Done(); _ = caSrv.Shutdown(context.WithoutCancel(ctx)) }()
		if err := caSrv.Serve(caListener); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})

	// The central server.
	pinFile := filepath.Join(o.dataDir, "central", "token-pin")
	csAddr := net.JoinHostPort(o.host, fmt.Sprint(o.csPort))
	csCfg := devConfig(viewer.Central, filepath.Join(o.dataDir, "central"), csAddr, o.dbCentral, o.frontend)
	csCfg.TokenPINFile = pinFile
	if err := os.MkdirAll(filepath.Dir(pinFile), 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(pinFile, []byte(secrets.CentralPIN), 0o600); err != nil {
		return nil, err
	}
	cs, err := newApp(ctx, csCfg)
	if err != nil {
		return nil, fmt.Errorf("central server: %w", err)
	}
	d.central = cs
	if err := d.setUpCentral(ctx, csAddr); err != nil {
		return nil, fmt.Errorf("setting up the central server: %w", err)
	}
	anchor, err := cs.central.ConfigurationAnchor(viewer.SystemContext(ctx, viewer.Central))
	if err != nil {
		return nil, err
	}
	d.anchor = filepath.Join(o.dataDir, "configuration-anchor.xml")
	if err := os.WriteFile(d.anchor, anchor, 0o644); err != nil {
		return nil, err
	}
	d.serveApp(ctx, cs, csAddr)
	// Security servers need a published configuration to initialise from.
	for deadline := time.Now().Add(60 * time.Second); cs.central.Publisher().Current() == nil; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the central server published no global configuration within a minute; see its log")
		}
	}

	// The security servers.
	for i := 1; i <= o.servers; i++ {
		addr := net.JoinHostPort(o.host, fmt.Sprint(o.csPort+i))
		db := ""
		if len(o.dbSecurity) >= i {
			db = o.dbSecurity[i-1]
		}
		cfg := devConfig(viewer.Security, filepath.Join(o.dataDir, fmt.Sprintf("security-%d", i)), addr, db, o.frontend)
		cfg.PKCS11Modules = o.pkcs11
		if i > 1 {
			cfg.SessionCookie = fmt.Sprintf("roadreg_ss%d_session", i)
		}
		ss, err := newApp(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("security server %d: %w", i, err)
		}
		for _, u := range secrets.Users {
			if u.Server == "security" {
				if _, err := ss.auth.AddUser(viewer.SystemContext(ctx, viewer.Security), u.Username, u.Password, u.Roles, true); err != nil {
					return nil, err
				}
			}
		}
		d.security = append(d.security, ss)
		d.serveApp(ctx, ss, addr)
	}
	return d, nil
}

func devConfig(role viewer.ServerRole, dir, addr, db, frontend string) *config {
	c := &config{
		Role: role, Listen: addr, DataDir: dir, DB: or(db, filepath.Join(dir, "roadreg.db")),
		// Introspection for logged-in users (GraphQL tools); anonymous
		// callers never get it.
		LogFormat: "text", Introspection: true, FrontendDir: frontend,
		ConfInterval: 60 * time.Second, ConfExpire: 600 * time.Second, RateLimitPerMin: 60,
		ConfPoll: 60 * time.Second, Watch: true, ACMERenewal: true,
		// The demo runs on loopback: its names on every port, so the Vite
		// dev server (`npm run dev`) can proxy to it.
		AllowedHosts: []string{"127.0.0.1", "localhost", "[::1]"},
	}
	return c
}

// setUpCentral initialises the central server the first time: instance DEV,
// member classes GOV and COM, the demo owner member, the test CA (with its
// OCSP responder) and TSA approved, and the demo users.
func (d *devRun) setUpCentral(ctx context.Context, addr string) error {
	cs := d.central
	sys := viewer.SystemContext(ctx, viewer.Central)
	for _, u := range d.secrets.Users {
		if u.Server == "central" {
			if _, err := cs.auth.AddUser(sys, u.Username, u.Password, u.Roles, true); err != nil {
				return err
			}
		}
	}
	info, err := cs.central.Info(sys)
	if err != nil {
		return err
	}
	if info.Initialized {
		return nil
	}
	if err := cs.central.Initialize(sys, central.InitInput{InstanceIdentifier: devInstanceID, CentralServerAddress: addr, SoftTokenPIN: d.secrets.CentralPIN}); err != nil {
		return err
	}
	for _, c := range [][2]string{{"GOV", "Government"}, {"COM", "Commercial"}} {
		if _, err := cs.central.AddMemberClass(sys, c[0], c[1]); err != nil {
			return err
		}
	}
	if _, err := cs.central.AddMember(sys, devOwnerClass, devOwnerCode, devOwnerName); err != nil {
		return err
	}
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d.ca.Certificate().Raw}))
	if _, err := cs.central.AddApprovedCertificationService(sys, central.CAInput{
		CACertificate: caPEM, OCSPResponders: []central.OCSPResponderInput{{URL: d.ca.OCSPURL()}},
	}); err != nil {
		return err
	}
	tsaPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d.ca.TSACertificate().Raw}))
	if _, err := cs.central.AddApprovedTimestampingAuthority(sys, central.TSAInput{URL: d.ca.TSAURL(), Certificate: tsaPEM}); err != nil {
		return err
	}
	return nil
}

func (d *devRun) serveApp(ctx context.Context, a *app, addr string) {
	d.urls = append(d.urls, "http://"+addr)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		d.errc <- fmt.Errorf("%s server on %s: %w", strings.ToLower(string(a.cfg.Role)), addr, err)
		return
	}
	d.goServe(func() error {
		defer a.close()
		return a.serve(ctx, l)
	})
}

func (d *devRun) goServe(fn func() error) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := fn(); err != nil {
			d.errc <- err
		}
	}()
}

// wait blocks until every server stopped; it returns the first error.
func (d *devRun) wait() error {
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case err := <-d.errc:
		slog.Error("demo instance failed", "err", err)
		<-done
		return err
	case <-done:
		select {
		case err := <-d.errc:
			return err
		default:
			return nil
		}
	}
}

func (d *devRun) printTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nRoadreg demo instance %s is running.\n\n", devInstanceID)
	fmt.Fprintln(tw, "WHAT\tURL")
	fmt.Fprintf(tw, "central server\t%s\n", d.urls[0])
	for i, u := range d.urls[1:] {
		fmt.Fprintf(tw, "security server %d\t%s\n", i+1, u)
	}
	fmt.Fprintf(tw, "test CA (sign, OCSP, TSA)\t%s/testca/\n", d.ca.BaseURL())
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVER\tUSER\tPASSWORD\tROLES")
	for _, u := range d.secrets.Users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Server, u.Username, u.Password, strings.Join(u.Roles, ", "))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nConfiguration anchor: %s (owner member %s/%s/%s %q is registered)\n", d.anchor, devInstanceID, devOwnerClass, devOwnerCode, devOwnerName)
	fmt.Fprintf(w, "Credentials are kept in %s.\n", filepath.Join(d.opts.dataDir, devCredentials))
	fmt.Fprintf(w, "\nNext step: open %s, log in as ss-admin and upload the anchor — see \"Register your first security server\" in README.md.\n", d.urls[1])
	fmt.Fprintln(w, "Stop with Ctrl-C; the data stays in the data folder (--reset starts fresh).")
}

// loadDevSecrets reads the demo credentials, creating them (random
// passwords) on the first start.
func loadDevSecrets(path string, _ int) (*devSecrets, error) {
	if b, err := os.ReadFile(path); err == nil {
		var s devSecrets
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &s, nil
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	s := &devSecrets{CentralPIN: randomSecret(), Users: []devUser{
		{Server: "central", Username: "cs-admin", Password: randomSecret(), Roles: []string{"SECURITY_OFFICER", "REGISTRATION_OFFICER", "SYSTEM_ADMINISTRATOR"}},
		{Server: "central", Username: "registration-officer", Password: randomSecret(), Roles: []string{"REGISTRATION_OFFICER"}},
		{Server: "security", Username: "ss-admin", Password: randomSecret(), Roles: []string{"SECURITY_OFFICER", "REGISTRATION_OFFICER", "SYSTEM_ADMINISTRATOR"}},
		{Server: "security", Username: "security-officer", Password: randomSecret(), Roles: []string{"SECURITY_OFFICER"}},
	}}
	b, _ := json.MarshalIndent(s, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, err
	}
	return s, nil
}

func randomSecret() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
