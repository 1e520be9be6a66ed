package testca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Certificate profiles Sign knows.
const (
	ProfileAuth = "auth" // authentication certificate of a security server
	ProfileSign = "sign" // signing certificate of a member
	// ProfileSAN is a certificate as standard ACME CAs issue them, for the
	// SAN-only certificate profile (pki.SANOnlyProfile): the CSR's subject
	// alternative names, an empty subject, keyUsage digitalSignature.
	ProfileSAN = "san"
)

// Validity of issued certificates.
const (
	DefaultDays = 365
	MaxDays     = 3650
)

// Sign issues a certificate for a PKCS#10 request (PEM or DER) under a
// profile of X-Road's default certificate profile and records it in the
// index:
//   - "auth": the subject must be exactly C=<instance>, CN=<server code>;
//     keyUsage digitalSignature (+keyEncipherment for RSA keys), extKeyUsage
//     clientAuth and serverAuth;
//   - "sign": the subject must be exactly C=<instance>, O=<member class>,
//     CN=<member code>; keyUsage nonRepudiation only;
//   - "san": the CSR must name a DNS name or IP address (subject alternative
//     name) and nothing else; the certificate has them and an empty
//     subject, keyUsage digitalSignature, extKeyUsage serverAuth and
//     clientAuth.
//
// Every certificate gets a random 128-bit serial, the OCSP responder URL
// (AIA), and a validity from a minute ago to days (default 365, at most
// MaxDays) from now, cut at the CA certificate's end. It returns the
// certificate's DER. Bad input fails with BAD_USER_INPUT, INVALID_CSR or
// INVALID_DISTINGUISHED_NAME, and records nothing.
func (ca *CA) Sign(csrData []byte, profile string, days int) ([]byte, error) {
	usage, err := profileUsage(profile)
	if err != nil && profile != ProfileSAN {
		return nil, err
	}
	switch {
	case days == 0:
		days = DefaultDays
	case days < 0 || days > MaxDays:
		return nil, xroad.BadInput("days", "The validity must be between 1 and %d days (got %d)", MaxDays, days)
	}
	csr, err := pki.ParseCSR(csrData)
	if err != nil {
		return nil, err
	}
	if err := checkPublicKey(csr.PublicKey); err != nil {
		return nil, err
	}
	if profile == ProfileSAN {
		if len(csr.DNSNames)+len(csr.IPAddresses) == 0 || len(csr.Subject.Names) > 0 || len(csr.EmailAddresses)+len(csr.URIs) > 0 {
			return nil, xroad.Errorf(xroad.CodeInvalidDistinguishedName, "A CSR for the san profile names DNS names or IP addresses and nothing else")
		}
	} else if err := (pki.Profile{}).CheckSubject(usage, csr.Subject, ca.cfg.Instance); err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		RawSubject:            csr.RawSubject,
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              now.Add(time.Duration(days) * 24 * time.Hour),
		BasicConstraintsValid: true,
		OCSPServer:            []string{ca.OCSPURL()},
		IssuingCertificateURL: []string{ca.cfg.BaseURL + PathCACert},
	}
	if tmpl.NotAfter.After(ca.cert.NotAfter) {
		tmpl.NotAfter = ca.cert.NotAfter
	}
	switch {
	case profile == ProfileSAN:
		tmpl.RawSubject = nil
		tmpl.DNSNames, tmpl.IPAddresses = csr.DNSNames, csr.IPAddresses
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	case usage == xroad.UsageAuthentication:
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		if _, isRSA := csr.PublicKey.(*rsa.PublicKey); isRSA {
			tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
		}
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}
	default:
		tmpl.KeyUsage = x509.KeyUsageContentCommitment
	}

	var der []byte
	err = ca.update(func(index []Entry) ([]Entry, error) {
		serial, err := randomSerial()
		for err == nil && indexOf(index, serial) >= 0 {
			serial, err = randomSerial()
		}
		if err != nil {
			return nil, err
		}
		tmpl.SerialNumber = serial
		if der, err = x509.CreateCertificate(rand.Reader, tmpl, ca.cert, csr.PublicKey, ca.key); err != nil {
			return nil, xroad.Errorf(xroad.CodeInternal, "could not create the certificate").Wrap(err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		return append(index, Entry{
			Serial:    cert.SerialNumber.Text(16),
			Profile:   profile,
			Subject:   pki.SubjectDN(cert),
			NotBefore: cert.NotBefore,
			NotAfter:  cert.NotAfter,
			SHA256:    pki.SHA256Hex(der),
			Status:    StatusGood,
		}), nil
	})
	if err != nil {
		return nil, err
	}
	return der, nil
}

func profileUsage(profile string) (xroad.KeyUsage, error) {
	switch profile {
	case ProfileAuth:
		return xroad.UsageAuthentication, nil
	case ProfileSign:
		return xroad.UsageSigning, nil
	}
	return "", xroad.BadInput("profile", "Unknown certificate profile %q: use %q (authentication), %q (signing) or %q (subject alternative names only)",
		profile, ProfileAuth, ProfileSign, ProfileSAN)
}

// checkPublicKey accepts the key types X-Road uses: RSA of at least 2048 bits
// and ECDSA on the NIST curves.
func checkPublicKey(pub any) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() >= 2048 {
			return nil
		}
		return xroad.BadInput("csr", "The RSA key has %d bits; at least 2048 are required", k.N.BitLen())
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return nil
		}
	}
	return xroad.BadInput("csr", "The key type %T is not supported: use RSA (2048 bits or more) or EC (P-256, P-384, P-521)", pub)
}
