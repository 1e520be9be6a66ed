// Package softtoken is the software token ("softToken-0"): private keys are
// kept by the caller as blobs encrypted under a key that only the PIN
// unlocks (argon2id + AES-256-GCM). See State for what the caller persists.
package softtoken

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const (
	keyIDLen      = 20
	blobVersion   = 1
	errNotInitMsg = "The software token is not initialised; initialise the server first"
)

// Token is the software token. It implements signer.Token. The zero value
// is not usable; use New.
type Token struct {
	mu    sync.Mutex
	state State
	now   func() time.Time
	// dataKey is set while logged in and zeroed on Logout.
	dataKey []byte
	// keys caches decrypted private keys by key id while logged in.
	keys map[string]crypto.Signer
}

var _ signer.Token = (*Token)(nil)

// Option configures a Token.
type Option func(*Token)

// WithClock sets the clock the PIN back-off is measured with (default
// time.Now).
func WithClock(now func() time.Time) Option {
	return func(t *Token) {
		if now != nil {
			t.now = now
		}
	}
}

// New returns the software token for a state made by Initialize (or loaded
// with State.UnmarshalBinary). It starts logged out. A zero State gives a
// token with status NOT_INITIALIZED.
func New(state State, opts ...Option) *Token {
	t := &Token{state: state, now: time.Now}
	for _, o := range opts {
		o(t)
	}
	return t
}

// NewInitialized initialises a new software token protected by pin with
// the given argon2id parameters (as InitializeWith) and returns it logged
// in. It derives the PIN key once, where InitializeWith followed by Login
// derives it twice.
func NewInitialized(pin string, p KDFParams, opts ...Option) (*Token, error) {
	st, dataKey, err := initialize(pin, p)
	if err != nil {
		return nil, err
	}
	t := New(st, opts...)
	t.dataKey, t.keys = dataKey, make(map[string]crypto.Signer)
	return t, nil
}

// State returns the current state for the caller to persist; it changes on
// every PIN that is checked and on ChangePIN.
func (t *Token) State() State {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state
}

// SyncFailures takes the wrong-PIN count and its time from stored, the
// state as last persisted: another process (roadreg token unlock) may have
// cleared them since the token was loaded. Callers sync before Login.
func (t *Token) SyncFailures(stored State) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.state.FailedLogins, t.state.LastFailedLogin = stored.FailedLogins, stored.LastFailedLogin
}

// RetryAfter is how long the token still refuses PINs (0: it checks the
// next one).
func (t *Token) RetryAfter() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state.RetryAfter(t.now())
}

// ID is "0".
func (t *Token) ID() string { return signer.SoftTokenID }

// Name is "softToken-0".
func (t *Token) Name() string { return signer.SoftTokenName }

// Type is SOFTWARE.
func (t *Token) Type() xroad.TokenType { return xroad.TokenSoftware }

// Available reports whether the token has been initialised.
func (t *Token) Available() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state.Initialized()
}

// LoggedIn reports whether the PIN has been entered.
func (t *Token) LoggedIn() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dataKey != nil
}

// Status is the X-Road token status: USER_PIN_INCORRECT after a wrong PIN
// until the right one is entered, else OK (NOT_INITIALIZED before
// initialisation). The software token never reaches USER_PIN_LOCKED.
func (t *Token) Status() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case !t.state.Initialized():
		return signer.StatusNotInitialized
	case t.state.FailedLogins > 0:
		return signer.StatusPINIncorrect
	}
	return signer.StatusOK
}

// Login checks the PIN and keeps the unwrapped data key in memory. A wrong
// PIN gives PIN_INCORRECT, with a RetryAfter once it starts a back-off
// (see PINDelay); during the back-off every PIN is refused with
// TOKEN_PIN_RETRY_LATER without being checked. Wrong PINs never log a
// logged-in token out: logging in again re-checks the PIN and keeps the
// session either way. Persist State afterwards.
func (t *Token) Login(pin string) error { return t.login(pin, true) }

// LoginLocal is Login for a PIN from the server's own configuration (the
// central server's PIN file, read at start-up): it is checked even during a
// back-off, so a restart logs in although someone has been guessing PINs
// through the API. A wrong PIN still counts.
func (t *Token) LoginLocal(pin string) error { return t.login(pin, false) }

func (t *Token) login(pin string, backOff bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	dataKey, err := t.checkPINLocked(pin, backOff, "log in to the software token")
	if err != nil {
		return err
	}
	if t.dataKey != nil {
		clear(dataKey) // already logged in with the same key
		return nil
	}
	t.dataKey = dataKey
	t.keys = make(map[string]crypto.Signer)
	return nil
}

// checkPINLocked returns the data key pin unwraps, counting a wrong PIN and
// clearing the count on the right one. With backOff it refuses, before any
// key derivation, while the token is backing off.
func (t *Token) checkPINLocked(pin string, backOff bool, what string) ([]byte, error) {
	if !t.state.Initialized() {
		return nil, xroad.Errorf(xroad.CodeNotInitialized, errNotInitMsg)
	}
	if wait := t.state.RetryAfter(t.now()); backOff && wait > 0 {
		return nil, signer.ErrPINRetryLater(signer.SoftTokenName, wait)
	}
	dataKey, err := t.state.unwrapDataKey(pin)
	if errors.Is(err, errDecrypt) {
		t.state.FailedLogins++
		t.state.LastFailedLogin = t.now()
		return nil, errPINIncorrect(PINDelay(t.state.FailedLogins))
	}
	if err != nil {
		return nil, opFailed(what, err)
	}
	t.state.ClearFailures()
	return dataKey, nil
}

// errPINIncorrect is PIN_INCORRECT; wait, when positive, is the back-off
// this wrong PIN started.
func errPINIncorrect(wait time.Duration) *xroad.Error {
	e := signer.ErrPINIncorrect(signer.SoftTokenName).WithRetryAfter(wait)
	if wait > 0 {
		e.Message = fmt.Sprintf("The PIN of token %q is incorrect; after repeated wrong PINs the next one is checked in %d s",
			signer.SoftTokenName, e.RetryAfterSeconds())
	}
	return e
}

// Logout zeroes and forgets the data key and every decrypted private key.
// Zeroing is best effort: Go may have copied key material (for example
// into precomputed RSA values) where it cannot be reached.
func (t *Token) Logout() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.logoutLocked()
	return nil
}

func (t *Token) logoutLocked() {
	clear(t.dataKey)
	t.dataKey = nil
	for id, k := range t.keys {
		zeroPrivateKey(k)
		delete(t.keys, id)
	}
	t.keys = nil
}

// ChangePIN re-protects the token with newPIN after checking oldPIN, which
// goes through the same back-off as Login (a wrong oldPIN counts). Key
// blobs stay valid since only the data key is re-wrapped. The login state is
// unchanged. Persist State afterwards; the caller applies the PIN policy to
// newPIN beforehand.
func (t *Token) ChangePIN(oldPIN, newPIN string) error {
	if err := signer.ValidatePIN(newPIN, false); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	dataKey, err := t.checkPINLocked(oldPIN, true, "change the software token PIN")
	if err != nil {
		return err
	}
	defer clear(dataKey)
	st, err := wrapDataKey(newPIN, t.state.KDF, dataKey)
	if err != nil {
		return err
	}
	t.state = st
	return nil
}

// GenerateKey creates an RSA-2048 or EC P-256 key. The returned KeyInfo's
// Blob is the PKCS#8 private key encrypted under the token's data key, with
// the key id as additional data; the caller persists ID, Label, Algorithm
// and Blob.
func (t *Token) GenerateKey(alg xroad.KeyAlgorithm, label string) (signer.KeyInfo, error) {
	if err := signer.CheckAlgorithm(alg); err != nil {
		return signer.KeyInfo{}, err
	}
	if !t.LoggedIn() { // fail fast before the slow RSA key generation
		return signer.KeyInfo{}, signer.ErrNotLoggedIn(signer.SoftTokenName)
	}
	priv, err := generate(alg)
	if err != nil {
		return signer.KeyInfo{}, opFailed("generate a key", err)
	}
	idBytes := make([]byte, keyIDLen)
	if _, err := rand.Read(idBytes); err != nil {
		return signer.KeyInfo{}, opFailed("generate a key", err)
	}
	id := strings.ToUpper(hex.EncodeToString(idBytes))
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return signer.KeyInfo{}, opFailed("generate a key", err)
	}
	defer clear(der)

	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dataKey == nil { // logged out meanwhile
		zeroPrivateKey(priv)
		return signer.KeyInfo{}, signer.ErrNotLoggedIn(signer.SoftTokenName)
	}
	sealed, err := seal(t.dataKey, der, []byte(adKeyBlob+id))
	if err != nil {
		return signer.KeyInfo{}, opFailed("generate a key", err)
	}
	t.keys[id] = priv
	return signer.KeyInfo{
		ID:        id,
		Label:     label,
		Algorithm: alg,
		PublicKey: priv.Public(),
		Blob:      append([]byte{blobVersion}, sealed...),
	}, nil
}

// Seal encrypts a secret the server keeps beside its keys (an ACME account
// key, an external account binding's MAC key) under the token's data key,
// bound to purpose (Open must name the same). Like the private keys it
// survives PIN changes and needs the token logged in (TOKEN_NOT_ACTIVE).
func (t *Token) Seal(plaintext []byte, purpose string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dataKey == nil {
		return nil, signer.ErrNotLoggedIn(signer.SoftTokenName)
	}
	sealed, err := seal(t.dataKey, plaintext, []byte(adSecret+purpose))
	if err != nil {
		return nil, opFailed("encrypt a secret", err)
	}
	return append([]byte{blobVersion}, sealed...), nil
}

// Open decrypts what Seal sealed for purpose. Data sealed for another
// purpose or token, or damaged, fails with TOKEN_OPERATION_FAILED.
func (t *Token) Open(sealed []byte, purpose string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dataKey == nil {
		return nil, signer.ErrNotLoggedIn(signer.SoftTokenName)
	}
	if len(sealed) < 1 || sealed[0] != blobVersion {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "The stored secret (%s) was not sealed by the software token", purpose)
	}
	out, err := open(t.dataKey, sealed[1:], []byte(adSecret+purpose))
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed,
			"The stored secret (%s) cannot be decrypted: it belongs to another purpose or token, or is damaged", purpose).Wrap(err)
	}
	return out, nil
}

func generate(alg xroad.KeyAlgorithm) (crypto.Signer, error) {
	if alg == xroad.AlgorithmRSA {
		return rsa.GenerateKey(rand.Reader, signer.RSAKeyBits)
	}
	return ecdsa.GenerateKey(signer.ECCurve(), rand.Reader)
}

// Signer returns a signer for a key made by GenerateKey (ID and Blob are
// required; PublicKey and Algorithm, when set, must match the blob). The
// signer works while the token is logged in and fails with TOKEN_NOT_ACTIVE
// otherwise. A blob of another key or token gives TOKEN_OPERATION_FAILED.
func (t *Token) Signer(key signer.KeyInfo) (crypto.Signer, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	priv, err := t.privateKeyLocked(key)
	if err != nil {
		return nil, err
	}
	if key.PublicKey != nil {
		if eq, ok := key.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(priv.Public()) {
			return nil, keyMismatch(key.ID, "public key")
		}
	}
	if key.Algorithm != "" {
		if alg, err := signer.AlgorithmOf(priv.Public()); err != nil || alg != key.Algorithm {
			return nil, keyMismatch(key.ID, "algorithm")
		}
	}
	return &keySigner{tok: t, key: key, pub: priv.Public()}, nil
}

// privateKeyLocked returns the decrypted private key of key, decrypting and
// caching it on first use.
func (t *Token) privateKeyLocked(key signer.KeyInfo) (crypto.Signer, error) {
	if t.dataKey == nil {
		return nil, signer.ErrNotLoggedIn(signer.SoftTokenName)
	}
	if priv, ok := t.keys[key.ID]; ok {
		return priv, nil
	}
	if key.ID == "" || len(key.Blob) < 1 || key.Blob[0] != blobVersion {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed,
			"Key %q has no usable private key data; it was not created by the software token", key.ID)
	}
	der, err := open(t.dataKey, key.Blob[1:], []byte(adKeyBlob+key.ID))
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed,
			"The private key of key %q cannot be decrypted: the stored data belongs to another key or token, or is damaged", key.ID).Wrap(err)
	}
	defer clear(der)
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, opFailed("read the private key of key "+key.ID, err)
	}
	priv, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, opFailed("read the private key of key "+key.ID, fmt.Errorf("unexpected key type %T", parsed))
	}
	t.keys[key.ID] = priv
	return priv, nil
}

func keyMismatch(id, what string) *xroad.Error {
	return xroad.Errorf(xroad.CodeTokenOperationFailed,
		"The stored %s of key %q does not match its private key; the key data is inconsistent", what, id)
}

// String describes the token without key material.
func (t *Token) String() string {
	return fmt.Sprintf("softtoken.Token{id: %s, status: %s, loggedIn: %v}", t.ID(), t.Status(), t.LoggedIn())
}

// GoString is String, so %#v does not dump key material.
func (t *Token) GoString() string { return t.String() }

// keySigner signs with one key of the token while the token is logged in.
type keySigner struct {
	tok *Token
	key signer.KeyInfo
	pub crypto.PublicKey
}

func (s *keySigner) Public() crypto.PublicKey { return s.pub }

// Sign signs digest like the private key's own Sign (ECDSA: ASN.1 DER; RSA:
// PKCS#1 v1.5, or PSS when opts is *rsa.PSSOptions).
func (s *keySigner) Sign(rnd io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.tok.mu.Lock()
	defer s.tok.mu.Unlock()
	priv, err := s.tok.privateKeyLocked(s.key)
	if err != nil {
		return nil, err
	}
	return priv.Sign(rnd, digest, opts)
}

func (s *keySigner) String() string { return "softtoken signer for key " + s.key.ID }

// zeroPrivateKey overwrites the secret numbers of a private key in place.
func zeroPrivateKey(k crypto.Signer) {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		zeroInt(k.D)
		for _, p := range k.Primes {
			zeroInt(p)
		}
		zeroInt(k.Precomputed.Dp)
		zeroInt(k.Precomputed.Dq)
		zeroInt(k.Precomputed.Qinv)
	case *ecdsa.PrivateKey:
		//lint:ignore SA1019 overwriting the secret scalar on logout is the point; the key is never used again
		zeroInt(k.D)
	}
}

func zeroInt(x *big.Int) {
	if x != nil {
		clear(x.Bits())
		x.SetInt64(0)
	}
}

// adSealedLogin binds a sealed login to its purpose; the token's wrapped
// data key is appended, so a sealed login opens only for the token (and
// PIN) it was made for.
const adSealedLogin = "roadreg/softtoken/sealed-login/v1:"

// SealLogin returns the data key of the logged-in token encrypted under
// key (32 bytes, AES-256-GCM), for another process holding the same key to
// log in with LoginSealed without the PIN. It fails with TOKEN_NOT_ACTIVE
// when the token is logged out.
func (t *Token) SealLogin(key []byte) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dataKey == nil {
		return nil, signer.ErrNotLoggedIn(signer.SoftTokenName)
	}
	sealed, err := seal(key, t.dataKey, append([]byte(adSealedLogin), t.state.WrappedKey...))
	if err != nil {
		return nil, opFailed("share the software token's login", err)
	}
	return sealed, nil
}

// LoginSealed logs in with a login SealLogin sealed under key. A sealed
// login made with another key, for another token or before the PIN was
// changed does not open and gives TOKEN_OPERATION_FAILED; the wrong-PIN
// count is not touched.
func (t *Token) LoginSealed(key, sealed []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.state.Initialized() {
		return xroad.Errorf(xroad.CodeNotInitialized, errNotInitMsg)
	}
	dataKey, err := open(key, sealed, append([]byte(adSealedLogin), t.state.WrappedKey...))
	if err != nil || len(dataKey) != keyLen {
		return xroad.Errorf(xroad.CodeTokenOperationFailed, "The shared login of the software token does not open with this key; log in with the PIN").Wrap(err)
	}
	if t.dataKey != nil {
		clear(dataKey)
		return nil
	}
	t.dataKey = dataKey
	t.keys = make(map[string]crypto.Signer)
	return nil
}
