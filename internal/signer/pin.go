package signer

import (
	"strconv"

	"github.com/roadreg/roadreg/internal/xroad"
)

// PIN policy (UG-SYSPAR, token PIN policy), applied when the server enforces it.
const (
	PINMinLength           = 10
	PINMinCharClassesCount = 3
)

// ValidatePIN checks a new token PIN. Every PIN must be non-empty printable
// ASCII (32..126), else BAD_USER_INPUT. With enforcePolicy it must also be at
// least PINMinLength characters long and use at least PINMinCharClassesCount
// of lower-case letters, upper-case letters, digits and other characters,
// else TOKEN_WEAK_PIN with the policy in its metadata.
func ValidatePIN(pin string, enforcePolicy bool) error {
	if pin == "" {
		return xroad.BadInput("pin", "PIN is required")
	}
	var lower, upper, digit, special bool
	for i := 0; i < len(pin); i++ {
		switch c := pin[i]; {
		case c < 32 || c > 126:
			return xroad.BadInput("pin", "PIN contains invalid characters; use printable ASCII characters only")
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		default:
			special = true
		}
	}
	if !enforcePolicy {
		return nil
	}
	classes := 0
	for _, present := range []bool{lower, upper, digit, special} {
		if present {
			classes++
		}
	}
	if len(pin) < PINMinLength || classes < PINMinCharClassesCount {
		return xroad.Errorf(xroad.CodeTokenWeakPin,
			"PIN is too weak: use at least %d characters from at least %d of: lower-case letters, upper-case letters, digits, special characters",
			PINMinLength, PINMinCharClassesCount).
			WithField("pin").
			WithMetadata("pin_min_length", strconv.Itoa(PINMinLength), "pin_min_char_classes_count", strconv.Itoa(PINMinCharClassesCount))
	}
	return nil
}
