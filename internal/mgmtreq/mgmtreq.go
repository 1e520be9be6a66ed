// Package mgmtreq implements X-Road's authCertReg management request
// (UC-SS SS_34, UC-MEMBER MEMBER_27/28; PR-MSERV §2.3) in X-Road's own wire
// format, for both sides of the exchange:
//
//   - the security server builds and signs the request (Build) and sends it
//     to the central server (Send, which also reads the answer);
//   - the central server decodes it (Decode, ReadRequest), runs X-Road's
//     checks in X-Road's order (Verify) and answers with either an
//     authCertRegResponse carrying the request id (EncodeResponse) or a SOAP
//     1.1 fault (EncodeFault).
//
// The request is a multipart/related body of six parts, in this order: the
// SOAP 1.1 message; the signature of the SOAP bytes made with the
// authentication key; the signature of the SOAP bytes made with the owner
// member's signing key; the authentication certificate; the owner's signing
// certificate; an OCSP response for the signing certificate. Binary parts are
// raw bytes, lines end in CRLF, and each signature part names its algorithm in
// a lower-case "signature-algorithm-id" header with a Java (JCA) algorithm
// name such as SHA512withRSA.
package mgmtreq

import "github.com/roadreg/roadreg/internal/xroad"

// ServiceCode is the service code of the authentication certificate
// registration request.
const ServiceCode = "authCertReg"

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

// Request is a decoded authCertReg request, as the central server receives
// it.
type Request struct {
	// SOAP is the exact bytes of the first part, which both signatures cover.
	SOAP []byte
	// Message is what the SOAP message says. Message.AuthCert is the
	// authCert element, which Verify compares with the AuthCert part.
	Message AuthCertReg
	// ProtocolVersion is the SOAP header's protocolVersion.
	ProtocolVersion string
	// AuthSigAlg and AuthSig are part 2: the signature algorithm id (JCA name)
	// and the signature made with the authentication key.
	AuthSigAlg string
	AuthSig    []byte
	// OwnerSigAlg and OwnerSig are part 3: the same for the owner's signing
	// key.
	OwnerSigAlg string
	OwnerSig    []byte
	// AuthCert, OwnerCert and OwnerOCSP are parts 4–6 (DER): the
	// authentication certificate, the owner's signing certificate and an OCSP
	// response for it.
	AuthCert  []byte
	OwnerCert []byte
	OwnerOCSP []byte
}
