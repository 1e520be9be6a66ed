package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
)

// TestSecurityServerPKCS11 runs a security server with a SoftHSM2 module:
// the token appears as a HARDWARE token, takes its PIN, makes a signing key
// (which pkcs11-tool then finds on the token), signs the CSR for it and
// the authCertReg request with it (the fake central server verifies the
// owner's signature).
func TestSecurityServerPKCS11(t *testing.T) {
	hsm := testenv.NewSoftHSM(t, "roadreg-hsm")
	e := newSSEnv(t, func(c *config) { c.PKCS11Modules = []string{hsm.Module} })
	so := e.officer

	hw := e.token(t, "HARDWARE")
	if hw.Name != hsm.Label || !hw.Available || hw.LoggedIn || !slices.Equal(hw.PossibleActions, []string{"LOGIN"}) {
		t.Fatalf("hardware token = %+v", hw)
	}
	so.fails(t, "PIN_INCORRECT", qLogin, map[string]any{"id": hw.ID, "pin": "0000"})
	var login struct{ LoginToken tokenNode }
	so.ok(t, qLogin, map[string]any{"id": hw.ID, "pin": hsm.PIN}, &login)
	if !login.LoginToken.LoggedIn || login.LoginToken.Status != "OK" {
		t.Fatalf("after login: %+v", login.LoginToken)
	}

	e.initialize(t)
	key := e.generateKey(t, hw.ID, "hsm-sign-key", "EC")
	if !slices.Equal(key.PossibleActions, []string{"GENERATE_SIGN_CSR", "DELETE"}) {
		t.Errorf("a hardware key may only get signing CSRs: %v", key.PossibleActions)
	}
	so.fails(t, "ACTION_NOT_POSSIBLE", qGenerateCSR, map[string]any{"in": map[string]any{"keyId": key.ID, "usage": "AUTHENTICATION", "caName": e.cs.ca.Name()}})
	if objects := hsm.ListObjects(t); !strings.Contains(objects, "hsm-sign-key") || !strings.Contains(objects, "Private Key Object; EC") {
		t.Errorf("pkcs11-tool does not list the key:\n%s", objects)
	}

	csr := e.generateCSR(t, key.ID, "SIGNING")
	opensslVerifyCSR(t, csr.PEM, "C = DEV, O = GOV, CN = 1234")
	sign := e.importCert(t, e.cs.sign(t, csr.PEM, "sign"))
	if sign.Status != "REGISTERED" || !sign.Active || sign.OcspStatus != "OCSP_RESPONSE_GOOD" || sign.Key.ID != key.ID {
		t.Fatalf("signing certificate = %+v", sign)
	}

	soft := e.token(t, "SOFTWARE")
	auth := e.certify(t, e.generateKey(t, soft.ID, "auth", "EC").ID, "AUTHENTICATION")
	var out struct{ RegisterAuthCertificate certNode }
	so.ok(t, qRegister, map[string]any{"id": auth.ID, "a": "ss1.example.org"}, &out)
	if out.RegisterAuthCertificate.Status != "REGISTRATION_IN_PROGRESS" {
		t.Errorf("registered = %+v", out.RegisterAuthCertificate)
	}

	// Logged out, the hardware key cannot sign the next request.
	so.ok(t, qLogout, map[string]any{"id": hw.ID}, nil)
	auth2 := e.certify(t, e.generateKey(t, soft.ID, "auth2", "EC").ID, "AUTHENTICATION")
	so.fails(t, "TOKEN_NOT_ACTIVE", qRegister, map[string]any{"id": auth2.ID, "a": "ss1.example.org"})
}
