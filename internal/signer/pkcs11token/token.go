//go:build cgo

package pkcs11token

import (
	"crypto"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/miekg/pkcs11"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const keyIDLen = 20

// Token is one token of a PKCS#11 module. It implements signer.Token and
// signer.KeyLister. It uses one read-write session, guarded by a mutex; the
// login state belongs to the PKCS#11 library and is shared by every session
// of the process.
type Token struct {
	mod               *Module
	slot              uint
	id, serial, label string

	mu          sync.Mutex // guards the fields below and every PKCS#11 call
	closed      bool       // the module was closed
	session     pkcs11.SessionHandle
	hasSession  bool
	loginFailed bool // the last Login failed with a wrong PIN
	pinLocked   bool // the last Login was refused: PIN locked
	expired     bool // the last Login was refused: PIN expired
}

var (
	_ signer.Token      = (*Token)(nil)
	_ signer.KeyLister  = (*Token)(nil)
	_ signer.PINChanger = (*Token)(nil)
	_ signer.KeyDeleter = (*Token)(nil)
)

// ID is "<module>-<serial>-<label>-<slot>", where module is the library's
// file name without extension.
func (t *Token) ID() string { return t.id }

// Name is the token label.
func (t *Token) Name() string { return t.label }

// Type is HARDWARE.
func (t *Token) Type() xroad.TokenType { return xroad.TokenHardware }

// SerialNumber is the token's serial number.
func (t *Token) SerialNumber() string { return t.serial }

// String describes the token.
func (t *Token) String() string { return "pkcs11token.Token{" + t.id + "}" }

func (t *Token) ctx() *pkcs11.Ctx { return t.mod.lib.ctx }

// Available reports whether the token is still in its slot and its module
// is open.
func (t *Token) Available() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, err := t.tokenInfoLocked()
	return err == nil
}

// tokenInfoLocked reads the token info and checks that it is still the same
// token.
func (t *Token) tokenInfoLocked() (pkcs11.TokenInfo, error) {
	if t.closed {
		return pkcs11.TokenInfo{}, errModuleClosed(t.mod.path)
	}
	info, err := t.ctx().GetTokenInfo(t.slot)
	if err != nil {
		return info, t.failLocked("read the token information", err)
	}
	if trimField(info.SerialNumber) != t.serial || trimField(info.Label) != t.label {
		return info, xroad.Errorf(xroad.CodeTokenOperationFailed,
			"Token %q is no longer in slot %d; insert it again and reload the tokens", t.label, t.slot)
	}
	return info, nil
}

// Status maps the token's PIN flags (and the outcome of the last Login) to
// X-Road's token status.
func (t *Token) Status() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	info, err := t.tokenInfoLocked()
	if err != nil {
		return signer.StatusOK // unavailable; Available says so
	}
	return statusFromFlags(info.Flags, t.loginFailed, t.pinLocked, t.expired)
}

func statusFromFlags(flags uint, loginFailed, pinLocked, expired bool) string {
	switch {
	case flags&pkcs11.CKF_USER_PIN_LOCKED != 0 || pinLocked:
		return signer.StatusPINLocked
	case flags&pkcs11.CKF_USER_PIN_FINAL_TRY != 0:
		return signer.StatusPINFinalTry
	case flags&pkcs11.CKF_USER_PIN_COUNT_LOW != 0:
		return signer.StatusPINCountLow
	case expired:
		return signer.StatusPINExpired
	case flags&pkcs11.CKF_USER_PIN_INITIALIZED == 0:
		return signer.StatusNotInitialized
	case loginFailed:
		return signer.StatusPINIncorrect
	}
	return signer.StatusOK
}

// LoggedIn reports whether the user is logged in to the token.
func (t *Token) LoggedIn() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.loggedInLocked() == nil
}

// loggedInLocked returns nil when logged in, else why not.
func (t *Token) loggedInLocked() error {
	if err := t.ensureSessionLocked(); err != nil {
		return err
	}
	info, err := t.ctx().GetSessionInfo(t.session)
	if err != nil {
		return t.failLocked("read the session state", err)
	}
	if info.State != pkcs11.CKS_RW_USER_FUNCTIONS && info.State != pkcs11.CKS_RO_USER_FUNCTIONS {
		return signer.ErrNotLoggedIn(t.label)
	}
	return nil
}

func (t *Token) ensureSessionLocked() error {
	if t.closed {
		return errModuleClosed(t.mod.path)
	}
	if t.hasSession {
		return nil
	}
	s, err := t.ctx().OpenSession(t.slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return t.failLocked("open a session", err)
	}
	t.session, t.hasSession = s, true
	return nil
}

// close ends the token's session; the token is unusable afterwards.
func (t *Token) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.hasSession {
		_ = t.ctx().CloseSession(t.session)
		t.hasSession = false
	}
	t.closed = true
}

// failLocked turns a PKCS#11 error into TOKEN_OPERATION_FAILED and drops the
// session when the error means it is gone.
func (t *Token) failLocked(what string, err error) error {
	var p11 pkcs11.Error
	if errors.As(err, &p11) {
		switch p11 {
		case pkcs11.CKR_SESSION_HANDLE_INVALID, pkcs11.CKR_SESSION_CLOSED, pkcs11.CKR_DEVICE_REMOVED,
			pkcs11.CKR_TOKEN_NOT_PRESENT, pkcs11.CKR_TOKEN_NOT_RECOGNIZED, pkcs11.CKR_DEVICE_ERROR,
			pkcs11.CKR_SLOT_ID_INVALID:
			t.hasSession = false
		}
	}
	return xroad.Errorf(xroad.CodeTokenOperationFailed,
		"Could not %s on token %q; check that the token is present and its PKCS#11 module works", what, t.label).Wrap(err)
}

// Login logs the user in with pin (CKU_USER). The token's own PIN policy
// applies (Roadreg adds no back-off): a wrong PIN gives PIN_INCORRECT, a PIN
// the device has locked TOKEN_PIN_LOCKED (see loginResult). The PIN is not
// kept.
func (t *Token) Login(pin string) error {
	if pin == "" {
		return xroad.BadInput("pin", "PIN is required")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ensureSessionLocked(); err != nil {
		return err
	}
	err := t.ctx().Login(t.session, pkcs11.CKU_USER, pin)
	// Only the outcome of this attempt counts (the PIN may have been
	// unlocked or changed with other tools meanwhile).
	outcome, xerr := loginResult(t.label, err)
	t.loginFailed, t.pinLocked, t.expired = outcome == pinWrong, outcome == pinLocked, outcome == pinExpired
	if outcome == pinOther {
		return t.failLocked("log in", err)
	}
	if xerr != nil {
		return xerr
	}
	return nil
}

// pinOutcome is what the result of C_Login says about the user PIN.
type pinOutcome int

const (
	pinAccepted pinOutcome = iota // logged in, or already logged in
	pinWrong
	pinLocked
	pinExpired
	pinNotSet
	pinOther // not about the PIN: the device or library failed
)

// loginResult maps the result of C_Login to its outcome and the error the
// caller gets: a wrong PIN, or one the token finds malformed or of the
// wrong length (CKR_PIN_INCORRECT, CKR_PIN_INVALID, CKR_PIN_LEN_RANGE), is
// PIN_INCORRECT like a wrong software-token PIN; CKR_PIN_LOCKED is
// TOKEN_PIN_LOCKED, X-Road's token_pin_locked. For pinOther the error is
// nil and the caller reports the PKCS#11 failure.
func loginResult(label string, err error) (pinOutcome, *xroad.Error) {
	var p11 pkcs11.Error
	errors.As(err, &p11)
	switch {
	case err == nil || p11 == pkcs11.CKR_USER_ALREADY_LOGGED_IN:
		return pinAccepted, nil
	case p11 == pkcs11.CKR_PIN_INCORRECT || p11 == pkcs11.CKR_PIN_INVALID || p11 == pkcs11.CKR_PIN_LEN_RANGE:
		return pinWrong, signer.ErrPINIncorrect(label).Wrap(err)
	case p11 == pkcs11.CKR_PIN_LOCKED:
		return pinLocked, signer.ErrPINLocked(label).Wrap(err)
	case p11 == pkcs11.CKR_PIN_EXPIRED:
		return pinExpired, xroad.Errorf(xroad.CodeTokenOperationFailed,
			"The PIN of token %q has expired; change it with the token's own tools", label).Wrap(err)
	case p11 == pkcs11.CKR_USER_PIN_NOT_INITIALIZED:
		return pinNotSet, xroad.Errorf(xroad.CodeNotInitialized,
			"Token %q has no user PIN; initialise it with the token's own tools", label).Wrap(err)
	}
	return pinOther, nil
}

// ChangePIN sets the user PIN (C_SetPIN) after the token checks oldPIN; the
// login state stays as it was. The device's PIN policy applies: a wrong
// oldPIN counts against it like a wrong login and gives PIN_INCORRECT (a
// locked PIN TOKEN_PIN_LOCKED); a newPIN the device refuses (CKR_PIN_INVALID,
// CKR_PIN_LEN_RANGE) gives BAD_USER_INPUT for newPin.
func (t *Token) ChangePIN(oldPIN, newPIN string) error {
	if oldPIN == "" {
		return xroad.BadInput("oldPin", "The current PIN is required")
	}
	if newPIN == "" {
		return xroad.BadInput("newPin", "The new PIN is required")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ensureSessionLocked(); err != nil {
		return err
	}
	err := t.ctx().SetPIN(t.session, oldPIN, newPIN)
	var p11 pkcs11.Error
	errors.As(err, &p11)
	switch {
	case err == nil:
		t.loginFailed, t.pinLocked, t.expired = false, false, false
		return nil
	case p11 == pkcs11.CKR_PIN_INVALID || p11 == pkcs11.CKR_PIN_LEN_RANGE:
		return xroad.BadInput("newPin", "Token %q does not accept the new PIN: its length or characters are outside the token's PIN policy", t.label).Wrap(err)
	}
	outcome, xerr := loginResult(t.label, err)
	t.loginFailed, t.pinLocked, t.expired = outcome == pinWrong, outcome == pinLocked, outcome == pinExpired
	if xerr == nil {
		return t.failLocked("change the PIN", err)
	}
	return xerr.WithField("oldPin")
}

// Logout logs the user out of the token (for every session of this
// process). Signers stop working until the next Login.
func (t *Token) Logout() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ensureSessionLocked(); err != nil {
		return err
	}
	err := t.ctx().Logout(t.session)
	if err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_USER_NOT_LOGGED_IN)) {
		return t.failLocked("log out", err)
	}
	return nil
}

// GenerateKey creates a persistent key pair on the token: RSA 2048 with
// exponent 65537 or EC P-256. Both objects get CKA_LABEL label and a random
// 20-byte CKA_ID; the private key is sensitive and not extractable.
func (t *Token) GenerateKey(alg xroad.KeyAlgorithm, label string) (signer.KeyInfo, error) {
	if err := signer.CheckAlgorithm(alg); err != nil {
		return signer.KeyInfo{}, err
	}
	id := make([]byte, keyIDLen)
	if _, err := rand.Read(id); err != nil {
		return signer.KeyInfo{}, xroad.Errorf(xroad.CodeInternal, "Could not generate a key id").Wrap(err)
	}
	mech, pubTmpl, privTmpl := keyPairTemplates(alg, id, label)

	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.loggedInLocked(); err != nil {
		return signer.KeyInfo{}, err
	}
	pubH, privH, err := t.ctx().GenerateKeyPair(t.session, []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, nil)}, pubTmpl, privTmpl)
	if err != nil {
		return signer.KeyInfo{}, t.failLocked("generate a key", err)
	}
	info, err := t.keyInfoLocked(pubH)
	if err != nil {
		// Do not leave a key behind that the caller does not know about.
		_ = t.ctx().DestroyObject(t.session, pubH)
		_ = t.ctx().DestroyObject(t.session, privH)
		return signer.KeyInfo{}, err
	}
	return info, nil
}

// DeleteKey destroys every object of the token with CKA_ID id (hex): the
// private key, the public key and certificates stored with them (UG-SS
// §5.7, deleting a key). The token must be logged in, so the private key is
// visible. Nothing with that id is no error.
func (t *Token) DeleteKey(id string) error {
	raw, err := parseKeyID(id)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.loggedInLocked(); err != nil {
		return err
	}
	handles, err := t.findLocked([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_ID, raw)})
	if err != nil {
		return err
	}
	for _, h := range handles {
		if err := t.ctx().DestroyObject(t.session, h); err != nil {
			return t.failLocked("delete key "+id, err)
		}
	}
	return nil
}

// Keys lists the key pairs on the token, found by their public-key objects
// (which are readable without login). Keys of types other than RSA and EC
// and keys without CKA_ID are left out.
func (t *Token) Keys() ([]signer.KeyInfo, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ensureSessionLocked(); err != nil {
		return nil, err
	}
	handles, err := t.findLocked([]*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PUBLIC_KEY)})
	if err != nil {
		return nil, err
	}
	keys := make([]signer.KeyInfo, 0, len(handles))
	for _, h := range handles {
		info, err := t.keyInfoLocked(h)
		if errors.Is(err, errUnsupportedKey) {
			continue
		}
		if err != nil {
			return nil, err
		}
		keys = append(keys, info)
	}
	return keys, nil
}

// FindKey returns the key pair whose public key has CKA_ID id (hex), or
// KEY_NOT_FOUND.
func (t *Token) FindKey(id string) (signer.KeyInfo, error) {
	raw, err := parseKeyID(id)
	if err != nil {
		return signer.KeyInfo{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ensureSessionLocked(); err != nil {
		return signer.KeyInfo{}, err
	}
	h, err := t.findOneLocked(pkcs11.CKO_PUBLIC_KEY, raw)
	if err != nil {
		return signer.KeyInfo{}, err
	}
	info, err := t.keyInfoLocked(h)
	if errors.Is(err, errUnsupportedKey) {
		return signer.KeyInfo{}, xroad.Errorf(xroad.CodeKeyNotFound, "Key %q on token %q is neither RSA nor EC", id, t.label).Wrap(err)
	}
	return info, err
}

// Signer returns a signer for key (by ID; PublicKey is read from the token
// when not set). It signs on the token while the token is logged in.
func (t *Token) Signer(key signer.KeyInfo) (crypto.Signer, error) {
	raw, err := parseKeyID(key.ID)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.loggedInLocked(); err != nil {
		return nil, err
	}
	if _, err := t.findOneLocked(pkcs11.CKO_PRIVATE_KEY, raw); err != nil {
		return nil, err
	}
	pub := key.PublicKey
	if pub == nil {
		h, err := t.findOneLocked(pkcs11.CKO_PUBLIC_KEY, raw)
		if err != nil {
			return nil, err
		}
		info, err := t.keyInfoLocked(h)
		if err != nil {
			return nil, err
		}
		pub = info.PublicKey
	}
	if _, err := signer.AlgorithmOf(pub); err != nil {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "Key %q has an unsupported public key", key.ID).Wrap(err)
	}
	return &keySigner{tok: t, id: raw, hexID: key.ID, pub: pub}, nil
}

func parseKeyID(id string) ([]byte, error) {
	raw, err := hex.DecodeString(id)
	if err != nil || len(raw) == 0 {
		return nil, xroad.BadInput("keyId", "Key id %q is not a hexadecimal PKCS#11 key id", id)
	}
	return raw, nil
}

func formatKeyID(raw []byte) string { return strings.ToUpper(hex.EncodeToString(raw)) }

// findLocked returns the handles of all objects matching tmpl.
func (t *Token) findLocked(tmpl []*pkcs11.Attribute) ([]pkcs11.ObjectHandle, error) {
	ctx := t.ctx()
	if err := ctx.FindObjectsInit(t.session, tmpl); err != nil {
		return nil, t.failLocked("search for keys", err)
	}
	var all []pkcs11.ObjectHandle
	for {
		batch, _, err := ctx.FindObjects(t.session, 64)
		if err != nil {
			_ = ctx.FindObjectsFinal(t.session)
			return nil, t.failLocked("search for keys", err)
		}
		if len(batch) == 0 {
			break
		}
		all = append(all, batch...)
	}
	if err := ctx.FindObjectsFinal(t.session); err != nil {
		return nil, t.failLocked("search for keys", err)
	}
	return all, nil
}

// findOneLocked returns the first object of class with CKA_ID id, or
// KEY_NOT_FOUND.
func (t *Token) findOneLocked(class uint, id []byte) (pkcs11.ObjectHandle, error) {
	hs, err := t.findLocked([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, class),
		pkcs11.NewAttribute(pkcs11.CKA_ID, id),
	})
	if err != nil {
		return 0, err
	}
	if len(hs) == 0 {
		return 0, signer.ErrKeyNotFound(t.label, formatKeyID(id))
	}
	return hs[0], nil
}

// keySigner signs with a private key object of the token.
type keySigner struct {
	tok   *Token
	id    []byte
	hexID string
	pub   crypto.PublicKey
}

func (s *keySigner) Public() crypto.PublicKey { return s.pub }

func (s *keySigner) String() string {
	return fmt.Sprintf("pkcs11token signer for key %s on %s", s.hexID, s.tok.id)
}

// Sign signs digest on the token: RSA PKCS#1 v1.5 (CKM_RSA_PKCS over the
// DigestInfo), RSA-PSS when opts is *rsa.PSSOptions (CKM_RSA_PKCS_PSS), or
// ECDSA (CKM_ECDSA, returned as ASN.1 DER like crypto/ecdsa).
func (s *keySigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	mech, input, err := signMechanism(s.pub, digest, opts)
	if err != nil {
		return nil, err
	}
	t := s.tok
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.loggedInLocked(); err != nil {
		return nil, err
	}
	h, err := t.findOneLocked(pkcs11.CKO_PRIVATE_KEY, s.id)
	if err != nil {
		return nil, err
	}
	if err := t.ctx().SignInit(t.session, []*pkcs11.Mechanism{mech}, h); err != nil {
		return nil, t.failLocked("start signing", err)
	}
	sig, err := t.ctx().Sign(t.session, input)
	if err != nil {
		return nil, t.failLocked("sign", err)
	}
	return finishSignature(s.pub, sig)
}
