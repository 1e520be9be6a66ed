//go:build cgo

package pkcs11token

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/signertest"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The SoftHSM2 module; ROADREG_SOFTHSM_MODULE overrides it.
const defaultSoftHSMModule = "/usr/lib/softhsm/libsofthsm2.so"

const (
	testLabel = "roadreg-test"
	testPIN   = "1234"
	testSOPIN = "5678"
)

// missingTool skips the test, or fails it when tools are required (testenv).
func missingTool(t *testing.T, format string, args ...any) {
	t.Helper()
	testenv.Unavailable(t, fmt.Sprintf(format, args...)+"; install the Debian packages softhsm2 and opensc to run this test")
}

func softHSMModule(t *testing.T) string {
	t.Helper()
	module := os.Getenv("ROADREG_SOFTHSM_MODULE")
	if module == "" {
		module = defaultSoftHSMModule
	}
	if _, err := os.Stat(module); err != nil {
		missingTool(t, "SoftHSM2 module %s not found", module)
	}
	for _, tool := range []string{"softhsm2-util", "pkcs11-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			missingTool(t, "%s not found in PATH", tool)
		}
	}
	return module
}

// newSoftHSM points SoftHSM2 at a fresh token directory (SOFTHSM2_CONF must
// be set before the module is initialised) and initialises one token per
// label with PIN testPIN. It returns the module path.
func newSoftHSM(t *testing.T, labels ...string) string {
	t.Helper()
	module := softHSMModule(t)
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	confText := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
	if err := os.WriteFile(conf, []byte(confText), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	for _, label := range labels {
		out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", testPIN, "--so-pin", testSOPIN).CombinedOutput()
		if err != nil {
			t.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
		}
	}
	return module
}

func openModule(t *testing.T, path string) *Module {
	t.Helper()
	m, err := OpenModule(path)
	if err != nil {
		t.Fatalf("OpenModule(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return m
}

func tokenByLabel(t *testing.T, m *Module, label string) *Token {
	t.Helper()
	tokens, err := m.Tokens()
	if err != nil {
		t.Fatalf("Tokens: %v", err)
	}
	for _, tok := range tokens {
		if tok.Name() == label {
			return tok.(*Token)
		}
	}
	t.Fatalf("no token labelled %q among %d tokens", label, len(tokens))
	return nil
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := xroad.CodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// p11object is one object in `pkcs11-tool --list-objects` output.
type p11object struct {
	kind  string // e.g. "Private Key Object; RSA"
	attrs map[string]string
}

func listObjects(t *testing.T, module, label string) []p11object {
	t.Helper()
	cmd := exec.Command("pkcs11-tool", "--module", module, "--token-label", label, "--login", "--pin", testPIN, "--list-objects")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pkcs11-tool --list-objects: %v\n%s", err, out)
	}
	var objs []p11object
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.Contains(line, " Object; "):
			objs = append(objs, p11object{kind: strings.TrimSpace(line), attrs: map[string]string{}})
		case len(objs) > 0 && strings.HasPrefix(line, " "):
			if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
				objs[len(objs)-1].attrs[k] = strings.TrimSpace(v)
			}
		}
	}
	return objs
}

// TestSoftHSM walks the whole life of keys on a real SoftHSM2 token: login,
// RSA and EC key generation, signing verified with Go's crypto, a CSR,
// pkcs11-tool seeing the keys, and a reopened module finding them again.
func TestSoftHSM(t *testing.T) {
	module := newSoftHSM(t, testLabel, "roadreg-other")
	m := openModule(t, module)

	tokens, err := m.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2 {
		t.Fatalf("Tokens() = %d tokens, want the 2 initialised ones (not the free slot)", len(tokens))
	}
	tok := tokenByLabel(t, m, testLabel)
	wantID := fmt.Sprintf("libsofthsm2-%s-%s-%d", tok.SerialNumber(), testLabel, tok.slot)
	if tok.ID() != wantID || tok.Type() != xroad.TokenHardware || tok.SerialNumber() == "" {
		t.Fatalf("token ID %q type %s serial %q; want ID %q, HARDWARE, a serial", tok.ID(), tok.Type(), tok.SerialNumber(), wantID)
	}
	if other := tokenByLabel(t, m, "roadreg-other"); other.ID() == tok.ID() {
		t.Fatal("two tokens share an ID")
	}
	if !tok.Available() || tok.LoggedIn() || tok.Status() != signer.StatusOK {
		t.Fatalf("fresh token: Available=%v LoggedIn=%v Status=%s; want true false OK", tok.Available(), tok.LoggedIn(), tok.Status())
	}
	again, _ := m.Tokens()
	if again[0] != tokens[0] {
		t.Error("a second Tokens() call returned new Token values for the same tokens")
	}

	// Wrong PIN, then the right one.
	wantCode(t, tok.Login("4321"), xroad.CodePinIncorrect)
	if tok.LoggedIn() {
		t.Fatal("logged in after a wrong PIN")
	}
	// SoftHSM sets CKF_USER_PIN_COUNT_LOW after a wrong PIN (PKCS#11: "an
	// incorrect PIN has been entered at least once since the last success").
	if st := tok.Status(); st != signer.StatusPINCountLow && st != signer.StatusPINIncorrect {
		t.Errorf("Status after wrong PIN = %s, want USER_PIN_COUNT_LOW or USER_PIN_INCORRECT", st)
	}
	wantCode(t, tok.Login(""), xroad.CodeBadUserInput)
	wantCode(t, tok.Login(testPIN), "")
	if !tok.LoggedIn() || tok.Status() != signer.StatusOK {
		t.Fatalf("after login: LoggedIn=%v Status=%s", tok.LoggedIn(), tok.Status())
	}
	wantCode(t, tok.Login(testPIN), "") // already logged in is fine

	keys := map[xroad.KeyAlgorithm]signer.KeyInfo{}
	for _, alg := range []xroad.KeyAlgorithm{xroad.AlgorithmRSA, xroad.AlgorithmEC} {
		t.Run(string(alg), func(t *testing.T) {
			key, err := tok.GenerateKey(alg, "roadreg "+string(alg)+" key")
			if err != nil {
				t.Fatalf("GenerateKey: %v", err)
			}
			if key.Algorithm != alg || key.Label != "roadreg "+string(alg)+" key" || len(key.ID) != 40 || key.Blob != nil {
				t.Fatalf("KeyInfo = %+v", key)
			}
			switch pub := key.PublicKey.(type) {
			case *rsa.PublicKey:
				if pub.N.BitLen() != 2048 || pub.E != 65537 {
					t.Errorf("RSA key %d bits, e=%d; want 2048, 65537", pub.N.BitLen(), pub.E)
				}
			case *ecdsa.PublicKey:
				if pub.Curve.Params().Name != "P-256" {
					t.Errorf("EC key on %s, want P-256", pub.Curve.Params().Name)
				}
			}
			keys[alg] = key
			s, err := tok.Signer(key)
			if err != nil {
				t.Fatalf("Signer: %v", err)
			}
			signertest.CheckSigner(t, s, true)
		})
	}
	if len(keys) != 2 {
		t.FailNow()
	}

	// Keys() and FindKey see both keys.
	listed, err := tok.Keys()
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 2 {
		t.Fatalf("Keys() = %d keys, want 2", len(listed))
	}
	for _, l := range listed {
		k := keys[l.Algorithm]
		if l.ID != k.ID || l.Label != k.Label || !k.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(l.PublicKey) {
			t.Errorf("Keys() entry %+v does not match generated %+v", l, k)
		}
	}

	// pkcs11-tool, a separate process, sees both keys on the token with
	// their labels and ids, and the private keys are sensitive and never
	// extractable.
	objs := listObjects(t, module, testLabel)
	for alg, k := range keys {
		for _, class := range []string{"Private Key Object", "Public Key Object"} {
			var found *p11object
			for i := range objs {
				if strings.HasPrefix(objs[i].kind, class+"; "+string(alg)) && strings.EqualFold(objs[i].attrs["ID"], k.ID) {
					found = &objs[i]
				}
			}
			if found == nil {
				t.Errorf("pkcs11-tool lists no %s %s with ID %s; objects: %+v", class, alg, strings.ToLower(k.ID), objs)
				continue
			}
			if found.attrs["label"] != k.Label {
				t.Errorf("pkcs11-tool: %s %s label %q, want %q", class, alg, found.attrs["label"], k.Label)
			}
			if class == "Private Key Object" {
				access := found.attrs["Access"]
				if !strings.Contains(access, "sensitive") || !strings.Contains(access, "never extractable") {
					t.Errorf("pkcs11-tool: private %s key access %q, want sensitive and never extractable", alg, access)
				}
				if !strings.Contains(found.attrs["Usage"], "sign") {
					t.Errorf("pkcs11-tool: private %s key usage %q lacks sign", alg, found.attrs["Usage"])
				}
			}
		}
	}
	if other := listObjects(t, module, "roadreg-other"); len(other) != 0 {
		t.Errorf("keys leaked to the other token: %+v", other)
	}

	// A new process would open the module again: simulate it by closing
	// everything (the library is finalised) and reopening.
	tokenID := tok.ID()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if tok.Available() {
		t.Error("token of a closed module reports itself available")
	}
	_, err = tok.Signer(keys[xroad.AlgorithmEC])
	wantCode(t, err, xroad.CodeTokenOperationFailed)

	m2 := openModule(t, module)
	tok2 := tokenByLabel(t, m2, testLabel)
	if tok2.ID() != tokenID {
		t.Errorf("token ID changed across opens: %q → %q", tokenID, tok2.ID())
	}
	if tok2.LoggedIn() {
		t.Error("logged in right after reopening (the library was not finalised)")
	}
	for alg, k := range keys {
		found, err := tok2.FindKey(strings.ToLower(k.ID))
		if err != nil {
			t.Fatalf("FindKey(%s) after reopen: %v", alg, err)
		}
		if found.ID != k.ID || found.Label != k.Label || found.Algorithm != alg {
			t.Errorf("FindKey = %+v, want %+v", found, k)
		}
		_, err = tok2.Signer(found)
		wantCode(t, err, xroad.CodeTokenNotActive)
	}
	if err := tok2.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	for alg, k := range keys {
		// Only the id: the public key comes from the token.
		s, err := tok2.Signer(signer.KeyInfo{ID: k.ID})
		if err != nil {
			t.Fatalf("Signer(%s) after reopen: %v", alg, err)
		}
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "reopened"}}, s)
		if err != nil {
			t.Fatalf("CSR with %s key after reopen: %v", alg, err)
		}
		csr, err := x509.ParseCertificateRequest(der)
		if err != nil {
			t.Fatal(err)
		}
		if err := csr.CheckSignature(); err != nil {
			t.Errorf("CSR (%s) signature: %v", alg, err)
		}
		if !k.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(csr.PublicKey) {
			t.Errorf("CSR (%s) carries another public key than the generated one", alg)
		}
	}
}

func TestLogoutStopsSigning(t *testing.T) {
	m := openModule(t, newSoftHSM(t, testLabel))
	tok := tokenByLabel(t, m, testLabel)
	_, err := tok.GenerateKey(xroad.AlgorithmEC, "x")
	wantCode(t, err, xroad.CodeTokenNotActive)
	if err := tok.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	key, err := tok.GenerateKey(xroad.AlgorithmEC, "logout test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tok.Signer(key)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("logout"))
	if _, err := s.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
		t.Fatalf("Sign while logged in: %v", err)
	}
	if err := tok.Logout(); err != nil {
		t.Fatal(err)
	}
	if err := tok.Logout(); err != nil {
		t.Fatalf("second Logout: %v", err)
	}
	if tok.LoggedIn() {
		t.Fatal("LoggedIn after Logout")
	}
	_, err = s.Sign(rand.Reader, digest[:], crypto.SHA256)
	wantCode(t, err, xroad.CodeTokenNotActive)
	_, err = tok.Signer(key)
	wantCode(t, err, xroad.CodeTokenNotActive)
	// The public key stays visible without login.
	if _, err := tok.FindKey(key.ID); err != nil {
		t.Fatalf("FindKey while logged out: %v", err)
	}
	if err := tok.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	sig, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil || !ecdsa.VerifyASN1(key.PublicKey.(*ecdsa.PublicKey), digest[:], sig) {
		t.Fatalf("signer after re-login: %v", err)
	}
}

func TestFindKeyErrors(t *testing.T) {
	m := openModule(t, newSoftHSM(t, testLabel))
	tok := tokenByLabel(t, m, testLabel)
	tests := []struct {
		id       string
		wantCode string
	}{
		{"00112233445566778899AABBCCDDEEFF00112233", xroad.CodeKeyNotFound},
		{"not hex", xroad.CodeBadUserInput},
		{"", xroad.CodeBadUserInput},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			_, err := tok.FindKey(tt.id)
			wantCode(t, err, tt.wantCode)
		})
	}
	if err := tok.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	_, err := tok.Signer(signer.KeyInfo{ID: "0102"})
	wantCode(t, err, xroad.CodeKeyNotFound)
	_, err = tok.GenerateKey("DSA", "x")
	wantCode(t, err, xroad.CodeBadUserInput)

	// A key without label (X-Road's label is optional) is found by id.
	key, err := tok.GenerateKey(xroad.AlgorithmEC, "")
	if err != nil {
		t.Fatalf("GenerateKey without label: %v", err)
	}
	if found, err := tok.FindKey(key.ID); err != nil || found.Label != "" {
		t.Fatalf("FindKey = %+v, %v; want the unlabelled key", found, err)
	}
}

func TestSharedLibrary(t *testing.T) {
	module := newSoftHSM(t, testLabel)
	link := filepath.Join(t.TempDir(), "softhsm-link.so")
	if err := os.Symlink(module, link); err != nil {
		t.Fatal(err)
	}
	m1 := openModule(t, module)
	m2 := openModule(t, link) // the same library under another name
	tok1 := tokenByLabel(t, m1, testLabel)
	tok2 := tokenByLabel(t, m2, testLabel)
	if !strings.HasPrefix(tok2.ID(), "softhsm-link-") {
		t.Errorf("token id %q does not start with the module file name", tok2.ID())
	}
	if err := tok1.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	if !tok2.LoggedIn() {
		t.Error("login state is per library, but the second module does not see it")
	}
	if err := m1.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m1.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := m1.Tokens(); xroad.CodeOf(err) != xroad.CodeTokenOperationFailed {
		t.Errorf("Tokens on a closed module: %v", err)
	}
	// m2 keeps the library alive.
	if _, err := tok2.GenerateKey(xroad.AlgorithmEC, "still open"); err != nil {
		t.Fatalf("GenerateKey through the module still open: %v", err)
	}
	if err := m2.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestReinitialiseReadsNewConfig proves that closing the last Module
// finalises the library: a fresh SOFTHSM2_CONF is honoured by the next open.
func TestReinitialiseReadsNewConfig(t *testing.T) {
	for _, label := range []string{"first-dir", "second-dir"} {
		t.Run(label, func(t *testing.T) {
			m := openModule(t, newSoftHSM(t, label))
			tokens, err := m.Tokens()
			if err != nil {
				t.Fatal(err)
			}
			if len(tokens) != 1 || tokens[0].Name() != label {
				t.Fatalf("tokens = %v, want only %q", tokens, label)
			}
		})
	}
}

func TestOpenModuleErrors(t *testing.T) {
	notALibrary := filepath.Join(t.TempDir(), "not-a-library.so")
	if err := os.WriteFile(notALibrary, []byte("plain text"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(t.TempDir(), "missing.so"), notALibrary} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m, err := OpenModule(path)
			if err == nil {
				_ = m.Close()
			}
			wantCode(t, err, xroad.CodeTokenOperationFailed)
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the module path", err)
			}
		})
	}
}

// TestChangePIN changes the user PIN of a SoftHSM2 token: a wrong current
// PIN is PIN_INCORRECT for oldPin and changes nothing, a PIN the device
// refuses is BAD_USER_INPUT for newPin, and afterwards only the new PIN
// logs in while the login state is kept.
func TestChangePIN(t *testing.T) {
	m := openModule(t, newSoftHSM(t, testLabel))
	tok := tokenByLabel(t, m, testLabel)
	err := tok.ChangePIN("9999", "new-pin-1")
	wantCode(t, err, xroad.CodePinIncorrect)
	if xe := err.(*xroad.Error); xe.Field != "oldPin" {
		t.Errorf("field = %q, want oldPin", xe.Field)
	}
	// SoftHSM2 flags CKF_USER_PIN_COUNT_LOW after a wrong PIN: the token
	// says tries are running out.
	if got := tok.Status(); got != signer.StatusPINCountLow {
		t.Errorf("status after a wrong PIN = %s, want %s", got, signer.StatusPINCountLow)
	}
	err = tok.ChangePIN(testPIN, "12") // SoftHSM2 wants at least 4 characters
	wantCode(t, err, xroad.CodeBadUserInput)
	if xe := err.(*xroad.Error); xe.Field != "newPin" {
		t.Errorf("field = %q, want newPin", xe.Field)
	}
	if err := tok.ChangePIN(testPIN, "new-pin-1"); err != nil {
		t.Fatal(err)
	}
	if tok.LoggedIn() {
		t.Error("changing the PIN logged the token in")
	}
	wantCode(t, tok.Login(testPIN), xroad.CodePinIncorrect)
	if err := tok.Login("new-pin-1"); err != nil {
		t.Fatalf("Login with the new PIN: %v", err)
	}
	if err := tok.ChangePIN("new-pin-1", testPIN); err != nil {
		t.Fatalf("ChangePIN while logged in: %v", err)
	}
	if !tok.LoggedIn() || tok.Status() != signer.StatusOK {
		t.Errorf("after the change: logged in %v, status %s; want logged in, OK", tok.LoggedIn(), tok.Status())
	}
}
