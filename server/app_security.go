package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
)

// softTokenKDF lowers the software token's key-derivation cost below any
// sensible setting; only tests set it.
var softTokenKDF *softtoken.KDFParams

// softTokenKDFParams is the key derivation for new software tokens: the
// tests' override, else --softtoken-kdf, else the default.
func (a *app) softTokenKDFParams() *softtoken.KDFParams {
	switch {
	case softTokenKDF != nil:
		return softTokenKDF
	case a.cfg.SoftTokenKDF != softtoken.KDFParams{}:
		return &a.cfg.SoftTokenKDF
	}
	p := softtoken.DefaultKDFParams()
	return &p
}

// setupSecurity wires the security server's services, jobs and routes.
func (a *app) setupSecurity(ctx context.Context, mux *http.ServeMux) error {
	roots, err := acmeRoots(a.cfg.ACMECARoots)
	if err != nil {
		return err
	}
	svc, err := security.New(ctx, security.Options{
		Client:               a.db.Client,
		Events:               a.events,
		PKCS11Modules:        a.cfg.PKCS11Modules,
		AutoActivate:         a.cfg.AutoActivate,
		ConfPoll:             a.cfg.ConfPoll,
		Watch:                a.cfg.Watch,
		EnforcePINPolicy:     a.cfg.EnforcePINRules,
		SoftTokenKDF:         a.softTokenKDFParams(),
		Now:                  a.cfg.now,
		ACMEChallengeListen:  a.cfg.ACMEChallengeListen,
		ACMERoots:            roots,
		AutoActivateACMESign: a.cfg.AutoActivateACMESign,
		AutoRenew:            a.cfg.ACMERenewal,
		RenewalInterval:      a.cfg.RenewalInterval,
		RenewBefore:          a.cfg.RenewBefore,
		RenewalRetryDelay:    a.cfg.RenewalRetryDelay,
		ServerAddress:        a.cfg.ServerAddress,
	})
	if err != nil {
		return err
	}
	a.security = svc
	if a.cfg.ACMEChallengeListen != "" {
		job, err := acmeChallengeListener(a.cfg.ACMEChallengeListen, svc)
		if err != nil {
			svc.Close()
			return err
		}
		a.jobs = append(a.jobs, job)
	}
	a.jobs = append(a.jobs, func(ctx context.Context) {
		svc.Run(ctx)
		if err := svc.Close(); err != nil {
			slog.WarnContext(ctx, "closing the security server's tokens", "err", err)
		}
	})
	return nil
}
