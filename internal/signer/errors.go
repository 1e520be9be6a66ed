package signer

import (
	"github.com/roadreg/roadreg/internal/xroad"
)

// ErrPINIncorrect returns the PIN_INCORRECT error for token name.
func ErrPINIncorrect(name string) *xroad.Error {
	return xroad.Errorf(xroad.CodePinIncorrect, "The PIN of token %q is incorrect; check it and try again", name).WithField("pin")
}

// ErrPINLocked returns the TOKEN_PIN_LOCKED error for token name.
func ErrPINLocked(name string) *xroad.Error {
	return xroad.Errorf(CodeTokenPinLocked, "The PIN of token %q is locked after too many wrong attempts; an administrator must unlock or re-initialise the token", name)
}

// ErrNotLoggedIn returns the TOKEN_NOT_ACTIVE error for token name.
func ErrNotLoggedIn(name string) *xroad.Error {
	return xroad.Errorf(xroad.CodeTokenNotActive, "Token %q is not logged in; log in with its PIN first", name)
}

// ErrKeyNotFound returns the KEY_NOT_FOUND error for key id on token name.
func ErrKeyNotFound(name, id string) *xroad.Error {
	return xroad.Errorf(xroad.CodeKeyNotFound, "Key %q was not found on token %q", id, name)
}
