package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/graph"
	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
)

// ServerOptions configure an in-process server.
type ServerOptions struct {
	Role viewer.ServerRole
	// DSN is a postgres:// URL, a SQLite file or "memory:NAME" (an
	// in-memory SQLite database).
	DSN string
	// Roles are the roles every GraphQL request acts with (default: all
	// roles of the server role).
	Roles []viewer.Role
	// SoftTokenKDF is the software token's key derivation (nil: the
	// production default).
	SoftTokenKDF *softtoken.KDFParams
	// Watch and ConfPoll configure a security server's configuration
	// client as in `roadreg serve`.
	Watch    bool
	ConfPoll time.Duration
	// Jobs runs the background jobs: a central server's configuration
	// generation, a security server's configuration client and checker.
	Jobs bool
}

// Server is a central or security server running in this process, wired
// like `roadreg serve` (database with migrations, services, the GraphQL
// handler with the same limits and error presenter) except for the
// session layer: every GraphQL request acts as a user holding
// ServerOptions.Roles. Its database driver counts SQL statements per
// GraphQL request.
type Server struct {
	Role     viewer.ServerRole
	DB       *db.Database
	Client   *ent.Client
	Events   *events.Broker
	Central  *central.Service
	Security *security.Service
	// HTTP serves POST /graphql (and, on a central server, the global
	// configuration) on loopback.
	HTTP *httptest.Server
	// GraphQL is a client of HTTP.
	GraphQL *Client
	// Statements counts the SQL statements of GraphQL requests.
	Statements *StatementStats

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// StartServer opens (and migrates) the database and starts the server.
func StartServer(ctx context.Context, o ServerOptions) (*Server, error) {
	d, err := db.Open(ctx, o.DSN)
	if err != nil {
		return nil, err
	}
	s := &Server{Role: o.Role, DB: d, Events: events.NewBroker(), Statements: &StatementStats{}}
	s.Client = ent.NewClient(ent.Driver(&countingDriver{Driver: entsql.OpenDB(d.Dialect, d.DB)}))
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	mux := http.NewServeMux()
	switch o.Role {
	case viewer.Central:
		s.Central, err = central.New(central.Options{Client: s.Client, Dialect: d.Dialect, Events: s.Events})
		if err == nil {
			conf := globalconf.NewHandler(s.Central.Publisher(), s.Central.Hub())
			mux.Handle(globalconf.PathDirectory, conf)
			mux.Handle(globalconf.PathDirectory+"/", conf)
			mux.Handle("/V6/", conf)
			if o.Jobs {
				s.goRun(func() { s.Central.Start(runCtx) })
			}
		}
	case viewer.Security:
		opts := security.Options{Client: s.Client, Events: s.Events, Watch: o.Watch, ConfPoll: o.ConfPoll, SoftTokenKDF: o.SoftTokenKDF}
		s.Security, err = security.New(ctx, opts)
		if err == nil && o.Jobs {
			s.goRun(func() { s.Security.Run(runCtx) })
		}
	default:
		err = fmt.Errorf("unknown server role %q", o.Role)
	}
	if err != nil {
		cancel()
		d.Close()
		return nil, err
	}
	roles := o.Roles
	if roles == nil {
		roles = viewer.RolesOf(o.Role)
	}
	v := &viewer.Viewer{Username: "bench", Roles: roles, Server: o.Role}
	mux.Handle("/graphql", s.Statements.middleware(asViewer(v, s.graphqlHandler())))
	s.HTTP = httptest.NewServer(mux)
	s.GraphQL = NewClient(s.HTTP.URL)
	return s, nil
}

func (s *Server) goRun(f func()) {
	s.wg.Add(1)
	go func() { defer s.wg.Done(); f() }()
}

func (s *Server) graphqlHandler() http.Handler {
	srv := handler.New(graph.NewSchema(&graph.Resolver{
		Role: s.Role, Version: "bench", Client: s.Client, Events: s.Events, Central: s.Central, Security: s.Security,
	}))
	srv.AddTransport(transport.POST{})
	// The limits of `roadreg serve`, so in-process servers accept and
	// refuse the same operations.
	graph.Configure(srv, s.Role, graph.DefaultLimits)
	return srv
}

func asViewer(v *viewer.Viewer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), v)))
	})
}

// System returns ctx acting as the server itself.
func (s *Server) System(ctx context.Context) context.Context {
	return viewer.SystemContext(ctx, s.Role)
}

// Close stops the background jobs, the HTTP server and the services, and
// closes the database.
func (s *Server) Close() {
	s.cancel()
	s.wg.Wait()
	s.HTTP.Close()
	if s.Security != nil {
		_ = s.Security.Close()
	}
	_ = s.DB.Close()
}
