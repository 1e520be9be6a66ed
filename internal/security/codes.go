package security

// Error codes this package adds to those of internal/xroad.
const (
	// CodeTokenNotAvailable: the token is not present (a PKCS#11 token was
	// removed or its module is not configured any more), X-Road's
	// token_not_available.
	CodeTokenNotAvailable = "TOKEN_NOT_AVAILABLE"
)

// Reasons the renewal job records for a failed attempt (audit log and the
// certificate's renewal state; never returned to a caller).
const (
	// CodeRenewalDeclined: the central server declined the registration of
	// a renewed authentication certificate.
	CodeRenewalDeclined = "RENEWAL_DECLINED"
	// CodeRenewalFailed: the renewed certificate cannot be used.
	CodeRenewalFailed = "RENEWAL_FAILED"
)
