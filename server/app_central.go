package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// setupCentral wires the central server's services, jobs and routes:
// global configuration (GET /internalconf, the part files and the watch
// channel), the management service and the anchor download.
func (a *app) setupCentral(ctx context.Context, mux *http.ServeMux) error {
	var tlsCert *x509.Certificate
	if a.cfg.TLSCert != "" {
		pair, err := tls.LoadX509KeyPair(a.cfg.TLSCert, a.cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("reading --tls-cert/--tls-key: %w", err)
		}
		if tlsCert, err = x509.ParseCertificate(pair.Certificate[0]); err != nil {
			return err
		}
	}
	node, err := cluster.Join(ctx, cluster.Config{
		Client: a.db.Client, DB: a.db.DB, Dialect: a.db.Dialect, DSN: a.cfg.DB, Events: a.events,
		Name: or(a.cfg.NodeName, defaultNodeName()), Address: a.cfg.NodeAddress, Version: version,
		CanSign: func() bool { return a.central != nil && a.central.TokenLoggedIn() },
	})
	if err != nil {
		return fmt.Errorf("joining the central server's replicas: %s", xroad.Message(err))
	}
	var clusterKey []byte
	if a.cfg.ClusterKeyFile != "" {
		if clusterKey, err = central.ClusterKeyFromFile(a.cfg.ClusterKeyFile); err != nil {
			return fmt.Errorf("--cluster-key-file: %w", err)
		}
	}
	svc, err := central.New(central.Options{
		Client: a.db.Client, Dialect: a.db.Dialect, Events: a.events,
		Cluster: node, ClusterKey: clusterKey,
		AutoApprove:         a.cfg.AutoApprove,
		AutoApproveRenewals: a.cfg.AutoApproveRenewals,
		ConfInterval:        a.cfg.ConfInterval, ConfExpire: a.cfg.ConfExpire,
		TLSCertificate: tlsCert, AllowedOrigins: a.cfg.AllowedOrigins,
		SoftTokenKDF: a.softTokenKDFParams(),
		Now:          a.cfg.now,
	})
	if err != nil {
		return err
	}
	a.central = svc
	if a.cfg.TokenPINFile != "" {
		if err := svc.LoginFromFile(ctx, a.cfg.TokenPINFile); err != nil && !xroad.IsCode(err, xroad.CodeCentralServerNotInitialized) {
			slog.Warn("logging in to the software token with --token-pin-file failed", "err", xroad.Message(err))
		}
	}
	svc.LoginShared(ctx)
	svc.LoadPublished(ctx)
	a.node = node
	a.jobs = append(a.jobs, svc.Start, node.Run)

	conf := globalconf.NewHandler(svc.Publisher(), svc.Hub())
	mux.Handle(globalconf.PathDirectory, conf)
	mux.Handle(globalconf.PathDirectory+"/", conf)
	mux.Handle("/V6/", conf)
	mgmt := managementService(svc, a.cfg.RateLimitPerMin)
	mux.Handle("/managementservice", mgmt)
	mux.Handle("/managementservice/", mgmt)
	mux.Handle("/configuration-anchor.xml", a.authn.middleware(http.HandlerFunc(a.anchorDownload)))
	return nil
}

// anchorDownload serves the configuration anchor as a file to users who
// may download it (and to API keys with that role).
func (a *app) anchorDownload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSONError(w, http.StatusMethodNotAllowed, xroad.CodeBadUserInput, "use GET")
		return
	}
	anchor, err := a.central.ConfigurationAnchor(r.Context())
	switch xroad.CodeOf(err) {
	case "":
		if err != nil {
			slog.ErrorContext(r.Context(), "anchor download", "err", err)
			writeJSONError(w, http.StatusInternalServerError, xroad.CodeInternal, "internal error")
			return
		}
	case xroad.CodeUnauthenticated:
		writeJSONError(w, http.StatusUnauthorized, xroad.CodeUnauthenticated, xroad.Message(err))
		return
	case xroad.CodeForbidden:
		writeJSONError(w, http.StatusForbidden, xroad.CodeForbidden, xroad.Message(err))
		return
	default:
		writeJSONError(w, http.StatusConflict, xroad.CodeOf(err), xroad.Message(err))
		return
	}
	instance, _ := a.central.Instance(viewer.SystemContext(r.Context(), viewer.Central))
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="configuration_anchor_%s_internal.xml"`, instance))
	_, _ = w.Write(anchor)
}
