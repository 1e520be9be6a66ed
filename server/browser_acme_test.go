package main

// The admin app ordering a certificate with ACME from a real ACME server:
// this test starts pebble (external account binding required, real HTTP-01
// validation), a configuration approving its CA and a security server that
// serves the built admin app, then drives Debian's chromium with
// frontend/e2e/acme.mjs and checks through the API what the browser did.

import (
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/testenv/acmetest"
	"github.com/roadreg/roadreg/internal/viewer"
)

// TestBrowserACMEOrder: on the ACME page the security officer stores the
// CA's external account binding for the owner (the MAC key shows only as
// stored), then orders an authentication certificate for a new key in the
// order dialog; the certificate pebble issued is on the key, ordered with
// ACME and ready to be registered (its renewal starts once it is). A name
// the CA refuses shows the ACME server's reason in the dialog and stores
// nothing.
//
// It needs the built admin app: make test's end-to-end step runs it with
// ROADREG_E2E_FRONTEND=frontend/dist after building it.
func TestBrowserACMEOrder(t *testing.T) {
	dist := os.Getenv("ROADREG_E2E_FRONTEND")
	if dist == "" {
		t.Skip("needs the built admin app: run with ROADREG_E2E_FRONTEND=<repository>/frontend/dist (make test does, after building it)")
	}
	root := testenv.RepoRoot(t)
	if !filepath.IsAbs(dist) {
		dist = filepath.Join(root, dist)
	}
	node := testenv.NeedTool(t, "node")
	e := newACMEEnv(t, acmeOptions{more: func(c *config) { c.FrontendDir = dist }})
	e.srv.user(t, "acme-officer", viewer.SecurityOfficer)

	cmd := exec.Command(node, filepath.Join(root, "frontend", "e2e", "acme.mjs"))
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"ROADREG_E2E_SS_URL="+e.srv.URL,
		"ROADREG_E2E_USER=acme-officer", "ROADREG_E2E_PASSWORD="+testPassword,
		"ROADREG_E2E_ACME_CA="+acmeCAName, "ROADREG_E2E_ACME_MEMBER="+fcsOwner.String(),
		"ROADREG_E2E_ACME_EAB_KID="+e.pebble.EABKeyID, "ROADREG_E2E_ACME_EAB_MAC="+e.pebble.EABMACKey,
		"ROADREG_E2E_ACME_NAME="+acmeSSName, "ROADREG_E2E_ACME_REFUSED_NAME="+acmetest.BlockedName,
		"ROADREG_E2E_SCREENSHOTS="+filepath.Join(t.TempDir(), "screenshots"),
	)
	out, err := cmd.CombinedOutput()
	t.Logf("frontend/e2e/acme.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("frontend/e2e/acme.mjs: %v", err)
	}
	if strings.Contains(string(out), e.pebble.EABMACKey) {
		t.Error("the browser script's output shows the MAC key")
	}

	// What the browser did, as the API sees it.
	var accounts struct {
		AcmeAccounts []struct {
			CaName, MemberID, EabKeyID string
			EabMacKeySet, Registered   bool
		}
	}
	e.officer.ok(t, qAccounts, nil, &accounts)
	if len(accounts.AcmeAccounts) != 1 {
		t.Fatalf("accounts: %+v", accounts.AcmeAccounts)
	}
	if a := accounts.AcmeAccounts[0]; a.CaName != acmeCAName || a.MemberID != fcsOwner.String() || a.EabKeyID != e.pebble.EABKeyID || !a.EabMacKeySet || !a.Registered {
		t.Errorf("the account the browser set: %+v", a)
	}
	var tree struct {
		Tokens []struct {
			Keys []struct{ Certificates []acmeCert }
		}
	}
	e.officer.ok(t, `{ tokens { keys { certificates { ...C acmeCaName } } } }`+certFragment, nil, &tree)
	var ordered []acmeCert
	for _, tok := range tree.Tokens {
		for _, k := range tok.Keys {
			ordered = append(ordered, k.Certificates...)
		}
	}
	if len(ordered) != 1 {
		t.Fatalf("certificates after the browser's orders: %+v", ordered)
	}
	c := ordered[0]
	leaf, err := x509.ParseCertificate(mustDER(t, c.PEM))
	if err != nil {
		t.Fatal(err)
	}
	if c.AcmeCaName == nil || *c.AcmeCaName != acmeCAName || c.Usage != "AUTHENTICATION" || c.Status != "SAVED" {
		t.Errorf("the ordered certificate: %+v", c)
	}
	if err := leaf.CheckSignatureFrom(e.pebble.Intermediate); err != nil || len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != acmeSSName {
		t.Errorf("the ordered certificate is not pebble's for %s: names %v, %v", acmeSSName, leaf.DNSNames, err)
	}
	if n, _ := e.renewalOf(t, c.ID); n.Renewal.Status != "NOT_APPLICABLE" {
		t.Errorf("an ordered certificate that is not registered yet: renewal %+v", n.Renewal)
	}
}
