package pki

import (
	"crypto/x509"
	"errors"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// VerifyChain checks that cert chains to one of roots (through any of
// intermediates) and that every certificate of the chain is valid at at.
// Extended key usages are not restricted: X-Road certificates carry various
// ones. A certificate that no approved CA issued fails with
// CERT_NOT_FROM_APPROVED_CA; one that is (or whose CA is) outside its validity
// period at that time fails with CERT_NOT_VALID.
func VerifyChain(cert *x509.Certificate, roots, intermediates []*x509.Certificate, at time.Time) error {
	_, err := cert.Verify(verifyOptions(roots, intermediates, at))
	if err == nil {
		return nil
	}
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &unknown):
		return notFromApprovedCA(cert, err)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		// Go checks the time before the chain; X-Road checks the chain first.
		if !chainsAtSomeTime(cert, roots, intermediates) {
			return notFromApprovedCA(cert, err)
		}
		if invalid.Cert != nil && !invalid.Cert.Equal(cert) {
			return xroad.Errorf(xroad.CodeCertNotValid,
				"The CA certificate %s in the chain of the certificate is not valid at %s (it is valid from %s to %s)",
				describeCert(invalid.Cert), stamp(at), stamp(invalid.Cert.NotBefore), stamp(invalid.Cert.NotAfter)).Wrap(err)
		}
		return xroad.Errorf(xroad.CodeCertNotValid, "The certificate %s is not valid at %s (it is valid from %s to %s)",
			describeCert(cert), stamp(at), stamp(cert.NotBefore), stamp(cert.NotAfter)).Wrap(err)
	case errors.As(err, &invalid) && invalid.Reason == x509.NotAuthorizedToSign:
		return notFromApprovedCA(cert, err)
	default:
		return xroad.Errorf(xroad.CodeCertNotValid, "The certificate %s is not valid: %v", describeCert(cert), err).Wrap(err)
	}
}

func verifyOptions(roots, intermediates []*x509.Certificate, at time.Time) x509.VerifyOptions {
	opts := x509.VerifyOptions{
		Roots:         x509.NewCertPool(), // never the system pool
		Intermediates: x509.NewCertPool(),
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
	for _, c := range roots {
		opts.Roots.AddCert(c)
	}
	for _, c := range intermediates {
		opts.Intermediates.AddCert(c)
	}
	return opts
}

// chainsAtSomeTime reports whether cert chains to roots at the start, the end
// or the middle of its own validity period.
func chainsAtSomeTime(cert *x509.Certificate, roots, intermediates []*x509.Certificate) bool {
	mid := cert.NotBefore.Add(cert.NotAfter.Sub(cert.NotBefore) / 2)
	for _, t := range []time.Time{cert.NotBefore, mid, cert.NotAfter} {
		if _, err := cert.Verify(verifyOptions(roots, intermediates, t)); err == nil {
			return true
		}
	}
	return false
}

func notFromApprovedCA(cert *x509.Certificate, err error) error {
	return xroad.Errorf(xroad.CodeCertNotFromApprovedCA,
		"The certificate %s was not issued by an approved certification authority (its issuer is %q)",
		describeCert(cert), IssuerDN(cert)).Wrap(err)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
