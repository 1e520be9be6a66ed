package main

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
)

func TestMePermissions(t *testing.T) {
	srv := startServer(t, viewer.Central)
	c := srv.user(t, "ro", viewer.RegistrationOfficer)
	var me struct {
		Me struct{ Permissions []string }
	}
	c.ok(t, `{ me { permissions } }`, nil, &me)
	p := me.Me.Permissions
	if !slices.Contains(p, "ADD_NEW_MEMBER") || !slices.Contains(p, "APPROVE_AUTH_CERT_REGISTRATION_REQUEST") ||
		slices.Contains(p, "ADD_MEMBER_CLASS") || slices.Contains(p, "ADD_APPROVED_CA") {
		t.Fatalf("registration officer's permissions: %v", p)
	}
}

func TestConfigurationAnchorInfo(t *testing.T) {
	e := newCentral(t)
	var got struct {
		ConfigurationAnchor     string
		ConfigurationAnchorInfo struct{ Hash, InstanceIdentifier string }
	}
	e.secoff.ok(t, `{ configurationAnchor configurationAnchorInfo { hash instanceIdentifier generatedAt } }`, nil, &got)
	if got.ConfigurationAnchorInfo.Hash != globalconf.AnchorHash([]byte(got.ConfigurationAnchor)) || got.ConfigurationAnchorInfo.InstanceIdentifier != "DEV" {
		t.Fatalf("anchor info: %+v", got.ConfigurationAnchorInfo)
	}
	// System administrators may see the hash to publish, but not download the anchor.
	e.sysadmin.ok(t, `{ configurationAnchorInfo { hash } }`, nil, nil)
	e.sysadmin.fails(t, "FORBIDDEN", `{ configurationAnchor }`, nil)
}

func TestTokenChangedSubscription(t *testing.T) {
	e := newSSEnv(t)
	e.initialize(t)
	soft := e.token(t, "SOFTWARE")
	s, _, err := e.officer.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.waitAck(t); err != nil {
		t.Fatal(err)
	}
	s.start(t, `subscription { tokenChanged { id loggedIn status } }`, nil)
	time.Sleep(100 * time.Millisecond)
	e.officer.ok(t, qLogout, map[string]any{"id": soft.ID}, nil)
	data, errs := s.next(t, 5*time.Second)
	if len(errs) > 0 || !bytes.Contains(data, []byte(`"loggedIn":false`)) {
		t.Fatalf("logout event: %s %v", data, errs)
	}
	e.officer.do(t, qLogin, map[string]any{"id": soft.ID, "pin": "wrong"})
	data, errs = s.next(t, 5*time.Second)
	if len(errs) > 0 || !bytes.Contains(data, []byte(`"status":"USER_PIN_INCORRECT"`)) {
		t.Fatalf("wrong-PIN event: %s %v", data, errs)
	}
}
