package mgmtreq

import (
	"bytes"
	"crypto/x509"
	"slices"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// PKITrust is the central server's Trust, made with internal/pki from what
// the global configuration says: the approved CAs' certificates and
// certificate profiles, the instance identifier, the management-service
// provider and ocspFreshnessSeconds. Certificates are read with their CA's
// profile (WithProfile), X-Road's default (EJBCA) profile unless told.
type PKITrust struct {
	approvedCAs []*x509.Certificate
	instance    string
	provider    xroad.ClientID
	freshness   time.Duration
	profiles    map[string]pki.CertProfile // by the CA certificate's SHA-256
	addresses   func(owner xroad.ClientID) []string
}

// TrustOption configures a PKITrust.
type TrustOption func(*PKITrust)

// WithProfile reads the certificates ca issues with profile p.
func WithProfile(ca *x509.Certificate, p pki.CertProfile) TrustOption {
	return func(t *PKITrust) { t.profiles[pki.SHA256Hex(ca.Raw)] = p }
}

// WithServerAddresses gives the registered addresses of a member's security
// servers, which a signing certificate of a profile that names a server's
// address (pki.SANOnlyProfile) may name besides the request's address.
func WithServerAddresses(f func(owner xroad.ClientID) []string) TrustOption {
	return func(t *PKITrust) { t.addresses = f }
}

// NewPKITrust returns a Trust that accepts certificates chaining to one of
// approvedCAs (top CAs and intermediate CAs alike act as trust anchors) and
// OCSP responses at most freshness old (0 means X-Road's default, one hour).
func NewPKITrust(approvedCAs []*x509.Certificate, instance string, provider xroad.ClientID, freshness time.Duration, opts ...TrustOption) *PKITrust {
	t := &PKITrust{
		approvedCAs: append([]*x509.Certificate(nil), approvedCAs...),
		instance:    instance,
		provider:    provider,
		freshness:   freshness,
		profiles:    map[string]pki.CertProfile{},
	}
	for _, o := range opts {
		o(t)
	}
	return t
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
	usage, err := t.profile(cert).Usage(cert, want)
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

// profile is the certificate profile of cert's issuer.
func (t *PKITrust) profile(cert *x509.Certificate) pki.CertProfile {
	if ca := t.issuer(cert); ca != nil {
		if p, ok := t.profiles[pki.SHA256Hex(ca.Raw)]; ok {
			return p
		}
	}
	return pki.Profile{}
}

// SignMember implements Trust with the profile of the certificate's CA; the
// registered addresses of the claimed member's servers count with the
// request's.
func (t *PKITrust) SignMember(cert *x509.Certificate, claim pki.MemberClaim) (xroad.ClientID, error) {
	if t.addresses != nil {
		claim.Addresses = append(slices.Clone(claim.Addresses), t.addresses(claim.Member)...)
	}
	return t.profile(cert).SignMember(cert, t.instance, claim)
}

// Instance implements Trust.
func (t *PKITrust) Instance() string { return t.instance }

// ManagementServiceProvider implements Trust.
func (t *PKITrust) ManagementServiceProvider() xroad.ClientID { return t.provider }
