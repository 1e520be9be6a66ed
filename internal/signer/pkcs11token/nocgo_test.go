//go:build !cgo

package pkcs11token

import (
	"errors"
	"strings"
	"testing"
)

// TestOpenModuleWithoutCgo: a build without cgo refuses every PKCS#11
// module with a message that says why and what to do.
func TestOpenModuleWithoutCgo(t *testing.T) {
	m, err := OpenModule("/usr/lib/softhsm/libsofthsm2.so")
	if m != nil || !errors.Is(err, ErrNoCgo) {
		t.Fatalf("OpenModule = %v, %v; want ErrNoCgo", m, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "built without cgo") || !strings.Contains(msg, "use a build with cgo") {
		t.Errorf("message %q does not say why hardware tokens are unavailable", msg)
	}
}
