package main

import (
	"context"
	"net/http"

	"github.com/roadreg/roadreg/internal/central"
)

// setupCentral wires the central server's services, jobs and routes.
func (a *app) setupCentral(ctx context.Context, mux *http.ServeMux) error {
	a.central = central.NewService(a.db.Client, a.events)
	return nil
}
