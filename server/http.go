package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/roadreg/roadreg/graph"
)

// Limits of the GraphQL endpoint.
const (
	maxComplexity    = 1000
	maxDepth         = 15
	maxRequestBody   = 1 << 20
	websocketMaxRead = 1 << 20
)

// routes builds the HTTP surface (DESIGN.md §5a) on mux, which already
// holds the role's own routes.
func (a *app) routes(mux *http.ServeMux) http.Handler {
	mux.Handle("/graphql", a.authn.sameOrigin(a.authn.middleware(a.graphqlHandler())))
	mux.HandleFunc("/auth/login", a.authn.sameOriginFunc(a.authn.login))
	mux.HandleFunc("/auth/logout", a.authn.sameOriginFunc(a.authn.logout))
	mux.HandleFunc("/healthz", a.healthz)
	mux.Handle("/metrics", a.metricsHandler())
	mux.Handle("/", spaHandler(a.cfg.FrontendDir))
	return securityHeaders(mux)
}

func (a *app) graphqlHandler() http.Handler {
	srv := handler.New(graph.NewSchema(&graph.Resolver{
		Role: a.cfg.Role, Version: version, Client: a.db.Client, Events: a.events,
		Central: a.central, Security: a.security,
	}))
	readLimit := int64(websocketMaxRead)
	srv.AddTransport(websocketTransport{
		impl: gorillaWebsocket{checkOrigin: a.authn.originAllowed, pingInterval: 20 * time.Second, pongWait: 60 * time.Second},
		Websocket: transport.Websocket{
			InitFunc:         a.wsConns.initFunc(a.authn.wsInit),
			InitTimeout:      15 * time.Second,
			PayloadReadLimit: &readLimit,
		},
		conns:  a.wsConns,
		groups: a.subscriptions,
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if a.cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(maxComplexity))
	srv.Use(graph.DepthLimit{Max: maxDepth})
	srv.SetErrorPresenter(graph.ErrorPresenter)
	srv.SetRecoverFunc(graph.Recover)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		srv.ServeHTTP(w, r)
	})
}

func (a *app) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status, code := "ok", http.StatusOK
	if err := a.db.DB.PingContext(ctx); err != nil {
		status, code = "database unreachable", http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]string{"status": status, "role": string(a.cfg.Role), "version": version})
}

func (a *app) metricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "roadreg_db_open_connections", Help: "Open database connections.",
	}, func() float64 { return float64(a.db.DB.Stats().OpenConnections) }))
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "roadreg_events_dropped_total", Help: "Events a slow subscriber did not receive.",
	}, func() float64 { return float64(a.events.Dropped() + a.subscriptions.Dropped()) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "roadreg_subscriptions", Help: "Open GraphQL subscriptions.",
	}, func() float64 { return float64(a.wsConns.subscriptions.Load()) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "roadreg_subscription_executions", Help: "Running subscription executions (identical subscriptions share one).",
	}, func() float64 { return float64(a.subscriptions.Executions()) }))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// spaHandler serves the built SPA with an index.html fallback for client
// routes, or a page saying how to build it.
func spaHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		index := filepath.Join(dir, "index.html")
		if _, err := os.Stat(index); err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, notBuiltPage)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		if p != "/" {
			if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "/assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFile(w, r, index)
	})
}

const notBuiltPage = `<!doctype html><html><head><meta charset="utf-8"><title>Roadreg</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>Roadreg</h1><p>The admin web app is not built — run <code>make run</code> (or <code>npm ci &amp;&amp; npm run build</code>).</p>
<p>The GraphQL API is at <a href="/graphql">/graphql</a>.</p></body></html>`

// securityHeaders adds the headers every response should carry.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
