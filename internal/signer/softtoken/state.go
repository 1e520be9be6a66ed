package softtoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The token keeps one random 256-bit data key. Key blobs are encrypted with
// it (AES-256-GCM); the data key itself is stored in State encrypted with a
// key derived from the PIN (argon2id → AES-256-GCM). A wrong PIN fails GCM
// authentication of the wrapped data key, which is how Login tells it apart.
// Changing the PIN only re-wraps the data key; key blobs stay as they are.

const (
	stateVersion = 1
	keyLen       = 32 // AES-256
	saltLen      = 16
	// wrappedKeyLen is nonce ‖ AES-GCM(data key) ‖ tag.
	wrappedKeyLen = 12 + keyLen + 16

	// Additional data binding each ciphertext to its purpose.
	adWrappedKey = "roadreg/softtoken/data-key/v1"
	adKeyBlob    = "roadreg/softtoken/private-key/v1:" // + key id
	adSecret     = "roadreg/softtoken/secret/v1:"      // + purpose
)

// Wrong PINs slow the token down; they never lock it and never log it out.
// The first FreePINAttempts consecutive wrong PINs cost nothing; after each
// further one the token refuses every PIN for a while, FirstPINDelay after
// the first of them and twice as long after each next one, up to
// MaxPINDelay: 1 s, 2 s, 4 s … 512 s, then 15 min. A refusal checks no PIN,
// so it costs no argon2id work either. The right PIN resets the count. The
// count and the time of the last wrong PIN are part of State, so a restart
// does not reset them; State.ClearFailures does (roadreg token unlock).
const (
	FreePINAttempts = 3
	FirstPINDelay   = time.Second
	MaxPINDelay     = 15 * time.Minute
)

// PINDelay is how long the token refuses PINs after the n-th consecutive
// wrong PIN (0 while n is at most FreePINAttempts).
func PINDelay(n int) time.Duration {
	shift := n - FreePINAttempts - 1
	switch {
	case shift < 0:
		return 0
	case shift >= 30: // 2^30 s is far beyond MaxPINDelay; no overflow
		return MaxPINDelay
	}
	return min(FirstPINDelay<<shift, MaxPINDelay)
}

// KDFParams are the argon2id parameters that turn the PIN into the key that
// wraps the token's data key. They are stored in State so they can change.
type KDFParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// DefaultKDFParams returns the parameters Initialize uses: one pass over
// 46 MiB in one lane, the first of the equivalent argon2id configurations
// OWASP's Password Storage Cheat Sheet recommends (m=47104, t=1, p=1).
// The token's state records the parameters it was made with, so raising
// them (roadreg serve --softtoken-kdf) affects new tokens only and
// existing ones keep working.
func DefaultKDFParams() KDFParams {
	return KDFParams{Time: 1, MemoryKiB: 46 * 1024, Threads: 1}
}

// String formats p in the PHC string format's notation, "m=47104,t=1,p=1"
// (memory in KiB, passes, lanes); ParseKDFParams reads it back.
func (p KDFParams) String() string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.MemoryKiB, p.Time, p.Threads)
}

// ParseKDFParams reads argon2id parameters written as String writes them
// (the three in any order) and checks that argon2 can use them.
func ParseKDFParams(s string) (KDFParams, error) {
	var p KDFParams
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || seen[k] {
			return KDFParams{}, fmt.Errorf("argon2id parameters %q: want m=<KiB>,t=<passes>,p=<lanes>", s)
		}
		seen[k] = true
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return KDFParams{}, fmt.Errorf("argon2id parameters %q: %s is not a number", s, k)
		}
		switch k {
		case "m":
			p.MemoryKiB = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return KDFParams{}, fmt.Errorf("argon2 threads %d outside 1..16", n)
			}
			p.Threads = uint8(n)
		default:
			return KDFParams{}, fmt.Errorf("argon2id parameters %q: unknown parameter %q (want m, t and p)", s, k)
		}
	}
	if len(seen) != 3 {
		return KDFParams{}, fmt.Errorf("argon2id parameters %q: want m=<KiB>,t=<passes>,p=<lanes>", s)
	}
	return p, p.validate()
}

// validate rejects parameters that argon2 cannot use or that would exhaust
// the machine (a damaged or tampered state must not trigger a huge
// allocation).
func (p KDFParams) validate() error {
	switch {
	case p.Time < 1 || p.Time > 16:
		return fmt.Errorf("argon2 time %d outside 1..16", p.Time)
	case p.Threads < 1 || p.Threads > 16:
		return fmt.Errorf("argon2 threads %d outside 1..16", p.Threads)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > 1<<20:
		return fmt.Errorf("argon2 memory %d KiB outside %d..%d", p.MemoryKiB, 8*uint32(p.Threads), 1<<20)
	}
	return nil
}

func (p KDFParams) derive(pin string, salt []byte) []byte {
	pw := []byte(pin)
	defer clear(pw)
	return argon2.IDKey(pw, salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
}

// State is the persistent state of the software token. The caller stores
// it (MarshalBinary) as a sensitive field and stores it again after every
// Login, since the wrong-PIN count changes. It holds no secret in the
// clear: the data key is encrypted under the PIN-derived key.
type State struct {
	Version int       `json:"version"`
	KDF     KDFParams `json:"kdf"`
	Salt    []byte    `json:"salt"`
	// WrappedKey is the data key encrypted under the PIN-derived key.
	WrappedKey []byte `json:"wrapped_key"`
	// FailedLogins counts consecutive wrong PINs.
	FailedLogins int `json:"failed_logins"`
	// LastFailedLogin is when the last of them was entered; the delay
	// PINDelay(FailedLogins) runs from here.
	LastFailedLogin time.Time `json:"last_failed_login,omitzero"`
}

// RetryAfter is how long after now the token still refuses PINs (0: it
// checks the next PIN). A last wrong PIN later than now (the clock was set
// back) delays nothing, so a clock change cannot lock the token.
func (s State) RetryAfter(now time.Time) time.Duration {
	d := PINDelay(s.FailedLogins)
	if d == 0 || now.Before(s.LastFailedLogin) {
		return 0
	}
	return max(s.LastFailedLogin.Add(d).Sub(now), 0)
}

// Failures is a state's record of wrong PINs at some moment.
type Failures struct {
	// Count is the number of consecutive wrong PINs.
	Count int
	// RetryAfter is how much longer the token refuses PINs.
	RetryAfter time.Duration
}

// FailuresAt returns the record of wrong PINs at now.
func (s State) FailuresAt(now time.Time) Failures {
	return Failures{Count: s.FailedLogins, RetryAfter: s.RetryAfter(now)}
}

// ClearFailures forgets the wrong PINs: the next PIN is checked at once and
// the status is OK again.
func (s *State) ClearFailures() {
	s.FailedLogins, s.LastFailedLogin = 0, time.Time{}
}

// Initialized reports whether s is the state of an initialised token (the
// zero State is not).
func (s State) Initialized() bool { return s.Version != 0 }

// Initialize creates the state of a new software token protected by pin,
// using DefaultKDFParams. It checks the PIN's characters (signer.ValidatePIN
// without policy); the caller enforces the PIN policy when it is on.
func Initialize(pin string) (State, error) {
	return InitializeWith(pin, DefaultKDFParams())
}

// InitializeWith is Initialize with explicit argon2id parameters (cheaper
// ones for tests, costlier ones for production tuning).
func InitializeWith(pin string, p KDFParams) (State, error) {
	st, dataKey, err := initialize(pin, p)
	clear(dataKey)
	return st, err
}

// initialize makes a new state protected by pin and returns it with its
// data key (which the caller zeroes or keeps while logged in).
func initialize(pin string, p KDFParams) (State, []byte, error) {
	if err := signer.ValidatePIN(pin, false); err != nil {
		return State{}, nil, err
	}
	if err := p.validate(); err != nil {
		return State{}, nil, xroad.Errorf(xroad.CodeInternal, "Software token parameters are invalid").Wrap(err)
	}
	dataKey := make([]byte, keyLen)
	if _, err := rand.Read(dataKey); err != nil {
		return State{}, nil, opFailed("initialise the software token", err)
	}
	st, err := wrapDataKey(pin, p, dataKey)
	if err != nil {
		clear(dataKey)
		return State{}, nil, err
	}
	return st, dataKey, nil
}

// wrapDataKey returns a fresh state (new salt) holding dataKey under pin.
func wrapDataKey(pin string, p KDFParams, dataKey []byte) (State, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return State{}, opFailed("initialise the software token", err)
	}
	kek := p.derive(pin, salt)
	defer clear(kek)
	wrapped, err := seal(kek, dataKey, []byte(adWrappedKey))
	if err != nil {
		return State{}, opFailed("initialise the software token", err)
	}
	return State{Version: stateVersion, KDF: p, Salt: salt, WrappedKey: wrapped}, nil
}

// unwrapDataKey returns the data key, or errWrongPIN.
func (s State) unwrapDataKey(pin string) ([]byte, error) {
	kek := s.KDF.derive(pin, s.Salt)
	defer clear(kek)
	return open(kek, s.WrappedKey, []byte(adWrappedKey))
}

// MarshalBinary encodes the state (JSON).
func (s State) MarshalBinary() ([]byte, error) { return json.Marshal(s) }

// UnmarshalBinary decodes and checks a state written by MarshalBinary.
func (s *State) UnmarshalBinary(data []byte) error {
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("software token state: %w", err)
	}
	if err := st.validate(); err != nil {
		return fmt.Errorf("software token state: %w", err)
	}
	*s = st
	return nil
}

func (s State) validate() error {
	switch {
	case s.Version != stateVersion:
		return fmt.Errorf("unsupported version %d", s.Version)
	case len(s.Salt) < saltLen:
		return errors.New("salt too short")
	case len(s.WrappedKey) != wrappedKeyLen:
		return errors.New("wrapped key has the wrong length")
	case s.FailedLogins < 0:
		return errors.New("negative failed-login count")
	}
	return s.KDF.validate()
}

// String describes the state without its key material.
func (s State) String() string {
	last := "never"
	if !s.LastFailedLogin.IsZero() {
		last = s.LastFailedLogin.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("softtoken.State{version: %d, kdf: argon2id t=%d m=%dKiB p=%d, failed logins: %d, last: %s}",
		s.Version, s.KDF.Time, s.KDF.MemoryKiB, s.KDF.Threads, s.FailedLogins, last)
}

// GoString is String, so %#v does not dump the salt and wrapped key either.
func (s State) GoString() string { return s.String() }

var errDecrypt = errors.New("authentication failed")

// seal encrypts plaintext with AES-256-GCM under key: nonce ‖ ciphertext.
func seal(key, plaintext, ad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plaintext, ad), nil
}

// open reverses seal; any mismatch (key, additional data, tampering) gives
// errDecrypt.
func open(key, sealed, ad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, errDecrypt
	}
	n := aead.NonceSize()
	out, err := aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, errDecrypt
	}
	return out, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func opFailed(what string, err error) *xroad.Error {
	return xroad.Errorf(xroad.CodeTokenOperationFailed, "Could not %s; see the server log", what).Wrap(err)
}
