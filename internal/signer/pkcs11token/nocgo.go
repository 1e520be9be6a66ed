//go:build !cgo

package pkcs11token

import (
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ErrNoCgo is what OpenModule returns in a build without cgo.
var ErrNoCgo = xroad.Errorf(xroad.CodeTokenOperationFailed,
	"this roadreg was built without cgo: hardware tokens (PKCS#11) are unavailable; use a build with cgo")

// Module is a PKCS#11 library; a build without cgo cannot open one.
type Module struct{}

// OpenModule returns ErrNoCgo: loading a PKCS#11 library needs cgo.
func OpenModule(string) (*Module, error) { return nil, ErrNoCgo }

// Path is the library path the module was opened with.
func (m *Module) Path() string { return "" }

// Tokens returns no tokens.
func (m *Module) Tokens() ([]signer.Token, error) { return nil, ErrNoCgo }

// Close does nothing.
func (m *Module) Close() error { return nil }
