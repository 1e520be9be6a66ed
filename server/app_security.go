package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
)

// softTokenKDF lowers the software token's key-derivation cost; only tests
// set it (production uses softtoken.DefaultKDFParams).
var softTokenKDF *softtoken.KDFParams

// setupSecurity wires the security server's services, jobs and routes.
func (a *app) setupSecurity(ctx context.Context, mux *http.ServeMux) error {
	svc, err := security.New(ctx, security.Options{
		Client:           a.db.Client,
		Events:           a.events,
		PKCS11Modules:    a.cfg.PKCS11Modules,
		AutoActivate:     a.cfg.AutoActivate,
		ConfPoll:         a.cfg.ConfPoll,
		Watch:            a.cfg.Watch,
		EnforcePINPolicy: a.cfg.EnforcePINRules,
		SoftTokenKDF:     softTokenKDF,
	})
	if err != nil {
		return err
	}
	a.security = svc
	a.jobs = append(a.jobs, func(ctx context.Context) {
		svc.Run(ctx)
		if err := svc.Close(); err != nil {
			slog.WarnContext(ctx, "closing the security server's tokens", "err", err)
		}
	})
	return nil
}
