package main

// Deleting CSRs, certificates and keys on the security server (UG-SS §5.6.2,
// §5.7): X-Road's permissions by usage, the warning for an authentication
// key with a registered certificate, and PKCS#11 keys on SoftHSM2.

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestDeleteCsrAndCertificate(t *testing.T) {
	t.Parallel()
	e, sign := newRegisteredSS(t)
	so := e.officer
	ro := e.srv.user(t, "regoff", viewer.RegistrationOfficer)
	soft := e.token(t, "SOFTWARE")

	// CSR notices: a registration officer deletes signing CSRs
	// (delete_sign_cert), not authentication CSRs (delete_auth_cert).
	signKey := e.generateKey(t, soft.ID, "sign 2", "EC")
	signCSR := e.generateCSR(t, signKey.ID, "SIGNING")
	authCSR := e.generateCSR(t, e.generateKey(t, soft.ID, "auth", "EC").ID, "AUTHENTICATION")
	before := e.tree(t)
	ro.fails(t, xroad.CodeForbidden, qDeleteCSR, map[string]any{"id": authCSR.ID})
	if e.tree(t) != before {
		t.Fatal("a refused deletion changed the server")
	}
	var out struct{ DeleteCsr string }
	ro.ok(t, qDeleteCSR, map[string]any{"id": signCSR.ID}, &out)
	so.ok(t, qDeleteCSR, map[string]any{"id": authCSR.ID}, nil)
	if out.DeleteCsr != gidString(signCSR.ID) || strings.Contains(e.tree(t), `"csrs":[{`) {
		t.Fatalf("deleteCsr = %q; tree %s", out.DeleteCsr, e.tree(t))
	}
	so.fails(t, xroad.CodeCsrNotFound, qDeleteCSR, map[string]any{"id": signCSR.ID})

	// Certificates: the signing certificate may always go; the key and its
	// usage stay.
	so.fails(t, xroad.CodeCertificateNotFound, qDeleteCert, map[string]any{"id": 999999})
	ro.ok(t, qDeleteCert, map[string]any{"id": sign.ID}, nil)
	var tree struct {
		Tokens []struct {
			Keys []struct {
				ID           gid
				Usage        *string
				Certificates []struct{ ID gid }
			}
		}
	}
	so.ok(t, `{ tokens { keys { id usage certificates { id } } } }`, nil, &tree)
	for _, k := range tree.Tokens[0].Keys {
		if k.ID == sign.Key.ID && (len(k.Certificates) != 0 || k.Usage == nil || *k.Usage != "SIGNING") {
			t.Errorf("key after its certificate was deleted: %+v", k)
		}
	}
	if !hasAuditEvent(t, so, "Delete CSR") || !hasAuditEvent(t, so, "Delete certificate from configuration") {
		t.Error("audit events missing")
	}
}

// TestDeleteKey: an authentication key with a registered certificate asks
// first (WARNINGS_DETECTED, X-Road's auth_key_with_registered_cert_warning);
// confirmed, its certificate is unregistered at the central server and the
// key goes with its certificates and CSRs.
func TestDeleteKey(t *testing.T) {
	e, _ := newRegisteredSS(t)
	so := e.officer
	ro := e.srv.user(t, "regoff", viewer.RegistrationOfficer)
	auth := e.registeredAuthCert(t, "auth")
	keyID := auth.Key.ID
	var keys struct {
		Tokens []struct {
			Keys []struct {
				ID    gid
				KeyID string
			}
		}
	}
	so.ok(t, `{ tokens { keys { id keyId } } }`, nil, &keys)
	var tokenKeyID string
	for _, k := range keys.Tokens[0].Keys {
		if k.ID == keyID {
			tokenKeyID = k.KeyID
		}
	}
	before := e.tree(t)

	// An authentication key needs delete_auth_key.
	ro.fails(t, xroad.CodeForbidden, qDeleteKey, map[string]any{"id": keyID, "w": true})
	r := so.fails(t, xroad.CodeWarningsDetected, qDeleteKey, map[string]any{"id": keyID})
	var warnings []xroad.Warning
	if err := json.Unmarshal([]byte(r.ext("warnings")), &warnings); err != nil || len(warnings) != 1 ||
		warnings[0].Code != "auth_key_with_registered_cert_warning" || !slices.Equal(warnings[0].Metadata, []string{tokenKeyID}) {
		t.Fatalf("warnings = %s (%v)", r.ext("warnings"), err)
	}
	if e.tree(t) != before || !e.cs.listed(mustDER(t, auth.PEM)) {
		t.Fatal("the warning changed something")
	}

	// The token logged out: the key cannot be deleted.
	soft := e.token(t, "SOFTWARE")
	so.ok(t, qLogout, map[string]any{"id": soft.ID}, nil)
	so.fails(t, xroad.CodeActionNotPossible, qDeleteKey, map[string]any{"id": keyID, "w": true})
	so.ok(t, qLogin, map[string]any{"id": soft.ID, "pin": "1234"}, nil)

	var out struct{ DeleteKey string }
	so.ok(t, qDeleteKey, map[string]any{"id": keyID, "w": true}, &out)
	if out.DeleteKey != gidString(keyID) {
		t.Errorf("deleteKey = %q", out.DeleteKey)
	}
	if e.cs.listed(mustDER(t, auth.PEM)) {
		t.Error("the central server still lists the certificate of the deleted key")
	}
	if strings.Contains(e.tree(t), tokenKeyID) || strings.Contains(e.tree(t), auth.Sha256) {
		t.Errorf("the key or its certificate is still there: %s", e.tree(t))
	}
	so.fails(t, xroad.CodeKeyNotFound, qDeleteKey, map[string]any{"id": keyID})
	for _, ev := range []string{"Unregister authentication certificate", "Delete key from token and configuration"} {
		if !hasAuditEvent(t, so, ev) {
			t.Errorf("no audit event %q", ev)
		}
	}

	// A key of undefined usage needs delete_key, which a registration
	// officer has.
	spare := e.generateKey(t, soft.ID, "spare", "EC")
	ro.ok(t, qDeleteKey, map[string]any{"id": spare.ID}, nil)
}

// TestDeleteHardwareKey deletes a signing key with its certificate from a
// SoftHSM2 token: pkcs11-tool no longer finds it, and listing the tokens,
// which records keys found on hardware tokens, does not bring it back.
func TestDeleteHardwareKey(t *testing.T) {
	hsm := testenv.NewSoftHSM(t, "roadreg-delete")
	e := newSSEnv(t, func(c *config) { c.PKCS11Modules = []string{hsm.Module} })
	so := e.officer
	hw := e.token(t, "HARDWARE")
	so.ok(t, qLogin, map[string]any{"id": hw.ID, "pin": hsm.PIN}, nil)
	e.initialize(t)
	key := e.generateKey(t, hw.ID, "hsm-doomed", "EC")
	e.certify(t, key.ID, "SIGNING")
	if !strings.Contains(hsm.ListObjects(t), "hsm-doomed") {
		t.Fatal("the key is not on the token")
	}
	so.ok(t, qDeleteKey, map[string]any{"id": key.ID}, nil)
	if objects := hsm.ListObjects(t); strings.Contains(objects, "hsm-doomed") {
		t.Errorf("pkcs11-tool still lists the key:\n%s", objects)
	}
	if tok := e.token(t, "HARDWARE"); len(tok.Keys) != 0 {
		t.Errorf("the hardware token has keys again: %+v", tok.Keys)
	}
}
