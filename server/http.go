package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/roadreg/roadreg/graph"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Limits of the GraphQL endpoint besides graph.Limits (README.md,
// "Security").
const (
	maxRequestBody   = 1 << 20
	websocketMaxRead = 1 << 20
)

// codeRequestTooLarge answers a body over maxRequestBody (HTTP 413).
const codeRequestTooLarge = "REQUEST_TOO_LARGE"

// routes builds the HTTP surface (README.md, "HTTP surface") on mux, which already
// holds the role's own routes.
func (a *app) routes(mux *http.ServeMux) http.Handler {
	mux.Handle("/graphql", a.authn.sameOrigin(a.graphqlHandler()))
	mux.HandleFunc("/auth/login", a.authn.sameOriginFunc(a.authn.login))
	mux.HandleFunc("/auth/logout", a.authn.sameOriginFunc(a.authn.logout))
	mux.HandleFunc("/healthz", a.healthz)
	mux.Handle("/metrics", a.metricsHandler())
	mux.Handle("/", spaHandler(a.cfg.FrontendDir))
	return forwardedFor(a.cfg.TrustedProxies, securityHeaders(a.browserSurface(mux)))
}

func (a *app) graphqlHandler() http.Handler {
	srv := handler.New(graph.NewSchema(&graph.Resolver{
		Role: a.cfg.Role, Version: version, Client: a.db.Client, Events: a.events,
		Central: a.central, Security: a.security, Auth: a.auth,
	}))
	readLimit := int64(websocketMaxRead)
	srv.AddTransport(websocketTransport{
		impl: gorillaWebsocket{checkOrigin: a.authn.originAllowed, pingInterval: 20 * time.Second, pongWait: 60 * time.Second},
		Websocket: transport.Websocket{
			InitFunc:         a.wsConns.initFunc(a.authn.wsInit),
			InitTimeout:      15 * time.Second,
			PayloadReadLimit: &readLimit,
		},
		conns:   a.wsConns,
		groups:  a.subscriptions,
		present: graph.ErrorPresenter(a.cfg.Role),
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	limits := graph.DefaultLimits
	limits.Introspection = a.cfg.Introspection
	graph.Configure(srv, a.cfg.Role, limits)
	// Requests gqlgen cannot read are refused before the caller is looked
	// up: that costs a database query, and who sends them does not matter.
	return graphqlRequests(a.authn.middleware(srv), limits)
}

// graphqlRequests refuses, with a GraphQL error body and a stable code,
// the requests gqlgen's transports would answer without a code or with the
// request body in the error, and documents over the size limit before
// gqlgen reads them: a POST that is not JSON, a body over maxRequestBody
// (413), a batch (a JSON array), a body that is not a JSON object of a
// GraphQL request, a document over l.DocumentBytes, GET variables or
// extensions that are not JSON objects. Request bodies are never logged.
func graphqlRequests(next http.Handler, l graph.Limits) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		switch r.Method {
		case http.MethodGet:
			for _, p := range []string{"variables", "extensions"} {
				if v := r.URL.Query().Get(p); v != "" && !isJSONObject([]byte(v)) {
					refuseRequest(w, r, http.StatusBadRequest, xroad.CodeBadUserInput, p+" must be a JSON object")
					return
				}
			}
		case http.MethodPost:
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				refuseRequest(w, r, http.StatusUnsupportedMediaType, xroad.CodeBadUserInput,
					"send the operation as JSON ({\"query\": …, \"variables\": {…}}) with Content-Type: application/json")
				return
			}
			body, err := readBody(w, r)
			var tooLarge *http.MaxBytesError
			switch {
			case errors.As(err, &tooLarge):
				refuseRequest(w, r, http.StatusRequestEntityTooLarge, codeRequestTooLarge,
					fmt.Sprintf("the request body is larger than %d bytes", maxRequestBody))
				return
			case err != nil:
				refuseRequest(w, r, http.StatusBadRequest, xroad.CodeBadUserInput, "the request body could not be read")
				return
			case bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("[")):
				refuseRequest(w, r, http.StatusBadRequest, xroad.CodeBadUserInput, "batching is not supported: send one operation per request")
				return
			}
			if status, code, msg := graphqlRequestProblem(body, l); msg != "" {
				refuseRequest(w, r, status, code, msg)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// graphqlRequestProblem says what keeps body from being a GraphQL request
// gqlgen can read, or "": the body must be a JSON object whose query and
// operationName are strings and whose variables and extensions are
// objects (each may be null or absent), and the document may be at most
// l.DocumentBytes long. It looks at the members without decoding them (the
// document only when its JSON is longer than the limit) and never quotes
// the body.
func graphqlRequestProblem(body []byte, l graph.Limits) (status int, code, msg string) {
	bad := func(format string, args ...any) (int, string, string) {
		return http.StatusBadRequest, xroad.CodeBadUserInput, fmt.Sprintf(format, args...)
	}
	var p struct{ Query, OperationName, Variables, Extensions json.RawMessage }
	err := json.Unmarshal(body, &p)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		if syntax.Offset >= int64(len(body)) {
			return bad("the request body is not valid JSON (it ends too early)")
		}
		return bad("the request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		return bad("the request body is not a GraphQL request: it is a JSON %s, not an object {\"query\": …}", typ.Value)
	case err != nil:
		return bad("the request body is not valid JSON")
	}
	for _, m := range []struct {
		name string
		raw  json.RawMessage
		kind byte
	}{{"query", p.Query, '"'}, {"operationName", p.OperationName, '"'}, {"variables", p.Variables, '{'}, {"extensions", p.Extensions, '{'}} {
		if len(m.raw) > 0 && m.raw[0] != m.kind && string(m.raw) != "null" {
			return bad("the request body is not a GraphQL request: %s must be a JSON %s", m.name, map[byte]string{'"': "string", '{': "object"}[m.kind])
		}
	}
	if len(p.Query) > l.DocumentBytes {
		// An escape sequence (at most 6 bytes) stands for at least one
		// byte of the document: decode it only when that cannot tell.
		long := len(p.Query)-2-5*bytes.Count(p.Query, []byte{'\\'}) > l.DocumentBytes
		if !long {
			var q string
			long = json.Unmarshal(p.Query, &q) == nil && len(q) > l.DocumentBytes
		}
		if long {
			return http.StatusOK, graph.CodeQueryTooComplex, fmt.Sprintf("the document is longer than %d bytes; send a smaller one", l.DocumentBytes)
		}
	}
	return 0, "", ""
}

// readBody reads a request body of up to maxRequestBody bytes, into a
// buffer of the announced size when there is one.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= maxRequestBody {
		buf.Grow(int(n) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxRequestBody))
	return buf.Bytes(), err
}

func isJSONObject(b []byte) bool {
	var m map[string]any
	return json.Unmarshal(b, &m) == nil && m != nil
}

// refuseRequest answers a request refused before GraphQL looked at it and
// logs it once at INFO.
func refuseRequest(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	slog.InfoContext(r.Context(), "GraphQL request refused", "code", code, "reason", msg, "client", clientIP(r))
	writeGraphQLError(w, status, xroad.Errorf(code, "%s", msg))
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
	if a.central != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "roadreg_watch_clients", Help: "Security servers connected to this replica's watch channel.",
		}, func() float64 { return float64(a.central.Hub().Clients()) }))
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "roadreg_generating", Help: "1 while this replica generates global configuration.",
		}, func() float64 {
			if a.central.Generating() {
				return 1
			}
			return 0
		}))
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "roadreg_global_configuration_version", Help: "The global configuration version this replica serves.",
		}, func() float64 { return float64(a.central.ServedVersion()) }))
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "roadreg_replica_events_dropped_total", Help: "Events this replica could not queue for the other replicas.",
		}, func() float64 { return float64(a.node.Dropped()) }))
	}
	if a.security != nil {
		reg.MustRegister(certificateExpiryCollector{a.security})
	}
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
