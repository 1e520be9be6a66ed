package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/viewer"
)

// TestSecurityServerInitWarnings shows the warnings path of initialisation:
// an owner the configuration does not know gives WARNINGS_DETECTED and
// changes nothing; repeated with ignoreWarnings it initialises the server.
// A weak PIN is refused when the PIN policy is on.
func TestSecurityServerInitWarnings(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t, func(c *config) { c.EnforcePINRules = true })
	admin := e.sysadmin
	admin.fails(t, "ANCHOR_NOT_FOUND", qInitialize, map[string]any{"in": map[string]any{
		"ownerMemberClass": "GOV", "ownerMemberCode": "1234", "serverCode": "SS1", "softTokenPin": "Secret-PIN-2026"}})
	admin.ok(t, qUploadAnchor, map[string]any{"a": string(e.cs.Anchor)}, nil)

	in := map[string]any{"ownerMemberClass": "GOV", "ownerMemberCode": "9999", "serverCode": "SS1", "softTokenPin": "1234"}
	r := admin.fails(t, "TOKEN_WEAK_PIN", qInitialize, map[string]any{"in": in})
	if r.ext("metadata") != `["pin_min_length","10","pin_min_char_classes_count","3"]` {
		t.Errorf("metadata = %s", r.ext("metadata"))
	}
	in["softTokenPin"] = "Secret-PIN-2026"
	r = admin.fails(t, "WARNINGS_DETECTED", qInitialize, map[string]any{"in": in})
	if r.ext("warnings") != `[{"code":"init_unregistered_member","metadata":["DEV/GOV/9999"]}]` {
		t.Errorf("warnings = %s", r.ext("warnings"))
	}
	var info struct{ ServerInfo struct{ Initialized bool } }
	admin.ok(t, `{ serverInfo { initialized } }`, nil, &info)
	var tokens struct{ Tokens []struct{ ID gid } }
	admin.ok(t, `{ tokens { id } }`, nil, &tokens)
	if info.ServerInfo.Initialized || len(tokens.Tokens) != 0 || strings.Contains(r.raw, "Secret-PIN-2026") {
		t.Fatalf("the warnings changed something: %+v %+v", info, tokens)
	}

	in["ignoreWarnings"] = true
	initializeAs(t, admin, in, "DEV/GOV/9999/SS1")
	if c := clients(t, e.officer); len(c) != 1 || c[0].Name != nil || c[0].Status != "SAVED" {
		t.Errorf("clients = %+v", c)
	}
}

// TestSecurityServerAutoActivate: with --auto-activate the authentication
// certificate is active as soon as the status checker sees it registered.
func TestSecurityServerAutoActivate(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t, func(c *config) { c.AutoActivate = true })
	e.initialize(t)
	soft := e.token(t, "SOFTWARE")
	e.certify(t, e.generateKey(t, soft.ID, "sign", "EC").ID, "SIGNING")
	auth := e.certify(t, e.generateKey(t, soft.ID, "auth", "EC").ID, "AUTHENTICATION")
	var out struct{ RegisterAuthCertificate certNode }
	e.officer.ok(t, qRegister, map[string]any{"id": auth.ID, "a": "ss1.example.org"}, &out)
	e.cs.approve(*out.RegisterAuthCertificate.ManagementRequestID)
	waitFor(t, 15*time.Second, "automatic activation", func() bool {
		c := e.cert(t, auth.ID)
		return c.Status == "REGISTERED" && c.Active && c.OcspStatus == "OCSP_RESPONSE_GOOD"
	})
}

// TestSecurityServerRestart: a new service on the same database has the
// anchor, the configuration and the tokens, with the software token logged
// out.
func TestSecurityServerRestart(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	sys := viewer.SystemContext(context.Background(), viewer.Security)
	svc, err := security.New(sys, security.Options{Client: e.srv.app.db.Client})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	cas, err := svc.ApprovedCertificationAuthorities(sys)
	if err != nil || len(cas) != 1 || cas[0].Name != e.cs.ca.Name() {
		t.Fatalf("approved CAs after restart: %v, %v", cas, err)
	}
	st, err := svc.GlobalConfStatus(sys)
	if err != nil || st.Instance != fcsInstance || st.Version != 1 || st.Error != "" {
		t.Errorf("status after restart: %+v, %v", st, err)
	}
	toks, err := svc.Tokens(sys)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens: %v, %v", toks, err)
	}
	if ts := svc.TokenState(toks[0]); ts.LoggedIn || !ts.Available {
		t.Errorf("software token after restart: %+v", ts)
	}
}
