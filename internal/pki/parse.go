// Package pki holds the X.509 helpers both server roles use: reading
// certificates and certificate signing requests, telling authentication from
// signing certificates, X-Road's default certificate profile, chain checks,
// an OCSP client that verifies responses, and an RFC 3161 timestamping client.
//
// Failures the caller can act on are *xroad.Error values.
package pki

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/roadreg/roadreg/internal/xroad"
)

// PEM block types.
const (
	pemCertificate   = "CERTIFICATE"
	pemCSR           = "CERTIFICATE REQUEST"
	pemCSRLegacy     = "NEW CERTIFICATE REQUEST"
	invalidCertHint  = "only PEM and DER files (or base64 of either) with an X.509 certificate are allowed"
	invalidCSRHint   = "only PEM and DER files with a PKCS#10 certificate signing request are allowed"
	pemBeginMarker   = "-----BEGIN "
	maxCertsInBundle = 100
)

// ParseCertificate reads exactly one X.509 certificate given as DER, PEM,
// base64 of DER or base64 of PEM (X-Road's shared parameters carry the
// latter); white space around the data is ignored. It fails with
// INVALID_CERTIFICATE.
func ParseCertificate(data []byte) (*x509.Certificate, error) {
	certs, err := ParseCertificates(data)
	if err != nil {
		return nil, err
	}
	if len(certs) != 1 {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate,
			"The file holds %d certificates; give exactly one", len(certs))
	}
	return certs[0], nil
}

// ParseCertificates reads one or more certificates: a PEM bundle,
// concatenated DER, or base64 of either. It fails with INVALID_CERTIFICATE.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	return parseCertificates(data, true)
}

func parseCertificates(data []byte, allowBase64 bool) ([]*x509.Certificate, error) {
	// DER first and untrimmed: a DER encoding may legitimately end in a byte
	// that looks like white space.
	if certs, err := x509.ParseCertificates(data); err == nil && len(certs) > 0 {
		return limitBundle(certs)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "The certificate file is empty; %s", invalidCertHint)
	}
	if bytes.Contains(trimmed, []byte(pemBeginMarker)) {
		return certificatesFromPEM(trimmed)
	}
	if certs, err := x509.ParseCertificates(trimmed); err == nil && len(certs) > 0 {
		return limitBundle(certs)
	}
	if allowBase64 {
		if raw, ok := decodeBase64(trimmed); ok {
			return parseCertificates(raw, false)
		}
	}
	return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "The certificate could not be read: %s", invalidCertHint)
}

func limitBundle(certs []*x509.Certificate) ([]*x509.Certificate, error) {
	if len(certs) > maxCertsInBundle {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "The file holds more than %d certificates", maxCertsInBundle)
	}
	return certs, nil
}

func certificatesFromPEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			if bytes.Contains(rest, []byte(pemBeginMarker)) {
				return nil, xroad.Errorf(xroad.CodeInvalidCertificate,
					"The PEM file is damaged (a block could not be decoded); %s", invalidCertHint)
			}
			break
		}
		if block.Type != pemCertificate {
			return nil, xroad.Errorf(xroad.CodeInvalidCertificate,
				"The PEM file holds a %q block, not a certificate; %s", shortLabel(block.Type), invalidCertHint)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, xroad.Errorf(xroad.CodeInvalidCertificate,
				"The certificate in the PEM file could not be read; %s", invalidCertHint).Wrap(err)
		}
		if certs = append(certs, cert); len(certs) > maxCertsInBundle {
			return limitBundle(certs)
		}
	}
	if len(certs) == 0 {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "The PEM file holds no certificate; %s", invalidCertHint)
	}
	return certs, nil
}

// ParseCSR reads a PKCS#10 certificate signing request in PEM or DER (white
// space around PEM is ignored) and verifies its signature. It fails with
// INVALID_CSR.
func ParseCSR(data []byte) (*x509.CertificateRequest, error) {
	der := data
	if trimmed := bytes.TrimSpace(data); bytes.Contains(trimmed, []byte(pemBeginMarker)) {
		block, rest := pem.Decode(trimmed)
		switch {
		case block == nil:
			return nil, xroad.Errorf(CodeInvalidCSR, "The PEM file is damaged; %s", invalidCSRHint)
		case block.Type != pemCSR && block.Type != pemCSRLegacy:
			return nil, xroad.Errorf(CodeInvalidCSR, "The PEM file holds a %q block, not a certificate request; %s",
				shortLabel(block.Type), invalidCSRHint)
		case len(bytes.TrimSpace(rest)) > 0:
			return nil, xroad.Errorf(CodeInvalidCSR, "The PEM file holds more than one block; give exactly one certificate request")
		}
		der = block.Bytes
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, xroad.Errorf(CodeInvalidCSR, "The certificate request could not be read; %s", invalidCSRHint).Wrap(err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, xroad.Errorf(CodeInvalidCSR,
			"The signature of the certificate request does not verify; generate a new request with the key it is for").Wrap(err)
	}
	return csr, nil
}

// decodeBase64 decodes standard base64 with or without padding, ignoring
// line breaks and other white space.
func decodeBase64(data []byte) ([]byte, bool) {
	compact := strings.Join(strings.Fields(string(data)), "")
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		if raw, err := enc.DecodeString(compact); err == nil && len(raw) > 0 {
			return raw, true
		}
	}
	return nil, false
}

// shortLabel keeps a PEM label from user input short enough for a message.
func shortLabel(s string) string {
	const max = 40
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// SHA256Hex is the SHA-256 of der as lowercase hex: the certificate id of
// X-Road's REST API and of Roadreg's GraphQL API.
func SHA256Hex(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// SHA256Base64 is the SHA-256 of der in standard base64, as X-Road's shared
// parameters list authentication certificate hashes.
func SHA256Base64(der []byte) string {
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// DN renders name as an RFC 4514 string (most specific attribute first, e.g.
// "CN=ss1,C=DEV"). Names read from certificates keep their encoded attribute
// order.
func DN(name pkix.Name) string {
	if len(name.Names) == 0 {
		return name.String()
	}
	rdns := make(pkix.RDNSequence, 0, len(name.Names))
	for _, atv := range name.Names {
		rdns = append(rdns, pkix.RelativeDistinguishedNameSET{atv})
	}
	return rdns.String()
}

// SubjectDN is the subject of cert as an RFC 4514 string, exactly as encoded
// (order and multi-valued RDNs kept).
func SubjectDN(cert *x509.Certificate) string { return rawDN(cert.RawSubject, cert.Subject) }

// IssuerDN is the issuer of cert as an RFC 4514 string, exactly as encoded.
func IssuerDN(cert *x509.Certificate) string { return rawDN(cert.RawIssuer, cert.Issuer) }

func rawDN(raw []byte, parsed pkix.Name) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &rdns); err == nil && len(rest) == 0 {
		return rdns.String()
	}
	return DN(parsed)
}

// describeCert names a certificate in messages: subject and serial.
func describeCert(cert *x509.Certificate) string {
	return fmt.Sprintf("%q (serial %s)", SubjectDN(cert), cert.SerialNumber.Text(16))
}
