package main

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
)

// TestSecurityServerAuthorization runs every security-server operation as
// each role of a security server and anonymously, on a server without an
// anchor (so no operation can change anything). Roles holding one of the
// operation's permissions (X-Road's permissions.yml) must get past the
// permission checks — they fail later for other reasons — and all others
// get FORBIDDEN; anonymous callers UNAUTHENTICATED.
func TestSecurityServerAuthorization(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Security)
	type perms = []viewer.Permission
	ops := []struct {
		name  string
		query string
		vars  map[string]any
		perms perms
	}{
		// The first anchor upload is initialisation (init_config).
		{"uploadAnchor", `mutation { uploadAnchor(anchor: "<x/>") { hash } }`, nil, perms{viewer.SSInitConfig}},
		{"initializeSecurityServer", `mutation { initializeSecurityServer(input: {ownerMemberClass: "GOV", ownerMemberCode: "1", serverCode: "SS", softTokenPin: "1234"}) { initialized } }`, nil, perms{viewer.SSInitConfig}},
		{"addTimestampingService", `mutation { addTimestampingService(name: "TSA", url: "http://tsa") { id } }`, nil, perms{viewer.SSAddTSP}},
		{"loginToken", `mutation { loginToken(tokenId: 1, pin: "1234") { id } }`, nil, perms{viewer.SSActivateToken}},
		{"logoutToken", `mutation { logoutToken(tokenId: 1) { id } }`, nil, perms{viewer.SSActivateToken}},
		{"generateKey", `mutation { generateKey(tokenId: 1) { id } }`, nil, perms{viewer.SSGenerateKey}},
		{"generateCsr signing", `mutation { generateCsr(input: {keyId: 1, usage: SIGNING, caName: "CA", memberId: "DEV/GOV/1"}) { id } }`, nil, perms{viewer.SSGenerateSignCSR}},
		{"generateCsr authentication", `mutation { generateCsr(input: {keyId: 1, usage: AUTHENTICATION, caName: "CA"}) { id } }`, nil, perms{viewer.SSGenerateAuthCSR}},
		{"importCertificate", `mutation { importCertificate(certificate: "x") { id } }`, nil, perms{viewer.SSImportAuthCert, viewer.SSImportSignCert}},
		{"registerAuthCertificate", `mutation { registerAuthCertificate(certificateId: 1, address: "ss1.example.org") { id } }`, nil, perms{viewer.SSSendAuthCertRegReq}},
		{"activateCertificate", `mutation { activateCertificate(certificateId: 1) { id } }`, nil, perms{viewer.SSActivateAuthCert, viewer.SSActivateSignCert}},
		{"deactivateCertificate", `mutation { deactivateCertificate(certificateId: 1) { id } }`, nil, perms{viewer.SSActivateAuthCert, viewer.SSActivateSignCert}},
		{"refreshGlobalConfiguration", `mutation { refreshGlobalConfiguration { version } }`, nil, perms{viewer.SSRefreshGlobalConf}},
		{"anchor", `{ anchor { hash } }`, nil, perms{viewer.SSViewAnchor, viewer.SSInitConfig}},
		{"tokens", `{ tokens { id } }`, nil, perms{viewer.SSViewKeys}},
		{"approvedCertificationAuthorities", `{ approvedCertificationAuthorities { name } }`, nil, perms{viewer.SSViewApprovedCAs}},
		{"csrSubjectFields signing", `{ csrSubjectFields(caName: "CA", usage: SIGNING) { id } }`, nil, perms{viewer.SSGenerateSignCSR}},
		{"csrSubjectFields authentication", `{ csrSubjectFields(caName: "CA", usage: AUTHENTICATION) { id } }`, nil, perms{viewer.SSGenerateAuthCSR}},
		{"approvedTimestampingServices", `{ approvedTimestampingServices { name } }`, nil, perms{viewer.SSViewTSPs}},
		{"timestampingServices", `{ timestampingServices { name } }`, nil, perms{viewer.SSViewTSPs}},
		{"checkTimestampingService", `{ checkTimestampingService(url: "http://tsa") { reachable } }`, nil, perms{viewer.SSViewTSPs}},
		{"securityServerClients", `{ securityServerClients { memberId } }`, nil, perms{viewer.SSViewClients}},
		{"memberName", `{ memberName(memberClass: "GOV", memberCode: "1") }`, nil, perms{viewer.SSInitConfig, viewer.SSViewClients}},
		{"deleteTimestampingService", `mutation { deleteTimestampingService(id: 1) }`, nil, perms{viewer.SSDeleteTSP}},
		{"changeTokenPin", `mutation { changeTokenPin(tokenId: 1, oldPin: "1234", newPin: "5678") { id } }`, nil, perms{viewer.SSUpdateTokenPIN}},
		{"diagnostics", `{ diagnostics { globalConfiguration { statusClass } } }`, nil, perms{viewer.SSDiagnostics}},
		{"securityServerAddress", `{ securityServerAddress }`, nil, perms{viewer.SSSendAuthCertRegReq, viewer.SSDiagnostics}},
	}
	clients := map[viewer.Role]*gqlClient{}
	for _, role := range viewer.RolesOf(viewer.Security) {
		clients[role] = srv.apiKeyClient(t, role)
	}
	anonymous := srv.anonymous()
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			var allowed []viewer.Role
			for _, p := range op.perms {
				allowed = append(allowed, viewer.RolesWith(viewer.Security, p)...)
			}
			for _, role := range viewer.RolesOf(viewer.Security) {
				r := clients[role].do(t, op.query, op.vars)
				got := r.code()
				if slices.Contains(allowed, role) {
					if got == "FORBIDDEN" || got == "UNAUTHENTICATED" {
						t.Errorf("%s: got %s, want to pass the permission check: %s", role, got, r.raw)
					}
				} else if got != "FORBIDDEN" {
					t.Errorf("%s: got %q, want FORBIDDEN: %s", role, got, r.raw)
				}
				if got == "" && !isQuery(op.query) {
					t.Errorf("%s: a mutation succeeded on an empty server: %s", role, r.raw)
				}
			}
			if r := anonymous.do(t, op.query, op.vars); r.code() != "UNAUTHENTICATED" {
				t.Errorf("anonymous: got %q, want UNAUTHENTICATED: %s", r.code(), r.raw)
			}
		})
	}
	// No refused call left a trace beyond the audit log.
	var out struct{ Tokens []json.RawMessage }
	srv.apiKeyClient(t, viewer.SecurityOfficer).ok(t, `{ tokens { id } }`, nil, &out)
	if len(out.Tokens) != 0 {
		t.Errorf("tokens = %s", out.Tokens)
	}
}

func isQuery(q string) bool { return len(q) > 0 && q[0] == '{' }
