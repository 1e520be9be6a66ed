package signer

// Error codes this package adds to those in internal/xroad.
const (
	// CodeTokenPinLocked: the token's user PIN is locked after too many wrong
	// PINs; login is refused even with the right PIN.
	CodeTokenPinLocked = "TOKEN_PIN_LOCKED"
)
