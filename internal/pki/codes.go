package pki

// Error codes this package adds to those of internal/xroad.
const (
	// CodeInvalidCSR: a certificate signing request could not be read, or its
	// signature does not verify.
	CodeInvalidCSR = "INVALID_CSR"
	// CodeOcspRequestFailed: the OCSP responder could not be reached, or it
	// answered with an error instead of a certificate status.
	CodeOcspRequestFailed = "OCSP_REQUEST_FAILED"
	// CodeTimestampVerificationFailed: a timestamping authority answered, but
	// its reply is not a valid timestamp for the request.
	CodeTimestampVerificationFailed = "TIMESTAMP_VERIFICATION_FAILED"
	// CodeCertificateProfileNotFound: an approved CA names a certificate
	// profile Roadreg does not implement (X-Road's
	// certificate_profile_info_class_not_found).
	CodeCertificateProfileNotFound = "CERTIFICATE_PROFILE_INFO_CLASS_NOT_FOUND"
)
