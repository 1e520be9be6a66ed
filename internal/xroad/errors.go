// Package xroad holds what both server roles share: X-Road identifiers, error
// codes and the domain error type that graph/errors.go turns into GraphQL
// errors with extensions.code.
package xroad

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. X-Road's own codes are upper-cased (X-Road's REST API error
// codes); the generic ones are Roadreg's (docs/DESIGN-NOTES.md, "Errors").
const (
	CodeUnauthenticated  = "UNAUTHENTICATED"
	CodeForbidden        = "FORBIDDEN"
	CodeNotFound         = "NOT_FOUND"
	CodeBadUserInput     = "BAD_USER_INPUT"
	CodeWrongServerRole  = "WRONG_SERVER_ROLE"
	CodeInternal         = "INTERNAL"
	CodeWarningsDetected = "WARNINGS_DETECTED"
	CodeConflict         = "CONFLICT"
	CodeNotInitialized   = "NOT_INITIALIZED"
	CodeAlreadyInit      = "ALREADY_INITIALIZED"

	// Security server.
	CodeAnchorNotFound                 = "ANCHOR_NOT_FOUND"
	CodeMalformedAnchor                = "MALFORMED_ANCHOR"
	CodeAnchorUpload                   = "ANCHOR_UPLOAD_FAILED"
	CodeInvalidInitParams              = "INVALID_INIT_PARAMS"
	CodeTokenWeakPin                   = "TOKEN_WEAK_PIN"
	CodePinIncorrect                   = "PIN_INCORRECT"
	CodeTokenNotFound                  = "TOKEN_NOT_FOUND"
	CodeTokenNotActive                 = "TOKEN_NOT_ACTIVE"
	CodeGlobalConfOutdated             = "GLOBAL_CONF_OUTDATED"
	CodeGlobalConfDownload             = "GLOBAL_CONF_DOWNLOAD_FAILED"
	CodeGlobalConfVerification         = "GLOBAL_CONF_VERIFICATION_FAILED"
	CodeInvalidCertificate             = "INVALID_CERTIFICATE"
	CodeWrongCertUsage                 = "WRONG_CERT_USAGE"
	CodeWrongKeyUsage                  = "WRONG_KEY_USAGE"
	CodeKeyNotFound                    = "KEY_NOT_FOUND"
	CodeCertExists                     = "CERT_EXISTS"
	CodeCertNotFromApprovedCA          = "CERT_NOT_FROM_APPROVED_CA"
	CodeCertNotValid                   = "CERT_NOT_VALID"
	CodeClientNotFound                 = "CLIENT_NOT_FOUND"
	CodeActionNotPossible              = "ACTION_NOT_POSSIBLE"
	CodeTimestampingServiceNotFound    = "TIMESTAMPING_SERVICE_NOT_FOUND"
	CodeTimestampingServiceExists      = "TIMESTAMPING_SERVICE_EXISTS"
	CodeCertificateAuthorityNotFound   = "CERTIFICATE_AUTHORITY_NOT_FOUND"
	CodeInvalidDistinguishedName       = "INVALID_DISTINGUISHED_NAME"
	CodeNoSuitableCertificates         = "NO_SUITABLE_CERTIFICATES"
	CodeRegistrationFailed             = "REGISTRATION_FAILED"
	CodeOcspVerificationFailed         = "OCSP_VERIFICATION_FAILED"
	CodeTokenOperationFailed           = "TOKEN_OPERATION_FAILED"
	CodeManagementRequestSendFailed    = "MANAGEMENT_REQUEST_SEND_FAILED"
	CodeSecurityServerNotInitialized   = "SERVER_NOT_INITIALIZED"
	CodeCentralServerNotInitialized    = "CENTRAL_SERVER_NOT_INITIALIZED"
	CodeInvalidInstanceIdentifier      = "INVALID_INSTANCE_IDENTIFIER"
	CodeInvalidAddress                 = "INVALID_ADDRESS"
	CodeInvalidIdentifier              = "INVALID_IDENTIFIER"
	CodeTimestampingServiceUnreachable = "TIMESTAMPING_SERVICE_UNREACHABLE"
	CodeCertificateNotFound            = "CERTIFICATE_NOT_FOUND"
	CodeCsrNotFound                    = "CSR_NOT_FOUND"

	// Central server.
	CodeMemberExists                               = "MEMBER_EXISTS"
	CodeMemberClassExists                          = "MEMBER_CLASS_EXISTS"
	CodeMemberClassNotFound                        = "MEMBER_CLASS_NOT_FOUND"
	CodeMemberNotFound                             = "MEMBER_NOT_FOUND"
	CodeManagementRequestExists                    = "MANAGEMENT_REQUEST_EXISTS"
	CodeManagementRequestSecurityServerExists      = "MANAGEMENT_REQUEST_SECURITY_SERVER_EXISTS"
	CodeManagementRequestInvalidAuthCertificate    = "MANAGEMENT_REQUEST_INVALID_AUTH_CERTIFICATE"
	CodeManagementRequestInvalidStateForApproval   = "MANAGEMENT_REQUEST_INVALID_STATE_FOR_APPROVAL"
	CodeManagementRequestInvalidState              = "MANAGEMENT_REQUEST_INVALID_STATE"
	CodeManagementRequestNotFound                  = "MANAGEMENT_REQUEST_NOT_FOUND"
	CodeManagementRequestServerOwnerNotFound       = "MANAGEMENT_REQUEST_SERVER_OWNER_NOT_FOUND"
	CodeManagementRequestServerCodeExists          = "MANAGEMENT_REQUEST_SERVER_CODE_EXISTS"
	CodeApprovedCAExists                           = "APPROVED_CA_EXISTS"
	CodeApprovedTSAExists                          = "APPROVED_TSA_EXISTS"
	CodeSigningKeyNotAvailable                     = "SIGNING_KEY_NOT_AVAILABLE"
	CodeInvalidServiceProviderID                   = "INVALID_SERVICE_PROVIDER_ID"
	CodeGlobalConfGenerationFailed                 = "GLOBAL_CONF_GENERATION_FAILED"
	CodeManagementRequestInvalid                   = "MANAGEMENT_REQUEST_INVALID"
	CodeManagementRequestRateLimited               = "MANAGEMENT_REQUEST_RATE_LIMITED"
	CodeManagementRequestOwnerSignatureInvalid     = "MANAGEMENT_REQUEST_OWNER_SIGNATURE_INVALID"
	CodeManagementRequestAuthSignatureInvalid      = "MANAGEMENT_REQUEST_AUTH_SIGNATURE_INVALID"
	CodeManagementRequestOwnerCertificateInvalid   = "MANAGEMENT_REQUEST_OWNER_CERTIFICATE_INVALID"
	CodeManagementRequestInvalidServiceAddress     = "MANAGEMENT_REQUEST_INVALID_SERVICE_ADDRESS"
	CodeManagementRequestSenderMismatch            = "MANAGEMENT_REQUEST_SENDER_MISMATCH"
	CodeManagementRequestAuthCertificatesMismatch  = "MANAGEMENT_REQUEST_AUTH_CERTIFICATES_MISMATCH"
	CodeManagementRequestOwnerIdentifierMismatch   = "MANAGEMENT_REQUEST_OWNER_IDENTIFIER_MISMATCH"
	CodeManagementRequestInvalidServerAddress      = "MANAGEMENT_REQUEST_INVALID_SERVER_ADDRESS"
	CodeManagementRequestMissingPart               = "MANAGEMENT_REQUEST_MISSING_PART"
	CodeManagementRequestGlobalConfOutdated        = "X_OUTDATED_GLOBALCONF"
	CodeManagementRequestInvalidRequest            = "MANAGEMENT_REQUEST_INVALID_REQUEST"
	CodeManagementRequestUnsupportedSignatureAlgID = "MANAGEMENT_REQUEST_UNSUPPORTED_SIGNATURE_ALGORITHM"
	CodeSecurityServerNotFound                     = "SECURITY_SERVER_NOT_FOUND"
	CodeSSAuthCertificateNotFound                  = "SS_AUTH_CERTIFICATE_NOT_FOUND"
)

// Warning is an ignorable finding (X-Road's "warnings"): the caller may repeat
// the operation with ignoreWarnings to proceed anyway.
type Warning struct {
	Code     string   `json:"code"`
	Metadata []string `json:"metadata,omitempty"`
}

// Error is the error type every domain package returns for a failure the
// caller can act on. Message is shown to humans; Code is stable.
type Error struct {
	Code     string
	Message  string
	Metadata []string
	Warnings []Warning
	// Field names the input field at fault, when there is one.
	Field string
	// RetryAfter, when positive, is how long the caller must wait before
	// the operation can be tried again (extensions.retryAfter, seconds).
	RetryAfter time.Duration
	// Err is an underlying cause. It is logged but never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Message + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithMetadata returns e with metadata appended (for chaining at construction).
func (e *Error) WithMetadata(md ...string) *Error {
	e.Metadata = append(e.Metadata, md...)
	return e
}

// WithField names the input field at fault.
func (e *Error) WithField(field string) *Error {
	e.Field = field
	return e
}

// WithRetryAfter says how long the caller must wait before trying again.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	e.RetryAfter = d
	return e
}

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up (0 when
// there is nothing to wait for).
func (e *Error) RetryAfterSeconds() int {
	if e.RetryAfter <= 0 {
		return 0
	}
	return int((e.RetryAfter + time.Second - 1) / time.Second)
}

// Wrap records the underlying cause (kept out of the message shown to users).
func (e *Error) Wrap(err error) *Error {
	e.Err = err
	return e
}

// BadInput is a shorthand for a BAD_USER_INPUT error naming the field.
func BadInput(field, format string, args ...any) *Error {
	return Errorf(CodeBadUserInput, format, args...).WithField(field)
}

// WarningsDetected returns the WARNINGS_DETECTED error carrying ws.
func WarningsDetected(ws []Warning) *Error {
	return &Error{Code: CodeWarningsDetected, Message: "Warnings detected; repeat with ignoreWarnings to continue", Warnings: ws}
}

// CodeOf returns the code of err if it is (or wraps) an *Error, else "".
func CodeOf(err error) string {
	var xe *Error
	if errors.As(err, &xe) {
		return xe.Code
	}
	return ""
}

// IsCode reports whether err is (or wraps) an *Error with the given code.
func IsCode(err error, code string) bool { return CodeOf(err) == code }

// Message returns the human message of err: an *Error's Message, or the
// error text otherwise.
func Message(err error) string {
	var xe *Error
	if errors.As(err, &xe) {
		return xe.Message
	}
	return err.Error()
}
