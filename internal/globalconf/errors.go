package globalconf

import (
	"errors"
	"fmt"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Reasons for a failed download, parse or verification. Errors returned by
// this package are *xroad.Error values whose Code is one of
// xroad.CodeGlobalConfDownload, xroad.CodeGlobalConfVerification,
// xroad.CodeGlobalConfOutdated or xroad.CodeMalformedAnchor; the finer reason
// is in their chain, so callers test it with errors.Is(err, ErrBadSignature).
var (
	// ErrUnreachable: no configuration source answered with a directory.
	ErrUnreachable = errors.New("configuration source unreachable")
	// ErrExpired: the directory's Expire-date has passed.
	ErrExpired = errors.New("configuration expired")
	// ErrUnknownVerificationCert: no trusted certificate matches Verification-certificate-hash.
	ErrUnknownVerificationCert = errors.New("unknown verification certificate")
	// ErrBadSignature: the directory signature does not verify.
	ErrBadSignature = errors.New("bad directory signature")
	// ErrHashMismatch: a downloaded part does not match its hash in the directory.
	ErrHashMismatch = errors.New("content hash mismatch")
	// ErrWrongInstance: a part or directory belongs to another X-Road instance.
	ErrWrongInstance = errors.New("wrong instance identifier")
	// ErrMissingPart: a required part (shared or private parameters) is not listed.
	ErrMissingPart = errors.New("required configuration part missing")
	// ErrMissingField: the directory lacks a header field it must have
	// (Expire-date, Content-location, …) or a parameter of one (instance,
	// hash-algorithm-id); the error's Metadata names them.
	ErrMissingField = errors.New("required field missing")
	// ErrMalformed: the directory, a parameters file or an anchor cannot be parsed.
	ErrMalformed = errors.New("malformed content")
	// ErrUnsupportedAlgorithm: a hash or signature algorithm id is not supported.
	ErrUnsupportedAlgorithm = errors.New("unsupported algorithm")
	// ErrTooLarge: a body or document exceeds its size limit.
	ErrTooLarge = errors.New("content too large")
	// ErrReplayed: the directory is one a newer configuration already
	// replaced (a replay or a stale source).
	ErrReplayed = errors.New("replayed configuration")
)

// fail builds an *xroad.Error with code and a human message whose chain holds
// reason and, when not nil, the underlying cause.
func fail(code string, reason, cause error, format string, args ...any) *xroad.Error {
	chain := reason
	if cause != nil {
		chain = fmt.Errorf("%w: %w", reason, cause)
	}
	return xroad.Errorf(code, format, args...).Wrap(chain)
}

// malformed is a GLOBAL_CONF_VERIFICATION_FAILED error for unparsable content.
func malformed(cause error, format string, args ...any) *xroad.Error {
	reason := ErrMalformed
	if errors.Is(cause, ErrTooLarge) {
		reason = ErrTooLarge
	}
	return fail(xroad.CodeGlobalConfVerification, reason, cause, format, args...)
}
