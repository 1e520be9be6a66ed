package main

// Renewing the authentication certificate by hand (UG-SS §5.5: several
// authentication keys and certificates, "e.g., during authentication key
// change"): a second certificate is registered while the first is active,
// the status checker activates neither by itself unless --auto-activate is
// set (and then only on the approval of a registration, as X-Road's
// automatic-activate-auth-certificate), and the first one is unregistered
// and deleted.

import (
	"slices"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestManualAuthCertificateRenewal(t *testing.T) {
	t.Parallel()
	e, _ := newRegisteredSS(t)
	so := e.officer
	old := e.registeredAuthCert(t, "auth 2026")
	so.ok(t, qActivate, map[string]any{"id": old.ID}, nil)

	renewed := e.registeredAuthCert(t, "auth 2027")
	// The checker run that saw its approval has finished (runs are one at
	// a time), activation included had it been on.
	so.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
	if renewed = e.cert(t, renewed.ID); renewed.Active {
		t.Error("the renewed certificate was activated without --auto-activate")
	}
	if c := e.cert(t, old.ID); c.Status != "REGISTERED" || !c.Active {
		t.Errorf("the old certificate after the renewal's registration: %+v", c)
	}
	if !e.cs.listed(mustDER(t, old.PEM)) || !e.cs.listed(mustDER(t, renewed.PEM)) {
		t.Fatal("the configuration does not list both certificates")
	}

	so.ok(t, qActivate, map[string]any{"id": renewed.ID}, nil)
	so.ok(t, qUnregister, map[string]any{"id": old.ID}, nil)
	waitFor(t, 15*time.Second, "the old certificate to be unregistered", func() bool { return e.cert(t, old.ID).Status == "SAVED" })
	so.ok(t, qDeleteKey, map[string]any{"id": old.Key.ID}, nil)
	if c := e.cert(t, renewed.ID); c.Status != "REGISTERED" || !c.Active || !e.cs.listed(mustDER(t, renewed.PEM)) || e.cs.listed(mustDER(t, old.PEM)) {
		t.Errorf("after the old one went: %+v", c)
	}
}

func TestManualRenewalWithAutoActivate(t *testing.T) {
	t.Parallel()
	e, _ := newRegisteredSS(t, func(c *config) { c.AutoActivate = true })
	old := e.registeredAuthCert(t, "auth 2026")
	waitFor(t, 15*time.Second, "the first certificate's activation", func() bool { return e.cert(t, old.ID).Active })
	renewed := e.registeredAuthCert(t, "auth 2027")
	waitFor(t, 15*time.Second, "the renewed certificate's activation", func() bool { return e.cert(t, renewed.ID).Active })
	if !e.cert(t, old.ID).Active {
		t.Error("activating the renewed certificate disabled the old one")
	}

	// A SAVED certificate the central server lists by itself (registered
	// there by its administrator) becomes REGISTERED but stays inactive.
	other := e.certify(t, e.generateKey(t, e.token(t, "SOFTWARE").ID, "listed by the CS", "EC").ID, "AUTHENTICATION")
	e.cs.listCert(xroad.ServerID{Owner: fcsOwner, ServerCode: fcsServerCode}, mustDER(t, other.PEM))
	waitFor(t, 15*time.Second, "the listed certificate to be REGISTERED", func() bool { return e.cert(t, other.ID).Status == "REGISTERED" })
	// The checker run that saw it has finished (runs are one at a time).
	e.officer.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
	if c := e.cert(t, other.ID); c.Active || !slices.Contains(c.PossibleActions, "ACTIVATE") {
		t.Errorf("a certificate that was never submitted here was activated: %+v", c)
	}
}
