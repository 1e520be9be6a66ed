// Package mgmtreq implements X-Road's authCertReg and authCertDeletion
// management requests (UC-SS SS_34, UC-MEMBER MEMBER_27/28; PR-MSERV §2.3,
// §2.4) in X-Road's own wire format, for both sides of the exchange:
//
//   - the security server builds and signs a request (Build, BuildDeletion)
//     and sends it to the central server (Send, which also reads the answer);
//   - the central server decodes it (Decode, ReadRequest), runs X-Road's
//     checks in X-Road's order (Verify, VerifyDeletion) and answers with the
//     response carrying the request id (EncodeResponse) or a SOAP 1.1 fault
//     (EncodeFault).
//
// An authCertReg request is a multipart/related body of six parts, in this
// order: the SOAP 1.1 message; the signature of the SOAP bytes made with the
// authentication key; the signature of the SOAP bytes made with the owner
// member's signing key; the authentication certificate; the owner's signing
// certificate; an OCSP response for the signing certificate. Binary parts
// are raw bytes, lines end in CRLF, and each signature part names its
// algorithm in a lower-case "signature-algorithm-id" header with a Java (JCA)
// algorithm name such as SHA512withRSA.
//
// An authCertDeletion request has the four parts of PR-MSERV's owner-signed
// requests (§2.1): the SOAP message, the owner's signature, the owner's
// signing certificate and its OCSP response. X-Road sends it as an ordinary
// X-Road message through the management services' security server, whose
// message signature is the owner's too; Roadreg has no message exchange, so
// it goes directly to the management service as authCertReg does
// (docs/DESIGN-NOTES.md).
package mgmtreq

import "github.com/roadreg/roadreg/internal/xroad"

// Service codes of the management requests.
const (
	// ServiceCode is the authentication certificate registration request.
	ServiceCode = "authCertReg"
	// ServiceCodeDeletion is the authentication certificate deletion
	// request.
	ServiceCodeDeletion = "authCertDeletion"
)

// ProtocolVersion is the X-Road message protocol version the requests carry.
const ProtocolVersion = "4.0"

// MaxRequestSize is the largest request body Decode accepts (a real request
// is below 10 KiB).
const MaxRequestSize = 1 << 20

// MaxResponseSize is the largest response body Send reads.
const MaxResponseSize = 1 << 20

// ResponseContentType is the content type of responses and faults.
const ResponseContentType = "text/xml; charset=UTF-8"

// AuthCertReg is the content of an authCertReg SOAP message: the X-Road
// header fields and the authCertReg body.
type AuthCertReg struct {
	// Client is the SOAP header client: the server owner (a MEMBER id).
	Client xroad.ClientID
	// Service is the management-service provider subsystem with service
	// code "authCertReg".
	Service xroad.ServiceID
	// ID is the message id; Build generates a UUID v4 when it is empty.
	ID string
	// Server is the security server the certificate is registered for.
	Server xroad.ServerID
	// Address is the server's public DNS name or IP address. X-Road's schema
	// makes it optional, but X-Road's central server (and Verify) refuses a
	// request without a valid address, so Build requires it.
	Address string
	// AuthCert is the authentication certificate, DER.
	AuthCert []byte
	// DryRun asks the central server to check the request without storing
	// it.
	DryRun bool
}

// AuthCertDeletion is the content of an authCertDeletion SOAP message: the
// X-Road header fields and the authCertDeletion body (PR-MSERV §2.4).
type AuthCertDeletion struct {
	// Client is the server owner (a MEMBER id).
	Client xroad.ClientID
	// Service is the management-service provider subsystem with service
	// code "authCertDeletion".
	Service xroad.ServiceID
	// ID is the message id; BuildDeletion generates one when it is empty.
	ID string
	// Server is the security server the certificate is removed from.
	Server xroad.ServerID
	// AuthCert is the authentication certificate, DER.
	AuthCert []byte
}

// Request is a decoded management request, as the central server receives
// it.
type Request struct {
	// Kind is the service code: ServiceCode or ServiceCodeDeletion.
	Kind string
	// SOAP is the exact bytes of the first part, which the signatures cover.
	SOAP []byte
	// Message is what the SOAP message says. Message.AuthCert is the
	// authCert element, which Verify compares with the AuthCert part. For an
	// authCertDeletion, Address and DryRun are empty.
	Message AuthCertReg
	// ProtocolVersion is the SOAP header's protocolVersion.
	ProtocolVersion string
	// AuthSigAlg and AuthSig are part 2 of authCertReg: the signature
	// algorithm id (JCA name) and the signature made with the authentication
	// key. An authCertDeletion has none.
	AuthSigAlg string
	AuthSig    []byte
	// OwnerSigAlg and OwnerSig are part 3 (authCertDeletion: part 2): the
	// same for the owner's signing key.
	OwnerSigAlg string
	OwnerSig    []byte
	// AuthCert, OwnerCert and OwnerOCSP are parts 4–6 (DER): the
	// authentication certificate, the owner's signing certificate and an OCSP
	// response for it. An authCertDeletion has no AuthCert part and carries
	// OwnerCert and OwnerOCSP as parts 3 and 4.
	AuthCert  []byte
	OwnerCert []byte
	OwnerOCSP []byte
}
