package signer

import (
	"fmt"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// ErrPINIncorrect returns the PIN_INCORRECT error for token name.
func ErrPINIncorrect(name string) *xroad.Error {
	return xroad.Errorf(xroad.CodePinIncorrect, "The PIN of token %q is incorrect; check it and try again", name).WithField("pin")
}

// ErrPINLocked returns the TOKEN_PIN_LOCKED error for token name, a
// hardware token whose device locked the user PIN.
func ErrPINLocked(name string) *xroad.Error {
	return xroad.Errorf(CodeTokenPinLocked, "The PIN of token %q is locked by the token after too many wrong attempts; unlock it with the token's own tools (its security officer PIN)", name)
}

// ErrPINRetryLater returns the TOKEN_PIN_RETRY_LATER error for token name:
// after repeated wrong PINs no PIN is checked until wait has passed.
func ErrPINRetryLater(name string, wait time.Duration) *xroad.Error {
	e := &xroad.Error{Code: CodeTokenPinRetryLater, RetryAfter: wait}
	e.Message = fmt.Sprintf("Too many wrong PINs for token %q: try again in %d s (the PIN was not checked)", name, e.RetryAfterSeconds())
	return e
}

// ErrNotLoggedIn returns the TOKEN_NOT_ACTIVE error for token name.
func ErrNotLoggedIn(name string) *xroad.Error {
	return xroad.Errorf(xroad.CodeTokenNotActive, "Token %q is not logged in; log in with its PIN first", name)
}

// ErrKeyNotFound returns the KEY_NOT_FOUND error for key id on token name.
func ErrKeyNotFound(name, id string) *xroad.Error {
	return xroad.Errorf(xroad.CodeKeyNotFound, "Key %q was not found on token %q", id, name)
}
