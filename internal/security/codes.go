package security

// Error codes this package adds to those of internal/xroad.
const (
	// CodeTokenNotAvailable: the token is not present (a PKCS#11 token was
	// removed or its module is not configured any more), X-Road's
	// token_not_available.
	CodeTokenNotAvailable = "TOKEN_NOT_AVAILABLE"
)
