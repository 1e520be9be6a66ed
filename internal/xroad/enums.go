package xroad

import (
	"fmt"
	"io"
	"strconv"
)

// The enums below are shared by the ent schema (as field Go types), the
// GraphQL schema (as enums) and the domain packages. Their values are
// X-Road's (the security server's REST API).

// KeyUsage is what a key (and its certificates and CSRs) is used for.
type KeyUsage string

// Key usages.
const (
	UsageSigning        KeyUsage = "SIGNING"
	UsageAuthentication KeyUsage = "AUTHENTICATION"
)

// Values lists the enum values (for ent).
func (KeyUsage) Values() []string { return []string{string(UsageSigning), string(UsageAuthentication)} }

// MarshalGQL implements graphql.Marshaler.
func (e KeyUsage) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *KeyUsage) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, (*string)(e), KeyUsage("").Values())
}

// KeyAlgorithm is the public-key algorithm of a key.
type KeyAlgorithm string

// Key algorithms.
const (
	AlgorithmRSA KeyAlgorithm = "RSA"
	AlgorithmEC  KeyAlgorithm = "EC"
)

// Values lists the enum values (for ent).
func (KeyAlgorithm) Values() []string { return []string{string(AlgorithmRSA), string(AlgorithmEC)} }

// MarshalGQL implements graphql.Marshaler.
func (e KeyAlgorithm) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *KeyAlgorithm) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, (*string)(e), KeyAlgorithm("").Values())
}

// TokenType tells software tokens from PKCS#11 (hardware) tokens.
type TokenType string

// Token types.
const (
	TokenSoftware TokenType = "SOFTWARE"
	TokenHardware TokenType = "HARDWARE"
)

// Values lists the enum values (for ent).
func (TokenType) Values() []string { return []string{string(TokenSoftware), string(TokenHardware)} }

// MarshalGQL implements graphql.Marshaler.
func (e TokenType) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *TokenType) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, (*string)(e), TokenType("").Values())
}

// CSRFormat is the file format of a certificate signing request, and an
// approved CA's default CSR format (shared-parameters.xsd, defaultCsrFormat).
type CSRFormat string

// CSR formats.
const (
	CSRFormatPEM CSRFormat = "PEM"
	CSRFormatDER CSRFormat = "DER"
)

// Values lists the enum values (for ent).
func (CSRFormat) Values() []string { return []string{string(CSRFormatPEM), string(CSRFormatDER)} }

// MarshalGQL implements graphql.Marshaler.
func (e CSRFormat) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *CSRFormat) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, (*string)(e), CSRFormat("").Values())
}

// CertificateStatus is the registration status of a certificate on a
// security server (UC-SS SS_34, X-Road's REST API).
type CertificateStatus string

// Certificate statuses.
const (
	CertSaved                  CertificateStatus = "SAVED"
	CertRegistrationInProgress CertificateStatus = "REGISTRATION_IN_PROGRESS"
	CertRegistered             CertificateStatus = "REGISTERED"
	CertDeletionInProgress     CertificateStatus = "DELETION_IN_PROGRESS"
	CertGlobalError            CertificateStatus = "GLOBAL_ERROR"
)

// Values lists the enum values (for ent).
func (CertificateStatus) Values() []string {
	return []string{string(CertSaved), string(CertRegistrationInProgress), string(CertRegistered), string(CertDeletionInProgress), string(CertGlobalError)}
}

// MarshalGQL implements graphql.Marshaler.
func (e CertificateStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *CertificateStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, (*string)(e), CertificateStatus("").Values())
}

// OcspStatus is the validity state of a certificate as OCSP reports it (UC-SS SS_32, X-Road's REST API).
type OcspStatus string

// OCSP statuses.
const (
	OcspDisabled  OcspStatus = "DISABLED"
	OcspExpired   OcspStatus = "EXPIRED"
	OcspUnknown   OcspStatus = "OCSP_RESPONSE_UNKNOWN"
	OcspGood      OcspStatus = "OCSP_RESPONSE_GOOD"
	OcspSuspended OcspStatus = "OCSP_RESPONSE_SUSPENDED"
	OcspRevoked   OcspStatus = "OCSP_RESPONSE_REVOKED"
)

// Values lists the enum values (for ent).
func (OcspStatus) Values() []string {
	return []string{string(OcspDisabled), string(OcspExpired), string(OcspUnknown), string(OcspGood), string(OcspSuspended), string(OcspRevoked)}
}

// MarshalGQL implements graphql.Marshaler.
func (e OcspStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *OcspStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, (*string)(e), OcspStatus("").Values())
}

// ClientStatus is the registration status of a security-server client (UC-MEMBER, X-Road's REST API).
type ClientStatus string

// Client statuses.
const (
	ClientSaved                  ClientStatus = "SAVED"
	ClientRegistrationInProgress ClientStatus = "REGISTRATION_IN_PROGRESS"
	ClientRegistered             ClientStatus = "REGISTERED"
	ClientDeletionInProgress     ClientStatus = "DELETION_IN_PROGRESS"
	ClientGlobalError            ClientStatus = "GLOBAL_ERROR"
)

// Values lists the enum values (for ent).
func (ClientStatus) Values() []string {
	return []string{string(ClientSaved), string(ClientRegistrationInProgress), string(ClientRegistered), string(ClientDeletionInProgress), string(ClientGlobalError)}
}

// MarshalGQL implements graphql.Marshaler.
func (e ClientStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(e)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *ClientStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, (*string)(e), ClientStatus("").Values())
}

func marshalEnum(w io.Writer, v string) { _, _ = io.WriteString(w, strconv.Quote(v)) }

func unmarshalEnum(v any, dst *string, allowed []string) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("enums must be strings")
	}
	for _, a := range allowed {
		if s == a {
			*dst = s
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %v", s, allowed)
}
