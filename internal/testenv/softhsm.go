package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// DefaultSoftHSMModule is where Debian's softhsm2 package puts the PKCS#11
// library; ROADREG_SOFTHSM_MODULE overrides it.
const DefaultSoftHSMModule = "/usr/lib/softhsm/libsofthsm2.so"

// SoftHSM is a SoftHSM2 token made for one test.
type SoftHSM struct {
	// Module is the PKCS#11 library to load.
	Module string
	// Conf is the SOFTHSM2_CONF file the test's process uses.
	Conf  string
	Label string
	PIN   string
	SOPIN string
}

// NewSoftHSM points SoftHSM2 at a fresh token folder (SOFTHSM2_CONF, set
// with t.Setenv, so the test must not run in parallel and must open the
// module after this call) and initialises a token with the label and
// PINs "1234" (user) and "5678" (security officer). Without SoftHSM2 and
// pkcs11-tool it skips, or fails when tools are required (ToolsRequired).
func NewSoftHSM(t testing.TB, label string) *SoftHSM {
	t.Helper()
	module := os.Getenv("ROADREG_SOFTHSM_MODULE")
	if module == "" {
		module = DefaultSoftHSMModule
	}
	if _, err := os.Stat(module); err != nil {
		Unavailable(t, "SoftHSM2 module "+module+" not found (Debian package softhsm2)")
	}
	util := NeedTool(t, "softhsm2-util")
	NeedTool(t, "pkcs11-tool")
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	text := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	h := &SoftHSM{Module: module, Conf: conf, Label: label, PIN: "1234", SOPIN: "5678"}
	out, err := exec.Command(util, "--init-token", "--free", "--label", label, "--pin", h.PIN, "--so-pin", h.SOPIN).CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
	}
	return h
}

// ListObjects returns what `pkcs11-tool --list-objects` prints for the
// token after logging in with the user PIN.
func (h *SoftHSM) ListObjects(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("pkcs11-tool", "--module", h.Module, "--token-label", h.Label,
		"--login", "--pin", h.PIN, "--list-objects").CombinedOutput()
	if err != nil {
		t.Fatalf("pkcs11-tool --list-objects: %v\n%s", err, out)
	}
	return string(out)
}
