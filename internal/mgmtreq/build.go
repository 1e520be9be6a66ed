package mgmtreq

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"fmt"

	"github.com/roadreg/roadreg/internal/xroad"
)

// PSSSigner marks an RSA key that Build must use with RSASSA-PSS
// ("SHA512withRSAandMGF1" etc.) instead of PKCS #1 v1.5.
type PSSSigner struct{ crypto.Signer }

// Build signs and encodes an authCertReg request in X-Road's shape: a
// multipart/related body with CRLF line ends and the six parts in X-Road's
// order, whose first part is a SOAP 1.1 message in the SOAP-ENV, xroad and id
// namespaces with protocolVersion 4.0. authKey (the key of req.AuthCert) and
// ownerKey (the key of ownerCert, the owner's signing certificate) each sign
// the SOAP bytes; ownerOCSP is a current OCSP response (DER) for ownerCert.
//
// digest is SHA-256, SHA-384 or SHA-512 (0 means SHA-512, X-Road's default).
// The algorithm follows the key: SHA512withRSA for RSA keys (wrap the key in
// PSSSigner for SHA512withRSAandMGF1), SHA512withECDSA for EC keys. A missing
// message id becomes a random UUID; a missing service code becomes
// "authCertReg". It returns the body and its Content-Type.
func Build(req AuthCertReg, authKey, ownerKey crypto.Signer, ownerCert, ownerOCSP []byte, digest crypto.Hash) (body []byte, contentType string, err error) {
	if digest == 0 {
		digest = crypto.SHA512
	}
	if req.Service.ServiceCode == "" {
		req.Service.ServiceCode = ServiceCode
	}
	if req.ID == "" {
		req.ID = newUUID()
	}
	if err := validateForBuild(req, ownerCert, ownerOCSP); err != nil {
		return nil, "", err
	}
	authKey, authAlg, err := keyAlgorithm(authKey, "authentication", digest)
	if err != nil {
		return nil, "", err
	}
	ownerKey, ownerAlg, err := keyAlgorithm(ownerKey, "owner signing", digest)
	if err != nil {
		return nil, "", err
	}
	if len(req.AuthCert) > 0 {
		if err := keyMatchesCert(authKey, req.AuthCert, "authentication"); err != nil {
			return nil, "", err
		}
	}
	if err := keyMatchesCert(ownerKey, ownerCert, "owner signing"); err != nil {
		return nil, "", err
	}
	return signAndEncode(requestSOAP(req), authKey, authAlg, ownerKey, ownerAlg, req.AuthCert, ownerCert, ownerOCSP)
}

func validateForBuild(req AuthCertReg, ownerCert, ownerOCSP []byte) error {
	if err := validateHeader(ServiceCode, req.Client, req.Service, req.Server); err != nil {
		return err
	}
	if err := xroad.ValidateHostAddress("address", req.Address); err != nil {
		return err
	}
	if len(req.AuthCert) == 0 && !req.DryRun {
		return xroad.BadInput("authCert", "the authentication certificate is required")
	}
	return validateOwnerParts(ownerCert, ownerOCSP)
}

// validateHeader checks the identifiers every management request carries.
func validateHeader(code string, client xroad.ClientID, service xroad.ServiceID, server xroad.ServerID) error {
	if err := client.Validate(); err != nil {
		return err
	}
	if client.SubsystemCode != "" {
		return xroad.BadInput("client", "the client of an %s request must be the owner member, not subsystem %s", code, client)
	}
	if err := service.Client.Validate(); err != nil {
		return err
	}
	if service.ServiceCode != code {
		return xroad.BadInput("service", "the service code must be %q, not %q", code, service.ServiceCode)
	}
	return server.Validate()
}

func validateOwnerParts(ownerCert, ownerOCSP []byte) error {
	switch {
	case len(ownerCert) == 0:
		return xroad.BadInput("ownerCert", "the owner's signing certificate is required")
	case len(ownerOCSP) == 0:
		return xroad.BadInput("ownerOCSP", "an OCSP response for the owner's signing certificate is required")
	}
	return nil
}

// BuildDeletion signs and encodes an authCertDeletion request (PR-MSERV
// §2.4) in the shape of PR-MSERV's owner-signed requests (§2.1): a
// multipart/related body of four parts — the SOAP message, its signature
// made with ownerKey (the key of ownerCert, the owner's signing
// certificate), ownerCert, and ownerOCSP, a current OCSP response for it.
// The authentication key does not sign: a server must be able to unregister
// a lost or compromised key. digest, the algorithm, a missing message id and
// service code are as for Build.
func BuildDeletion(req AuthCertDeletion, ownerKey crypto.Signer, ownerCert, ownerOCSP []byte, digest crypto.Hash) (body []byte, contentType string, err error) {
	if digest == 0 {
		digest = crypto.SHA512
	}
	if req.Service.ServiceCode == "" {
		req.Service.ServiceCode = ServiceCodeDeletion
	}
	if req.ID == "" {
		req.ID = newUUID()
	}
	if err := validateHeader(ServiceCodeDeletion, req.Client, req.Service, req.Server); err != nil {
		return nil, "", err
	}
	if len(req.AuthCert) == 0 {
		return nil, "", xroad.BadInput("authCert", "the authentication certificate is required")
	}
	if err := validateOwnerParts(ownerCert, ownerOCSP); err != nil {
		return nil, "", err
	}
	ownerKey, ownerAlg, err := keyAlgorithm(ownerKey, "owner signing", digest)
	if err != nil {
		return nil, "", err
	}
	if err := keyMatchesCert(ownerKey, ownerCert, "owner signing"); err != nil {
		return nil, "", err
	}
	soap := deletionSOAP(req)
	sig, err := sign(ownerKey, ownerAlg, soap)
	if err != nil {
		return nil, "", xroad.Errorf(xroad.CodeTokenOperationFailed, "Signing the deletion request with the owner's signing key failed; check that its token is logged in").Wrap(err)
	}
	parts := []mimePart{soapPart(soap), signaturePart(ownerAlg, sig), binaryPart(ownerCert), binaryPart(ownerOCSP)}
	body, contentType = encodeMultipart(newBoundary(parts), parts)
	return body, contentType, nil
}

// keyAlgorithm unwraps PSSSigner and names the signature algorithm.
func keyAlgorithm(key crypto.Signer, role string, digest crypto.Hash) (crypto.Signer, string, error) {
	pss := false
	if p, ok := key.(PSSSigner); ok {
		key, pss = p.Signer, true
	}
	if key == nil {
		return nil, "", xroad.Errorf(xroad.CodeKeyNotFound, "The %s key is missing", role)
	}
	alg, err := algorithmID(key.Public(), digest, pss)
	if err != nil {
		return nil, "", xroad.Errorf(xroad.CodeManagementRequestUnsupportedSignatureAlgID, "Cannot sign with the %s key: %v", role, err)
	}
	return key, alg, nil
}

// keyMatchesCert fails when key is not the key of the certificate certDER.
func keyMatchesCert(key crypto.Signer, certDER []byte, role string) error {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return xroad.Errorf(xroad.CodeInvalidCertificate, "The %s certificate cannot be parsed; import a valid DER certificate", role).Wrap(err)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return xroad.Errorf(xroad.CodeInvalidCertificate, "The %s key does not belong to the %s certificate %s; use the key the certificate was issued for", role, role, cert.Subject)
	}
	return nil
}

// signAndEncode signs soap with both keys and assembles the six parts.
func signAndEncode(soap []byte, authKey crypto.Signer, authAlg string, ownerKey crypto.Signer, ownerAlg string, authCert, ownerCert, ownerOCSP []byte) ([]byte, string, error) {
	authSig, err := sign(authKey, authAlg, soap)
	if err != nil {
		return nil, "", xroad.Errorf(xroad.CodeTokenOperationFailed, "Signing the registration request with the authentication key failed; check that its token is logged in").Wrap(err)
	}
	ownerSig, err := sign(ownerKey, ownerAlg, soap)
	if err != nil {
		return nil, "", xroad.Errorf(xroad.CodeTokenOperationFailed, "Signing the registration request with the owner's signing key failed; check that its token is logged in").Wrap(err)
	}
	parts := []mimePart{
		soapPart(soap),
		signaturePart(authAlg, authSig),
		signaturePart(ownerAlg, ownerSig),
		binaryPart(authCert),
		binaryPart(ownerCert),
		binaryPart(ownerOCSP),
	}
	body, ct := encodeMultipart(newBoundary(parts), parts)
	return body, ct, nil
}

// mimePart is one part of a multipart body: header lines and raw body.
type mimePart struct {
	headers []string
	body    []byte
}

func soapPart(soap []byte) mimePart {
	return mimePart{headers: []string{"Content-Type: text/xml; charset=UTF-8"}, body: soap}
}

func binaryPart(b []byte) mimePart {
	return mimePart{headers: []string{"Content-Type: application/octet-stream"}, body: b}
}

func signaturePart(algID string, sig []byte) mimePart {
	return mimePart{headers: []string{"Content-Type: application/octet-stream", "signature-algorithm-id: " + algID}, body: sig}
}

// encodeMultipart writes parts exactly as X-Road does: no preamble, CRLF
// everywhere, raw bodies, and a final "--boundary--" line.
func encodeMultipart(boundary string, parts []mimePart) (body []byte, contentType string) {
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString("--" + boundary + "\r\n")
		for _, h := range p.headers {
			b.WriteString(h + "\r\n")
		}
		b.WriteString("\r\n")
		b.Write(p.body)
	}
	b.WriteString("\r\n--" + boundary + "--\r\n")
	return b.Bytes(), `multipart/related; type="application/octet-stream"; charset=UTF-8; boundary=` + boundary
}

// newBoundary picks a random boundary that occurs in no part.
func newBoundary(parts []mimePart) string {
	for {
		boundary := rand.Text()
		clash := false
		for _, p := range parts {
			clash = clash || bytes.Contains(p.body, []byte(boundary))
		}
		if !clash {
			return boundary
		}
	}
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
