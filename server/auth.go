package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// authenticator is the one identity check for HTTP requests and websocket
// connection_init messages: a session cookie (the SPA) or
// "Authorization: Bearer <api key>" (GraphQL clients).
type authenticator struct {
	svc *auth.Service
	// cookie names the session cookie (sessionCookieName).
	cookie string
	// secureCookies: browsers reach the server over TLS.
	secureCookies bool
	// hosts are the host names the browser-facing endpoints answer.
	hosts hostPolicy
	// allowedOrigins are browser origins besides the server's own (e.g. a
	// Vite dev server, the --public-url behind a proxy).
	allowedOrigins []string
}

// viewerFromRequest authenticates r. A bad bearer token is an error; a
// missing or expired cookie just means "not logged in".
func (a *authenticator) viewerFromRequest(r *http.Request) (*viewer.Viewer, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return a.fromAuthorization(r.Context(), h)
	}
	if c, err := r.Cookie(a.cookie); err == nil && c.Value != "" {
		v, err := a.svc.Session(r.Context(), c.Value)
		if auth.IsAuthError(err) {
			return nil, nil
		}
		return v, err
	}
	return nil, nil
}

func (a *authenticator) fromAuthorization(ctx context.Context, h string) (*viewer.Viewer, error) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, xroad.Errorf(xroad.CodeUnauthenticated, "the Authorization header must be \"Bearer <api key>\"")
	}
	return a.svc.APIKey(ctx, strings.TrimSpace(token))
}

// middleware puts the caller's viewer (if any) into the request context.
func (a *authenticator) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := a.viewerFromRequest(r)
		if err != nil {
			if auth.IsAuthError(err) {
				writeGraphQLError(w, http.StatusUnauthorized, err)
				return
			}
			slog.ErrorContext(r.Context(), "authenticating request", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		ctx := r.Context()
		if v != nil {
			ctx = viewer.NewContext(ctx, v)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// wsInit authenticates a websocket's connection_init: an Authorization
// entry in the payload (connectionParams) wins, else the cookie the
// upgrade request carried. Failure closes the socket with 4403.
func (a *authenticator) wsInit(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	fail := func(msg string) (context.Context, *transport.InitPayload, error) {
		ctx = transport.WithWebsocketCloseCode(transport.AppendCloseReason(ctx, "Forbidden"), 4403)
		return ctx, nil, errors.New(msg)
	}
	if h := p.Authorization(); h != "" {
		v, err := a.fromAuthorization(ctx, h)
		if err != nil {
			return fail("unknown or revoked API key")
		}
		return viewer.NewContext(ctx, v), nil, nil
	}
	if viewer.FromContext(ctx) != nil {
		return ctx, nil, nil
	}
	return fail("log in first: send a session cookie or connectionParams.Authorization")
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Username string        `json:"username"`
	Roles    []viewer.Role `json:"roles"`
}

// login handles POST /auth/login with a JSON body {username, password}.
func (a *authenticator) login(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSONError(w, http.StatusMethodNotAllowed, xroad.CodeBadUserInput, "use POST")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSONError(w, http.StatusUnsupportedMediaType, xroad.CodeBadUserInput, "send a JSON body {\"username\":…,\"password\":…}")
		return
	}
	var req loginRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil || req.Username == "" || req.Password == "" {
		writeJSONError(w, http.StatusBadRequest, xroad.CodeBadUserInput, "username and password are required")
		return
	}
	token, v, err := a.svc.Login(r.Context(), req.Username, req.Password, clientIP(r))
	switch {
	case xroad.IsCode(err, auth.CodeRateLimited):
		w.Header().Set("Retry-After", strconv.Itoa(auth.RetryAfter(err)))
		writeJSONError(w, http.StatusTooManyRequests, auth.CodeRateLimited, xroad.Message(err))
		return
	case auth.IsAuthError(err):
		writeJSONError(w, http.StatusUnauthorized, xroad.CodeUnauthenticated, "wrong username or password")
		return
	case err != nil:
		slog.ErrorContext(r.Context(), "login", "err", err)
		writeJSONError(w, http.StatusInternalServerError, xroad.CodeInternal, "internal error")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: a.cookie, Value: token, Path: "/", HttpOnly: true,
		Secure: a.secureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode,
		MaxAge: int(a.svc.MaxAge / time.Second),
	})
	writeJSON(w, http.StatusOK, loginResponse{Username: v.Username, Roles: v.Roles})
}

// logout handles POST /auth/logout.
func (a *authenticator) logout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSONError(w, http.StatusMethodNotAllowed, xroad.CodeBadUserInput, "use POST")
		return
	}
	if c, err := r.Cookie(a.cookie); err == nil {
		if err := a.svc.Logout(r.Context(), c.Value); err != nil {
			slog.ErrorContext(r.Context(), "logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: a.cookie, Value: "", Path: "/", HttpOnly: true,
		Secure: a.secureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

// originAllowed reports whether a browser request may act: requests
// without an Origin header come from scripts and CLIs, judged by their
// credentials alone; a browser Origin must be in the allow-list or this
// server's own under a host name it answers to (never just whatever the
// Host header says: see hosts.go).
func (a *authenticator) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || slices.Contains(a.allowedOrigins, origin) {
		return true
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return a.hosts.allows(r.Host) && origin == scheme+"://"+r.Host
}

// sameOrigin refuses state-changing browser requests from foreign origins.
func (a *authenticator) sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.originAllowed(r) {
			writeJSONError(w, http.StatusForbidden, xroad.CodeForbidden, "cross-origin request refused")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func writeGraphQLError(w http.ResponseWriter, status int, err error) {
	code, msg := xroad.CodeInternal, "internal error"
	var xe *xroad.Error
	if errors.As(err, &xe) {
		code, msg = xe.Code, xe.Message
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]string{"code": code}}}})
}

func (a *authenticator) sameOriginFunc(h http.HandlerFunc) http.HandlerFunc {
	return a.sameOrigin(h).ServeHTTP
}
