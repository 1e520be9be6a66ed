package viewer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

// TestCan: a role grants a permission only on its own kind of server; the
// server itself may do anything; nobody else anything.
func TestCan(t *testing.T) {
	user := func(s ServerRole, roles ...Role) *Viewer { return &Viewer{Username: "u", Server: s, Roles: roles} }
	for _, tc := range []struct {
		name string
		v    *Viewer
		p    Permission
		want bool
	}{
		{"security officer registers an auth certificate", user(Security, SecurityOfficer), SSSendAuthCertRegReq, true},
		{"registration officer may not register it", user(Security, RegistrationOfficer), SSSendAuthCertRegReq, false},
		{"registration officer imports signing certificates", user(Security, RegistrationOfficer), SSImportSignCert, true},
		{"registration officer may not import auth certificates", user(Security, RegistrationOfficer), SSImportAuthCert, false},
		{"system administrator initialises the security server", user(Security, SystemAdministrator), SSInitConfig, true},
		{"observer reads keys", user(Security, SecurityServerObserver), SSViewKeys, true},
		{"observer may not generate keys", user(Security, SecurityServerObserver), SSGenerateKey, false},
		{"any of several roles", user(Security, SecurityServerObserver, SecurityOfficer), SSGenerateAuthCSR, true},
		{"CS registration officer approves requests", user(Central, RegistrationOfficer), CSApproveAuthCertReg, true},
		{"CS security officer may not approve", user(Central, SecurityOfficer), CSApproveAuthCertReg, false},
		{"CS security officer adds member classes", user(Central, SecurityOfficer), CSAddMemberClass, true},
		{"CS system administrator adds approved CAs", user(Central, SystemAdministrator), CSAddApprovedCA, true},
		{"a role does not carry over to the other server", user(Central, SecurityOfficer), SSSendAuthCertRegReq, false},
		{"nor the other way", user(Security, RegistrationOfficer), CSAddMember, false},
		{"no roles", user(Security), SSViewKeys, false},
		{"the server itself", &Viewer{Username: "system", System: true, Server: Central}, CSApproveAuthCertReg, true},
		{"nobody", nil, SSViewKeys, false},
	} {
		if got := tc.v.Can(tc.p); got != tc.want {
			t.Errorf("%s: Can(%s) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

// The shape of the permission tables: every permission belongs to exactly
// one server, has at least one role, and only roles that exist there; the
// observer only reads.
func TestPermissionTables(t *testing.T) {
	for _, s := range []ServerRole{Central, Security} {
		ps := Permissions(s)
		if len(ps) == 0 {
			t.Fatalf("%s has no permissions", s)
		}
		for _, p := range ps {
			if got, ok := ServerOf(p); !ok || got != s {
				t.Errorf("ServerOf(%s) = %s, %v; want %s", p, got, ok, s)
			}
			roles := RolesWith(s, p)
			if len(roles) == 0 {
				t.Errorf("%s %s: no role holds it", s, p)
			}
			for _, r := range roles {
				if !slices.Contains(RolesOf(s), r) {
					t.Errorf("%s %s: granted to %s, which a %s server does not have", s, p, r, s)
				}
				// diagnostics only reads, as the view_ permissions do.
				if r == SecurityServerObserver && !strings.HasPrefix(string(p), "view_") && p != SSDiagnostics {
					t.Errorf("the observer holds %s, which is not read-only", p)
				}
			}
		}
	}
	if _, ok := ServerOf("NO_SUCH_PERMISSION"); ok {
		t.Error("ServerOf knows an unknown permission")
	}
}

func TestRequire(t *testing.T) {
	ctx := context.Background()
	officer := NewContext(ctx, &Viewer{Username: "o", Server: Security, Roles: []Role{RegistrationOfficer}})
	for _, tc := range []struct {
		name string
		ctx  context.Context
		ps   []Permission
		code string // "" = allowed
		msg  string
	}{
		{"no viewer", ctx, []Permission{SSViewKeys}, xroad.CodeUnauthenticated, "log in"},
		{"held", officer, []Permission{SSGenerateSignCSR}, "", ""},
		{"one of several held", officer, []Permission{SSGenerateAuthCSR, SSGenerateSignCSR}, "", ""},
		{"none held", officer, []Permission{SSGenerateAuthCSR, SSImportAuthCert}, xroad.CodeForbidden, "generate_auth_cert_req or import_auth_cert"},
		{"the server itself", SystemContext(ctx, Security), []Permission{SSInitConfig}, "", ""},
	} {
		err := Require(tc.ctx, tc.ps...)
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if xroad.CodeOf(err) != tc.code || !strings.Contains(xroad.Message(err), tc.msg) {
			t.Errorf("%s: %v, want %s mentioning %q", tc.name, err, tc.code, tc.msg)
		}
	}
}

// Elevated keeps the caller's identity for the audit log and lets the
// domain code act as the server; it leaves the caller's own viewer alone.
func TestElevated(t *testing.T) {
	v := &Viewer{Username: "alice", Server: Central, Roles: []Role{RegistrationOfficer}, SessionID: 7, UserID: 3}
	ctx := NewContext(context.Background(), v)
	e := FromContext(Elevated(ctx))
	if e == v || !e.System || e.Username != "alice" || e.SessionID != 7 || e.UserID != 3 || !e.Can(CSAddApprovedCA) {
		t.Errorf("elevated viewer %+v", e)
	}
	if v.System || v.Can(CSAddApprovedCA) {
		t.Error("Elevated changed the caller's viewer")
	}
	if FromContext(Elevated(context.Background())) != nil {
		t.Error("Elevated made a viewer out of nobody")
	}
	sys := SystemContext(context.Background(), Security)
	if Elevated(sys) != sys {
		t.Error("Elevated wrapped the system viewer again")
	}
}

func TestViewerPermissionsAndRoles(t *testing.T) {
	v := &Viewer{Server: Central, Roles: []Role{RegistrationOfficer}}
	ps := v.Permissions()
	if !slices.IsSorted(ps) || !slices.Contains(ps, string(CSAddMember)) || slices.Contains(ps, string(CSAddMemberClass)) {
		t.Errorf("registration officer's permissions: %v", ps)
	}
	if (*Viewer)(nil).Permissions() != nil || (*Viewer)(nil).Has(SecurityOfficer) || !v.Has(RegistrationOfficer) || v.Has(SecurityOfficer) {
		t.Error("Has/Permissions of nil or of a role not held")
	}
	for in, want := range map[string]Role{"SECURITY_OFFICER": SecurityOfficer, "XROAD_REGISTRATION_OFFICER": RegistrationOfficer,
		"XROAD_SECURITYSERVER_OBSERVER": SecurityServerObserver, "XROAD_": "", "security_officer": "", "ADMIN": ""} {
		got, ok := ParseRole(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, ok)
		}
	}
	if got := RolesOf(Central); slices.Contains(got, ServiceAdministrator) || slices.Contains(got, SecurityServerObserver) || len(got) != 3 {
		t.Errorf("central server roles: %v", got)
	}
	var r Role
	if err := r.UnmarshalGQL("XROAD_SYSTEM_ADMINISTRATOR"); err != nil || r != SystemAdministrator {
		t.Errorf("Role.UnmarshalGQL: %q, %v", r, err)
	}
	var s ServerRole
	if err := s.UnmarshalGQL("SECURITY"); err != nil || s != Security {
		t.Errorf("ServerRole.UnmarshalGQL: %q, %v", s, err)
	}
	if r.UnmarshalGQL("ROOT") == nil || s.UnmarshalGQL("MIDDLE") == nil || s.UnmarshalGQL(1) == nil {
		t.Error("unknown enum values accepted")
	}
}
