//go:build cgo

package pkcs11token

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/pkcs11"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// A PKCS#11 library can be initialised only once per process, so every
// Module of the same library file shares one context, counted by reference
// and finalised when the last Module closes.
var (
	librariesMu sync.Mutex
	libraries   = map[string]*library{}
)

type library struct {
	key  string // resolved path
	ctx  *pkcs11.Ctx
	refs int
	// finalize is false when someone else in the process had initialised
	// the library before us; then we must not finalise it.
	finalize bool
}

func acquireLibrary(path string) (*library, error) {
	key, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, moduleError(path, "cannot be found", err)
	}
	librariesMu.Lock()
	defer librariesMu.Unlock()
	if lib, ok := libraries[key]; ok {
		lib.refs++
		return lib, nil
	}
	ctx := pkcs11.New(key)
	if ctx == nil {
		return nil, moduleError(path, "cannot be loaded as a PKCS#11 library", nil)
	}
	lib := &library{key: key, ctx: ctx, refs: 1, finalize: true}
	if err := ctx.Initialize(); err != nil {
		if !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
			ctx.Destroy()
			return nil, moduleError(path, "failed to initialise", err)
		}
		lib.finalize = false
	}
	libraries[key] = lib
	return lib, nil
}

func releaseLibrary(lib *library) error {
	librariesMu.Lock()
	defer librariesMu.Unlock()
	lib.refs--
	if lib.refs > 0 {
		return nil
	}
	delete(libraries, lib.key)
	var err error
	if lib.finalize {
		err = lib.ctx.Finalize()
	}
	lib.ctx.Destroy()
	return err
}

// Module is an opened PKCS#11 library. It is safe for concurrent use.
type Module struct {
	path string
	base string // file name without extension, the first part of token ids
	lib  *library

	mu     sync.Mutex
	closed bool
	tokens map[uint]*Token // by slot id
}

// OpenModule loads and initialises the PKCS#11 library at path. Opening the
// same library several times in one process is fine; it is finalised when
// the last Module is closed. Environment the library reads at
// initialisation (such as SOFTHSM2_CONF) must be set before.
func OpenModule(path string) (*Module, error) {
	lib, err := acquireLibrary(path)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return &Module{path: path, base: base, lib: lib, tokens: map[uint]*Token{}}, nil
}

// Path is the library path the module was opened with.
func (m *Module) Path() string { return m.path }

// Tokens returns one token per slot that holds an initialised token, in
// slot order. Calling it again returns the same *Token values for tokens
// still present (so login state and sessions carry over) and new ones for
// tokens inserted since.
func (m *Module) Tokens() ([]signer.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, errModuleClosed(m.path)
	}
	slots, err := m.lib.ctx.GetSlotList(true)
	if err != nil {
		return nil, moduleError(m.path, "cannot list its slots", err)
	}
	slices.Sort(slots)
	var out []signer.Token
	for _, slot := range slots {
		info, err := m.lib.ctx.GetTokenInfo(slot)
		if err != nil || info.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0 {
			continue // removed meanwhile, or an empty (uninitialised) token
		}
		serial, label := trimField(info.SerialNumber), trimField(info.Label)
		tok, ok := m.tokens[slot]
		if !ok || tok.serial != serial || tok.label != label {
			if ok {
				tok.close() // another token is in the slot now
			}
			tok = &Token{
				mod:    m,
				slot:   slot,
				serial: serial,
				label:  label,
				id:     fmt.Sprintf("%s-%s-%s-%d", m.base, serial, label, slot),
			}
			m.tokens[slot] = tok
		}
		out = append(out, tok)
	}
	return out, nil
}

// Close closes the sessions of the module's tokens and releases the
// library. Tokens of a closed module report themselves unavailable. Close
// is idempotent.
func (m *Module) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	for _, tok := range m.tokens {
		tok.close()
	}
	if err := releaseLibrary(m.lib); err != nil {
		return moduleError(m.path, "failed to finalise", err)
	}
	return nil
}

func trimField(s string) string { return strings.TrimRight(s, " \x00") }

func moduleError(path, what string, err error) *xroad.Error {
	e := xroad.Errorf(xroad.CodeTokenOperationFailed, "PKCS#11 module %s %s; check the module path and its configuration", path, what)
	if err != nil {
		e = e.Wrap(err)
	}
	return e
}

func errModuleClosed(path string) *xroad.Error {
	return xroad.Errorf(xroad.CodeTokenOperationFailed, "PKCS#11 module %s has been closed", path)
}
