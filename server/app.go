package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/roadreg/roadreg/graph/fanout"
	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

// app is one running server (central or security) with its database,
// services, background jobs and HTTP handler. `roadreg dev` runs several.
type app struct {
	cfg    *config
	db     *db.Database
	events *events.Broker
	// subscriptions groups identical GraphQL subscriptions.
	subscriptions *fanout.Groups
	auth          *auth.Service
	authn         *authenticator
	wsConns       *wsConns // the open websockets, by credential
	central       *central.Service
	node          *cluster.Node // the central server's replica
	security      *security.Service
	handler       http.Handler
	jobs          []func(context.Context)
}

// newApp opens the database (applying migrations), checks it belongs to a
// server of this role (recording the role in a new database), creates the first administrator if asked to, and
// wires the services.
func newApp(ctx context.Context, cfg *config) (*app, error) {
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, db: d, events: events.NewBroker(), subscriptions: fanout.New()}
	if _, err := d.ServerRole(ctx, cfg.Role); err != nil {
		d.Close()
		return nil, fmt.Errorf("%s", xroad.Message(err))
	}
	a.auth = auth.NewService(d.Client, cfg.Role)
	a.auth.Events = a.events
	a.wsConns = newWSConns(ctx, a.auth, a.events)
	if a.authn, err = newAuthenticator(a.auth, cfg); err != nil {
		d.Close()
		return nil, err
	}
	if err := a.firstAdmin(ctx); err != nil {
		d.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	switch cfg.Role {
	case viewer.Central:
		err = a.setupCentral(ctx, mux)
	case viewer.Security:
		err = a.setupSecurity(ctx, mux)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	a.handler = a.routes(mux)
	return a, nil
}

// newAuthenticator sets up the session cookie and the host names and
// origins browsers may use.
func newAuthenticator(svc *auth.Service, cfg *config) (*authenticator, error) {
	hosts, err := newHostPolicy(cfg.Listen, cfg.PublicURL, cfg.AllowedHosts, cfg.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	secure := cfg.TLSCert != "" || strings.HasPrefix(cfg.PublicURL, "https://")
	a := &authenticator{
		svc: svc, cookie: or(cfg.SessionCookie, sessionCookieName(cfg.Role, secure)), secureCookies: secure,
		hosts: hosts, allowedOrigins: slices.Clone(cfg.AllowedOrigins),
	}
	if o := publicOrigin(cfg.PublicURL); o != "" {
		a.allowedOrigins = append(a.allowedOrigins, o)
	}
	return a, nil
}

// firstAdmin creates ROADREG_ADMIN_USER with every role of this server when
// the database has no users yet.
func (a *app) firstAdmin(ctx context.Context) error {
	if a.cfg.AdminUser == "" || a.cfg.AdminPassword == "" {
		return nil
	}
	has, err := a.auth.HasUsers(ctx)
	if err != nil || has {
		return err
	}
	var roles []string
	for _, r := range viewer.RolesOf(a.cfg.Role) {
		roles = append(roles, string(r))
	}
	if _, err := a.auth.AddUser(viewer.SystemContext(ctx, a.cfg.Role), a.cfg.AdminUser, a.cfg.AdminPassword, roles, false); err != nil {
		return fmt.Errorf("creating the first administrator: %w", err)
	}
	slog.Info("created the first administrator", "username", a.cfg.AdminUser, "roles", roles)
	return nil
}

// serve listens on cfg.Listen (or l when given) and runs the background
// jobs until ctx is done, then shuts down gracefully.
func (a *app) serve(ctx context.Context, l net.Listener) error {
	if l == nil {
		var err error
		l, err = net.Listen("tcp", a.cfg.Listen)
		if err != nil {
			return err
		}
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	jobCtx, stopJobs := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, job := range a.jobs {
		wg.Add(1)
		go func() { defer wg.Done(); job(jobCtx) }()
	}
	errc := make(chan error, 1)
	go func() {
		if a.cfg.TLSCert != "" {
			errc <- srv.ServeTLS(l, a.cfg.TLSCert, a.cfg.TLSKey)
		} else {
			errc <- srv.Serve(l)
		}
	}()
	slog.Info("listening", "role", a.cfg.Role, "address", l.Addr().String(), "db", a.db.DSN)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = srv.Shutdown(shutCtx)
		cancel()
	}
	stopJobs()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func (a *app) close() error { return a.db.Close() }
