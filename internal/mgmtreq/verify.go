package mgmtreq

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Trust is what Verify needs from the central server's configuration: the
// approved certification authorities and their certificate profiles, the
// instance identifier and the management-service provider.
type Trust interface {
	// VerifyAuthCert checks that cert was issued by an approved CA of this
	// instance, is valid at now and is an authentication certificate.
	VerifyAuthCert(cert *x509.Certificate, now time.Time) error
	// VerifyOwnerCert checks that cert chains to an approved CA, is valid at
	// now, is a signing certificate, and that ocspDER is a verifiable, fresh
	// OCSP response saying it is good.
	VerifyOwnerCert(cert *x509.Certificate, ocspDER []byte, now time.Time) error
	// DecodeMemberID reads the member id from a signing certificate with the
	// certificate profile of its CA.
	DecodeMemberID(cert *x509.Certificate) (xroad.ClientID, error)
	// Instance is the central server's instance identifier.
	Instance() string
	// ManagementServiceProvider is the subsystem that provides the
	// management services; the service code is "authCertReg".
	ManagementServiceProvider() xroad.ClientID
}

// Verify runs X-Road's checks of an authCertReg request (UC-MEMBER
// MEMBER_27/28 and X-Road's management service, checks 4–13) in X-Road's order and returns the first failure as an
// *xroad.Error with a code per check and X-Road's message:
//
//	4  auth cert approved, valid, an auth cert   MANAGEMENT_REQUEST_INVALID_AUTH_CERTIFICATE
//	5  auth signature                            MANAGEMENT_REQUEST_AUTH_SIGNATURE_INVALID
//	6  owner cert and its OCSP response          MANAGEMENT_REQUEST_OWNER_CERTIFICATE_INVALID
//	7  owner signature                           MANAGEMENT_REQUEST_OWNER_SIGNATURE_INVALID
//	8  service is this instance's provider       MANAGEMENT_REQUEST_INVALID_SERVICE_ADDRESS
//	9  server id parts                           INVALID_IDENTIFIER
//	10 header client is the server owner         MANAGEMENT_REQUEST_SENDER_MISMATCH
//	11 authCert element equals part 4            MANAGEMENT_REQUEST_AUTH_CERTIFICATES_MISMATCH
//	12 owner cert's member id is the owner       MANAGEMENT_REQUEST_OWNER_IDENTIFIER_MISMATCH
//	13 address is an IP or host name             MANAGEMENT_REQUEST_INVALID_SERVER_ADDRESS
//
// A signature algorithm id Verify does not know gives
// MANAGEMENT_REQUEST_UNSUPPORTED_SIGNATURE_ALGORITHM at check 5 or 7. Details
// of a failed trust decision are in the error's Metadata and cause.
func Verify(r *Request, trust Trust, now time.Time) error {
	if r.Kind != ServiceCode {
		return invalidRequest("The request is an %s request, not %s", r.Kind, ServiceCode)
	}
	m := r.Message

	// 4. Authentication certificate.
	authCert, err := x509.ParseCertificate(r.AuthCert)
	if err != nil {
		return xroad.Errorf(xroad.CodeManagementRequestInvalidAuthCertificate, "Authentication certificate is not valid").
			WithMetadata("the authentication certificate cannot be parsed").Wrap(err)
	}
	if err := trust.VerifyAuthCert(authCert, now); err != nil {
		return xroad.Errorf(xroad.CodeManagementRequestInvalidAuthCertificate, "Authentication certificate is not valid").
			WithMetadata(reason(err)).Wrap(err)
	}

	// 5. Proof of possession of the authentication key.
	if err := checkSignature(authCert, r.AuthSigAlg, r.SOAP, r.AuthSig, "auth",
		xroad.CodeManagementRequestAuthSignatureInvalid, "Auth signature verification failed"); err != nil {
		return err
	}

	// 6–10: the owner's certificate and signature, the address, the server
	// id and the sender.
	ownerCert, err := verifyOwner(r, trust, now)
	if err != nil {
		return err
	}

	// 11. The certificate in the SOAP body is the attached one.
	if !bytes.Equal(m.AuthCert, r.AuthCert) {
		return xroad.Errorf(xroad.CodeManagementRequestAuthCertificatesMismatch, "Authentication certificates do not match.")
	}

	// 12. The owner certificate belongs to the owner.
	if err := checkOwnerIdentifier(ownerCert, m.Server.Owner, trust); err != nil {
		return err
	}

	// 13. Server address.
	if err := xroad.ValidateHostAddress("address", m.Address); err != nil {
		return xroad.Errorf(xroad.CodeManagementRequestInvalidServerAddress, "Invalid server address").
			WithMetadata(m.Address).Wrap(err)
	}
	return nil
}

// VerifyDeletion runs the checks of an authCertDeletion request in the
// order Verify runs them for authCertReg (the central server's own
// configuration, check 1, is the caller's): the authentication certificate
// must be readable (MANAGEMENT_REQUEST_INVALID_AUTH_CERTIFICATE), then
// checks 6–10 and 12 as for a registration. X-Road's central server checks
// the deletion's sender against the server owner ("Sender does not match
// server owner."); the owner's signature, certificate and OCSP response are
// what X-Road's message signature proves. The authentication certificate
// need not chain to an approved CA or be valid: an expired or foreign
// certificate must still be removable.
func VerifyDeletion(r *Request, trust Trust, now time.Time) error {
	if r.Kind != ServiceCodeDeletion {
		return invalidRequest("The request is an %s request, not %s", r.Kind, ServiceCodeDeletion)
	}
	if _, err := x509.ParseCertificate(r.Message.AuthCert); err != nil {
		return xroad.Errorf(xroad.CodeManagementRequestInvalidAuthCertificate, "Authentication certificate is not valid").
			WithMetadata("the authentication certificate cannot be parsed").Wrap(err)
	}
	ownerCert, err := verifyOwner(r, trust, now)
	if err != nil {
		return err
	}
	return checkOwnerIdentifier(ownerCert, r.Message.Server.Owner, trust)
}

// verifyOwner runs checks 6–10, which both kinds of request share, and
// returns the owner's certificate.
func verifyOwner(r *Request, trust Trust, now time.Time) (*x509.Certificate, error) {
	m := r.Message

	// 6. Owner's signing certificate and its OCSP response.
	ownerCert, err := x509.ParseCertificate(r.OwnerCert)
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: the certificate cannot be parsed").Wrap(err)
	}
	if err := trust.VerifyOwnerCert(ownerCert, r.OwnerOCSP, now); err != nil {
		return nil, xroad.Errorf(xroad.CodeManagementRequestOwnerCertificateInvalid, "Owner certificate is invalid: %s", reason(err)).Wrap(err)
	}

	// 7. Owner's signature.
	if err := checkSignature(ownerCert, r.OwnerSigAlg, r.SOAP, r.OwnerSig, "owner",
		xroad.CodeManagementRequestOwnerSignatureInvalid, "Owner signature verification failed."); err != nil {
		return nil, err
	}

	// 8. Addressed to this instance's management service.
	if m.Service.Client != trust.ManagementServiceProvider() || m.Client.Instance != trust.Instance() {
		return nil, xroad.Errorf(xroad.CodeManagementRequestInvalidServiceAddress,
			"Invalid management service address. Contact central server administrator.").
			WithMetadata(m.Service.Client.String(), m.Client.Instance)
	}

	// 9. Server identifier.
	if err := validateServerID(m.Server); err != nil {
		return nil, xroad.Errorf(xroad.CodeInvalidIdentifier, "The management request contains an invalid identifier.").
			WithMetadata(reason(err)).Wrap(err)
	}

	// 10. The sender is the server's owner.
	if m.Client != m.Server.Owner {
		return nil, xroad.Errorf(xroad.CodeManagementRequestSenderMismatch, "Sender does not match server owner.").
			WithMetadata(m.Server.Owner.String(), m.Client.String())
	}
	return ownerCert, nil
}

// checkOwnerIdentifier is check 12: the owner certificate belongs to the
// server's owner.
func checkOwnerIdentifier(ownerCert *x509.Certificate, owner xroad.ClientID, trust Trust) error {
	certOwner, err := trust.DecodeMemberID(ownerCert)
	if err != nil {
		return xroad.Errorf(xroad.CodeManagementRequestOwnerIdentifierMismatch,
			"Subject identifier in certificate cannot be read: %s", reason(err)).Wrap(err)
	}
	if certOwner != owner {
		return xroad.Errorf(xroad.CodeManagementRequestOwnerIdentifierMismatch,
			"Subject identifier (%s) in certificate does not match security server owner identifier (%s) in request",
			certOwner, owner).WithMetadata(certOwner.String(), owner.String())
	}
	return nil
}

// checkSignature verifies one of the two signatures of the SOAP part.
func checkSignature(cert *x509.Certificate, algID string, data, sig []byte, role, code, message string) error {
	err := verifySignature(cert.PublicKey, algID, data, sig)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errUnsupportedAlgorithm):
		return xroad.Errorf(xroad.CodeManagementRequestUnsupportedSignatureAlgID,
			"Unsupported %s signature algorithm %q; supported are %s", role, algID, supportedAlgorithms()).WithMetadata(algID)
	default:
		return xroad.Errorf(code, "%s", message).Wrap(err)
	}
}

// validateServerID applies X-Road's identifier rules (which also forbid the
// zero-width space and byte-order mark) to a server id.
func validateServerID(id xroad.ServerID) error {
	if err := id.Validate(); err != nil {
		return err
	}
	for _, part := range []string{id.Owner.Instance, id.Owner.MemberClass, id.Owner.MemberCode, id.ServerCode} {
		if strings.ContainsAny(part, "\ufeff\u200b") {
			return xroad.BadInput("server", "the server id %q contains a zero-width space or byte-order mark", id.String())
		}
	}
	return nil
}

// reason is the human-readable part of a trust error.
func reason(err error) string {
	var xe *xroad.Error
	if errors.As(err, &xe) {
		return xe.Message
	}
	return err.Error()
}
