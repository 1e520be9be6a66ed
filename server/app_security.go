package main

import (
	"context"
	"net/http"

	"github.com/roadreg/roadreg/internal/security"
)

// setupSecurity wires the security server's services, jobs and routes.
func (a *app) setupSecurity(ctx context.Context, mux *http.ServeMux) error {
	a.security = security.NewService(a.db.Client, a.events)
	return nil
}
