package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"slices"

	"github.com/roadreg/roadreg/internal/xroad"
)

var oidExtensionKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}

const authKeyUsages = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment

// CertUsage tells an authentication certificate from a signing certificate
// the way X-Road does on import (UC-SS SS_30, step 3):
// authentication if the extended key usage has clientAuth or the key usage has
// digitalSignature, keyEncipherment or dataEncipherment; signing if the key
// usage has nonRepudiation. Both, or neither, is WRONG_CERT_USAGE; a
// certificate without a key usage extension is INVALID_CERTIFICATE.
func CertUsage(cert *x509.Certificate) (xroad.KeyUsage, error) {
	if !slices.ContainsFunc(cert.Extensions, func(e pkix.Extension) bool { return e.Id.Equal(oidExtensionKeyUsage) }) {
		return "", xroad.Errorf(xroad.CodeInvalidCertificate,
			"The certificate has no key usage extension, so it is neither an authentication nor a signing certificate")
	}
	auth := slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageClientAuth) || cert.KeyUsage&authKeyUsages != 0
	sign := cert.KeyUsage&x509.KeyUsageContentCommitment != 0
	switch {
	case auth && sign:
		return "", xroad.Errorf(xroad.CodeWrongCertUsage,
			"The certificate allows both authentication and signing (non-repudiation); only one of them allowed")
	case auth:
		return xroad.UsageAuthentication, nil
	case sign:
		return xroad.UsageSigning, nil
	default:
		return "", xroad.Errorf(xroad.CodeWrongCertUsage,
			"The certificate allows neither authentication (digitalSignature, keyEncipherment, dataEncipherment or clientAuth) nor signing (nonRepudiation)")
	}
}
