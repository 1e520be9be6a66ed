package mgmtreq

import (
	"bytes"
	"crypto/x509"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// PKITrust is the central server's Trust, made with internal/pki from what
// the global configuration says: the approved CAs' certificates, the instance
// identifier, the management-service provider and ocspFreshnessSeconds.
// Certificates are read with X-Road's default (EJBCA) certificate profile.
type PKITrust struct {
	approvedCAs []*x509.Certificate
	instance    string
	provider    xroad.ClientID
	freshness   time.Duration
}

// NewPKITrust returns a Trust that accepts certificates chaining to one of
// approvedCAs (top CAs and intermediate CAs alike act as trust anchors) and
// OCSP responses at most freshness old (0 means X-Road's default, one hour).
func NewPKITrust(approvedCAs []*x509.Certificate, instance string, provider xroad.ClientID, freshness time.Duration) *PKITrust {
	return &PKITrust{
		approvedCAs: append([]*x509.Certificate(nil), approvedCAs...),
		instance:    instance,
		provider:    provider,
		freshness:   freshness,
	}
}

// VerifyAuthCert implements Trust.
func (t *PKITrust) VerifyAuthCert(cert *x509.Certificate, now time.Time) error {
	return t.verifyCert(cert, now, xroad.UsageAuthentication)
}

// VerifyOwnerCert implements Trust.
func (t *PKITrust) VerifyOwnerCert(cert *x509.Certificate, ocspDER []byte, now time.Time) error {
	if err := t.verifyCert(cert, now, xroad.UsageSigning); err != nil {
		return err
	}
	issuer := t.issuer(cert)
	if issuer == nil {
		// VerifyChain passed, so an approved CA issued it; this cannot happen.
		return xroad.Errorf(xroad.CodeCertNotFromApprovedCA, "The issuer of the certificate is not an approved certification authority")
	}
	status, _, err := pki.VerifyOCSPResponse(ocspDER, cert, issuer, now, t.freshness)
	if err != nil {
		return err
	}
	if e := pki.OCSPStatusError(status); e != nil {
		return e
	}
	return nil
}

func (t *PKITrust) verifyCert(cert *x509.Certificate, now time.Time, want xroad.KeyUsage) error {
	if err := pki.VerifyChain(cert, t.approvedCAs, nil, now); err != nil {
		return err
	}
	usage, err := pki.CertUsage(cert)
	if err != nil {
		return err
	}
	if usage != want {
		return xroad.Errorf(xroad.CodeWrongCertUsage, "the certificate is %s certificate, not %s certificate",
			usageName(usage), usageName(want))
	}
	return nil
}

func usageName(u xroad.KeyUsage) string {
	if u == xroad.UsageAuthentication {
		return "an authentication"
	}
	return "a signing"
}

// issuer is the approved CA certificate that signed cert.
func (t *PKITrust) issuer(cert *x509.Certificate) *x509.Certificate {
	for _, ca := range t.approvedCAs {
		if bytes.Equal(ca.RawSubject, cert.RawIssuer) && cert.CheckSignatureFrom(ca) == nil {
			return ca
		}
	}
	return nil
}

// DecodeMemberID implements Trust with the default certificate profile.
func (t *PKITrust) DecodeMemberID(cert *x509.Certificate) (xroad.ClientID, error) {
	return pki.Profile{}.DecodeSignMemberID(cert)
}

// Instance implements Trust.
func (t *PKITrust) Instance() string { return t.instance }

// ManagementServiceProvider implements Trust.
func (t *PKITrust) ManagementServiceProvider() xroad.ClientID { return t.provider }
