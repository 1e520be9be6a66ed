package main

import (
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const (
	qSettings       = `{ centralServerSettings { instanceIdentifier centralServerAddress managementServiceProviderId managementServiceProviderName managementServiceAddress } }`
	qUpdateProvider = `mutation($p: String!) { updateManagementServiceProvider(managementServiceProviderId: $p) { managementServiceProviderId managementServiceProviderName } }`
)

type settingsAnswer struct {
	InstanceIdentifier, CentralServerAddress, ManagementServiceProviderID, ManagementServiceAddress string
	ManagementServiceProviderName                                                                   *string
}

func (e *centralEnv) settings(t *testing.T) settingsAnswer {
	t.Helper()
	var out struct{ CentralServerSettings settingsAnswer }
	e.secoff.ok(t, qSettings, nil, &out)
	return out.CentralServerSettings
}

// waitProvider waits for a configuration version that publishes provider
// and returns the provider of its private parameters.
func (e *centralEnv) waitProvider(t *testing.T, provider string) xroad.ClientID {
	t.Helper()
	snap := e.waitConf(t, func(s *globalconf.Snapshot) bool {
		return s.Private.ManagementService.ManagementRequestServiceProviderID.String() == provider && len(s.Shared.ApprovedCAs) == 1
	})
	return snap.Private.ManagementService.ManagementRequestServiceProviderID
}

// The security officer appoints the management service provider (UG-CS
// §4.2.1). The next configuration publishes it, and from then on the
// management service accepts authCertReg addressed to it and refuses, as
// X-Road's central server does, requests addressed to the former one.
func TestManagementServiceProviderSetting(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	st := e.settings(t)
	if st.InstanceIdentifier != "DEV" || st.ManagementServiceProviderID != "DEV/ORG/CENTRAL/MANAGEMENT" || st.ManagementServiceProviderName != nil ||
		st.ManagementServiceAddress != e.srv.URL+"/managementservice/" || "http://"+st.CentralServerAddress != e.srv.URL {
		t.Fatalf("settings after initialisation: %+v", st)
	}
	former := e.waitProvider(t, "DEV/ORG/CENTRAL/MANAGEMENT")

	for _, bad := range []string{"DEV/GOV/1234", "OTHER/GOV/1234/MGMT", "DEV/GOV/12:34/MGMT", "DEV/GOV/1234/", "", "DEV/GOV/1234/MGMT/X"} {
		r := e.secoff.fails(t, xroad.CodeInvalidServiceProviderID, qUpdateProvider, map[string]any{"p": bad})
		if r.Errors[0].Extensions["field"] != "managementServiceProviderId" {
			t.Errorf("%q: the error does not name the field: %v", bad, r.Errors[0].Extensions)
		}
	}
	if got := e.settings(t).ManagementServiceProviderID; got != "DEV/ORG/CENTRAL/MANAGEMENT" {
		t.Fatalf("a refused change changed the provider to %s", got)
	}

	var upd struct {
		UpdateManagementServiceProvider struct {
			ManagementServiceProviderID   string
			ManagementServiceProviderName *string
		}
	}
	e.secoff.ok(t, qUpdateProvider, map[string]any{"p": " DEV/GOV/1234/MGMT "}, &upd)
	if u := upd.UpdateManagementServiceProvider; u.ManagementServiceProviderID != "DEV/GOV/1234/MGMT" || u.ManagementServiceProviderName == nil || *u.ManagementServiceProviderName != "Test Agency" {
		t.Fatalf("updated settings: %+v", u)
	}
	provider := e.waitProvider(t, "DEV/GOV/1234/MGMT")

	old := e.newRegRequest(t, "SSOLD")
	old.provider = &former
	if _, err := e.send(t, old); !xroad.IsCode(err, xroad.CodeManagementRequestInvalidServiceAddress) {
		t.Fatalf("a request to the former provider: %v, want %s", err, xroad.CodeManagementRequestInvalidServiceAddress)
	}
	if n := len(e.requests(t, "")); n != 0 {
		t.Fatalf("a refused request was stored (%d)", n)
	}
	r := e.newRegRequest(t, "SSNEW")
	r.provider = &provider
	if _, err := e.send(t, r); err != nil {
		t.Fatalf("a request to the appointed provider: %v", err)
	}
	if reqs := e.requests(t, "WAITING"); len(reqs) != 1 || reqs[0].ServerID != "DEV/GOV/1234/SSNEW" {
		t.Fatalf("requests: %+v", reqs)
	}

	var audit struct {
		AuditEvents struct {
			Edges []struct {
				Node struct{ Event, Actor, Data string }
			}
		}
	}
	e.secoff.ok(t, `{ auditEvents(first: 100) { edges { node { event actor data } } } }`, nil, &audit)
	var changed, refused bool
	for _, ed := range audit.AuditEvents.Edges {
		n := ed.Node
		changed = changed || n.Event == "Edit provider of management services" && n.Actor == "secoff" && strings.Contains(n.Data, "DEV/GOV/1234/MGMT")
		refused = refused || n.Event == "Edit provider of management services failed" && n.Actor == "secoff"
	}
	if !changed || !refused {
		t.Errorf("audit log: change recorded %v, refusal recorded %v", changed, refused)
	}
}

// initializeCentralServer takes the provider as optional input: a bad one
// is refused before anything is stored, a good one is published and
// enforced from the first configuration on.
func TestInitializeCentralServerWithProvider(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	admin := srv.user(t, "sysadmin", viewer.SystemAdministrator)
	r := admin.fails(t, xroad.CodeInvalidServiceProviderID, qInit, map[string]any{"i": map[string]any{
		"instanceIdentifier": "DEV", "centralServerAddress": "cs.example.org", "softTokenPin": "Secret-PIN-1",
		"managementServiceProviderId": "DEV/GOV/1234"}})
	if r.Errors[0].Extensions["field"] != "managementServiceProviderId" {
		t.Errorf("the error does not name the field: %v", r.Errors[0].Extensions)
	}
	var info struct{ ServerInfo struct{ Initialized bool } }
	admin.ok(t, `{ serverInfo { initialized } }`, nil, &info)
	if info.ServerInfo.Initialized {
		t.Fatal("a refused initialisation initialised the server")
	}

	e := newCentralWithInput(t, map[string]any{"managementServiceProviderId": "DEV/COM/5678/MANAGEMENT"})
	if got := e.settings(t).ManagementServiceProviderID; got != "DEV/COM/5678/MANAGEMENT" {
		t.Fatalf("provider after initialisation: %s", got)
	}
	provider := e.waitProvider(t, "DEV/COM/5678/MANAGEMENT")
	def := e.newRegRequest(t, "SSDEF")
	if _, err := e.send(t, def); !xroad.IsCode(err, xroad.CodeManagementRequestInvalidServiceAddress) {
		t.Fatalf("a request to the default provider: %v, want %s", err, xroad.CodeManagementRequestInvalidServiceAddress)
	}
	ok := e.newRegRequest(t, "SSOK")
	ok.provider = &provider
	if _, err := e.send(t, ok); err != nil {
		t.Fatalf("a request to the provider given at initialisation: %v", err)
	}
}
