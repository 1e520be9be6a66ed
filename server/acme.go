package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	legolog "github.com/go-acme/lego/v5/log"

	"github.com/roadreg/roadreg/internal/security"
)

// acmeChallengePath is where ACME servers fetch HTTP-01 challenges
// (RFC 8555 §8.3).
const acmeChallengePath = "/.well-known/acme-challenge/"

// acmeChallengeListener binds the HTTP-01 challenge listener (X-Road's
// acme-challenge-port) and returns the job that serves it until its
// context ends. It answers only GET and HEAD of a pending challenge's token
// with the key authorisation; everything else is 404.
func acmeChallengeListener(addr string, svc *security.Service) (func(context.Context), error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--acme-challenge-listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           acmeChallengeHandler(svc),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       5 * time.Second,
		WriteTimeout:      5 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    8 << 10,
	}
	slog.Info("ACME challenge listener", "address", l.Addr().String())
	return func(ctx context.Context) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
				slog.Error("ACME challenge listener stopped", "err", err)
			}
		}()
		<-ctx.Done()
		shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = srv.Shutdown(shutCtx)
		cancel()
		<-done
	}, nil
}

// acmeChallengeHandler serves GET /.well-known/acme-challenge/<token>.
func acmeChallengeHandler(svc *security.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.URL.Path, acmeChallengePath)
		if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		keyAuth, ok := svc.ACMEChallenge(token)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(keyAuth))
	})
}

// acmeRoots is the system's roots with those of file (nil without file:
// Go's default verification).
func acmeRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--acme-ca-roots: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("--acme-ca-roots %s holds no PEM certificate", file)
	}
	return pool, nil
}

func init() {
	// The ACME client library's log lines go through the process's logger
	// (redacted like every other line), whichever it is when they are
	// written.
	legolog.SetDefault(slog.New(followDefault{attrs: []slog.Attr{slog.String("component", "acme")}}))
}

// followDefault hands records to slog's default handler of the moment.
type followDefault struct{ attrs []slog.Attr }

func (h followDefault) Enabled(ctx context.Context, l slog.Level) bool {
	return slog.Default().Handler().Enabled(ctx, l)
}

func (h followDefault) Handle(ctx context.Context, r slog.Record) error {
	return slog.Default().Handler().WithAttrs(h.attrs).Handle(ctx, r)
}

func (h followDefault) WithAttrs(attrs []slog.Attr) slog.Handler {
	return followDefault{attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...)}
}

func (h followDefault) WithGroup(string) slog.Handler { return h }
