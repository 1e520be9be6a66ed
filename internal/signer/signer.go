// Package signer defines the key stores ("tokens") a security or central
// server signs with: the PIN-protected software token (package softtoken) and
// PKCS#11 tokens (package pkcs11token) sit behind one Token interface and hand
// out standard crypto.Signer values.
//
// The package knows nothing about persistence: token state and key blobs are
// byte slices the caller stores; keys are identified by KeyInfo.ID.
package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Token is one key store: the software token or one PKCS#11 token.
type Token interface {
	// ID is stable across restarts: "0" for the software token,
	// "<module>-<serial>-<label>-<slot>" for a PKCS#11 token.
	ID() string
	// Name is the friendly name: "softToken-0" or the PKCS#11 token label.
	Name() string
	// Type tells software from hardware (PKCS#11) tokens.
	Type() xroad.TokenType
	// Available reports whether the token can be used at all (initialised,
	// device present).
	Available() bool
	// LoggedIn reports whether the PIN has been entered.
	LoggedIn() bool
	// Status is X-Road's TokenStatus, one of the Status* constants.
	Status() string
	// Login enters the user PIN. A wrong PIN gives PIN_INCORRECT.
	Login(pin string) error
	// Logout forgets the login; signers handed out before stop working.
	Logout() error
	// GenerateKey creates a key pair (RSA 2048 or EC P-256) with the given
	// label. The token must be logged in.
	GenerateKey(alg xroad.KeyAlgorithm, label string) (KeyInfo, error)
	// Signer returns a signer for a key of this token. The token must be
	// logged in, and the signer fails once the token is logged out.
	Signer(key KeyInfo) (crypto.Signer, error)
}

// KeyLister is implemented by tokens that can enumerate the keys they hold
// (PKCS#11 tokens; the software token's keys live in the caller's database).
type KeyLister interface {
	// Keys lists the key pairs on the token.
	Keys() ([]KeyInfo, error)
	// FindKey returns the key with the given hex ID or KEY_NOT_FOUND.
	FindKey(id string) (KeyInfo, error)
}

// PINChanger is implemented by tokens whose user PIN Roadreg can change
// (X-Road's "change token PIN"): the software token re-wraps its data key, a
// PKCS#11 token calls C_SetPIN. A wrong old PIN gives PIN_INCORRECT.
type PINChanger interface {
	ChangePIN(oldPIN, newPIN string) error
}

// KeyDeleter is implemented by tokens that hold their keys themselves
// (PKCS#11 tokens; the software token's keys live in the caller's
// database, which deletes them).
type KeyDeleter interface {
	// DeleteKey destroys the key pair with the given id (and certificates
	// stored on the token under the same id). A key that is not on the token
	// is no error. The token must be logged in.
	DeleteKey(id string) error
}

// KeyInfo describes one key pair of a token.
type KeyInfo struct {
	// ID is the key id as upper-case hex (PKCS#11 CKA_ID; software token: 20
	// random bytes).
	ID        string
	Label     string
	Algorithm xroad.KeyAlgorithm
	PublicKey crypto.PublicKey
	// Blob is what the caller must persist for software-token keys (the
	// private key encrypted under the token's PIN-protected key); nil for
	// PKCS#11 keys, which stay on the token.
	Blob []byte
}

// X-Road TokenStatus values (the security server's REST API).
const (
	StatusOK             = "OK"
	StatusPINIncorrect   = "USER_PIN_INCORRECT"
	StatusPINLocked      = "USER_PIN_LOCKED"
	StatusPINCountLow    = "USER_PIN_COUNT_LOW"
	StatusPINFinalTry    = "USER_PIN_FINAL_TRY"
	StatusPINExpired     = "USER_PIN_EXPIRED"
	StatusNotInitialized = "NOT_INITIALIZED"
)

// Software token identity (UG-SS, software token).
const (
	SoftTokenID   = "0"
	SoftTokenName = "softToken-0"
)

// Key sizes X-Road uses by default (UC-SS SS_28, UG-SYSPAR).
const (
	RSAKeyBits = 2048
)

// ECCurve is the elliptic curve of generated EC keys (secp256r1).
func ECCurve() elliptic.Curve { return elliptic.P256() }

// AlgorithmOf returns the key algorithm of a public key, or an error for key
// types X-Road does not use.
func AlgorithmOf(pub crypto.PublicKey) (xroad.KeyAlgorithm, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return xroad.AlgorithmRSA, nil
	case *ecdsa.PublicKey:
		return xroad.AlgorithmEC, nil
	}
	return "", fmt.Errorf("unsupported public key type %T", pub)
}

// CheckAlgorithm returns BAD_USER_INPUT unless alg is RSA or EC.
func CheckAlgorithm(alg xroad.KeyAlgorithm) error {
	switch alg {
	case xroad.AlgorithmRSA, xroad.AlgorithmEC:
		return nil
	}
	return xroad.BadInput("algorithm", "Key algorithm %q is not supported; use RSA or EC", string(alg))
}
