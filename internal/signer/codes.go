package signer

// Error codes this package adds to those in internal/xroad.
const (
	// CodeTokenPinLocked: the token's user PIN is locked after too many wrong
	// PINs; login is refused even with the right PIN. Only PKCS#11 tokens
	// lock (by the device's own policy); X-Road's name is token_pin_locked.
	CodeTokenPinLocked = "TOKEN_PIN_LOCKED"
	// CodeTokenPinRetryLater: the software token refuses PINs for a while
	// after repeated wrong ones; extensions.retryAfter says how long. The
	// PIN was not checked.
	CodeTokenPinRetryLater = "TOKEN_PIN_RETRY_LATER"
)
