//go:build cgo

package pkcs11token

import (
	"errors"
	"fmt"
	"testing"

	"github.com/miekg/pkcs11"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The results of C_Login that SoftHSM2 cannot produce (it never locks a PIN
// and reports every wrong one as CKR_PIN_INCORRECT) map to the same codes
// as the software token's, or to X-Road's token_pin_locked.
func TestLoginResult(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		outcome pinOutcome
		code    string
	}{
		{"logged in", nil, pinAccepted, ""},
		{"already logged in", pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN), pinAccepted, ""},
		{"wrong PIN", pkcs11.Error(pkcs11.CKR_PIN_INCORRECT), pinWrong, xroad.CodePinIncorrect},
		{"malformed PIN", pkcs11.Error(pkcs11.CKR_PIN_INVALID), pinWrong, xroad.CodePinIncorrect},
		{"PIN of the wrong length", pkcs11.Error(pkcs11.CKR_PIN_LEN_RANGE), pinWrong, xroad.CodePinIncorrect},
		{"wrapped wrong PIN", fmt.Errorf("login: %w", pkcs11.Error(pkcs11.CKR_PIN_INCORRECT)), pinWrong, xroad.CodePinIncorrect},
		{"locked PIN", pkcs11.Error(pkcs11.CKR_PIN_LOCKED), pinLocked, signer.CodeTokenPinLocked},
		{"expired PIN", pkcs11.Error(pkcs11.CKR_PIN_EXPIRED), pinExpired, xroad.CodeTokenOperationFailed},
		{"no user PIN", pkcs11.Error(pkcs11.CKR_USER_PIN_NOT_INITIALIZED), pinNotSet, xroad.CodeNotInitialized},
		{"device removed", pkcs11.Error(pkcs11.CKR_DEVICE_REMOVED), pinOther, ""},
		{"not a PKCS#11 error", errors.New("boom"), pinOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outcome, xerr := loginResult("hsm", tt.err)
			if outcome != tt.outcome {
				t.Errorf("outcome = %d, want %d", outcome, tt.outcome)
			}
			var err error
			if xerr != nil {
				err = xerr
			}
			if got := xroad.CodeOf(err); got != tt.code {
				t.Errorf("code = %q, want %q (%v)", got, tt.code, err)
			}
			if xerr != nil && xerr.RetryAfter != 0 {
				t.Errorf("a PKCS#11 token has no back-off, got retryAfter %s", xerr.RetryAfter)
			}
		})
	}
}
