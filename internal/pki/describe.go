package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Details is what an administrator reads of a certificate: X-Road's
// CertificateDetails of the security server's REST API (subject, issuer,
// validity, serial, version, algorithms, key usages, subject alternative
// names, hash) with the SHA-1 hash, the key identifiers, the OCSP responders
// it names and every extension.
type Details struct {
	Subject, Issuer                     string
	SubjectCommonName, IssuerCommonName string
	// SerialNumber is decimal, as elsewhere in the API.
	SerialNumber        string
	Version             int
	NotBefore, NotAfter time.Time
	// SignatureAlgorithm is the JCA name (SHA256withRSA, …) where X-Road
	// has one; Signature is the signature value in hex.
	SignatureAlgorithm string
	Signature          string
	// PublicKeyAlgorithm is RSA, EC or Ed25519; PublicKeySize the RSA
	// modulus or EC field in bits; ECCurve the curve's name.
	PublicKeyAlgorithm string
	PublicKeySize      int
	ECCurve            string
	// KeyUsages are X-Road's KeyUsage names (DIGITAL_SIGNATURE, …).
	KeyUsages []string
	// ExtendedKeyUsages are RFC 5280's names (clientAuth, …) or dotted
	// object identifiers.
	ExtendedKeyUsages []string
	// SubjectAlternativeNames are "DNS:name", "IP:address", "email:…",
	// "URI:…".
	SubjectAlternativeNames []string
	OCSPResponderURLs       []string
	// AuthorityKeyID and SubjectKeyID are hex ("" when absent).
	AuthorityKeyID, SubjectKeyID string
	// SHA1 and SHA256 are lower-case hex of the DER.
	SHA1, SHA256 string
	Extensions   []Extension
}

// Extension is one X.509 extension as text.
type Extension struct {
	OID string
	// Name is the extension's RFC 5280 name ("" when unknown).
	Name     string
	Critical bool
	// Value is readable for the extensions Name covers, hex otherwise.
	Value string
}

// keyUsageNames are X-Road's names of the key usage bits, in bit order.
var keyUsageNames = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "DIGITAL_SIGNATURE"},
	{x509.KeyUsageContentCommitment, "NON_REPUDIATION"},
	{x509.KeyUsageKeyEncipherment, "KEY_ENCIPHERMENT"},
	{x509.KeyUsageDataEncipherment, "DATA_ENCIPHERMENT"},
	{x509.KeyUsageKeyAgreement, "KEY_AGREEMENT"},
	{x509.KeyUsageCertSign, "KEY_CERT_SIGN"},
	{x509.KeyUsageCRLSign, "CRL_SIGN"},
	{x509.KeyUsageEncipherOnly, "ENCIPHER_ONLY"},
	{x509.KeyUsageDecipherOnly, "DECIPHER_ONLY"},
}

var extKeyUsageNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:             "anyExtendedKeyUsage",
	x509.ExtKeyUsageServerAuth:      "serverAuth",
	x509.ExtKeyUsageClientAuth:      "clientAuth",
	x509.ExtKeyUsageCodeSigning:     "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection",
	x509.ExtKeyUsageTimeStamping:    "timeStamping",
	x509.ExtKeyUsageOCSPSigning:     "OCSPSigning",
}

// extensionNames are the RFC 5280 names of the extensions Describe reads.
var extensionNames = map[string]string{
	"2.5.29.14":         "subjectKeyIdentifier",
	"2.5.29.15":         "keyUsage",
	"2.5.29.17":         "subjectAltName",
	"2.5.29.19":         "basicConstraints",
	"2.5.29.31":         "cRLDistributionPoints",
	"2.5.29.32":         "certificatePolicies",
	"2.5.29.35":         "authorityKeyIdentifier",
	"2.5.29.37":         "extKeyUsage",
	"1.3.6.1.5.5.7.1.1": "authorityInfoAccess",
}

// x509Algorithms map x509's signature algorithms to the hash and scheme of
// SignatureAlgorithms, so they get their JCA names.
var x509Algorithms = map[x509.SignatureAlgorithm]struct {
	hash   crypto.Hash
	scheme SignatureScheme
}{
	x509.SHA256WithRSA:    {crypto.SHA256, SchemeRSAPKCS1v15},
	x509.SHA384WithRSA:    {crypto.SHA384, SchemeRSAPKCS1v15},
	x509.SHA512WithRSA:    {crypto.SHA512, SchemeRSAPKCS1v15},
	x509.SHA256WithRSAPSS: {crypto.SHA256, SchemeRSAPSS},
	x509.SHA384WithRSAPSS: {crypto.SHA384, SchemeRSAPSS},
	x509.SHA512WithRSAPSS: {crypto.SHA512, SchemeRSAPSS},
	x509.ECDSAWithSHA256:  {crypto.SHA256, SchemeECDSA},
	x509.ECDSAWithSHA384:  {crypto.SHA384, SchemeECDSA},
	x509.ECDSAWithSHA512:  {crypto.SHA512, SchemeECDSA},
}

// Describe reads a certificate's details.
func Describe(cert *x509.Certificate) Details {
	sum := sha1.Sum(cert.Raw)
	d := Details{
		Subject: SubjectDN(cert), Issuer: IssuerDN(cert),
		SubjectCommonName: cert.Subject.CommonName, IssuerCommonName: cert.Issuer.CommonName,
		SerialNumber: cert.SerialNumber.String(), Version: cert.Version,
		NotBefore: cert.NotBefore, NotAfter: cert.NotAfter,
		SignatureAlgorithm: signatureAlgorithmName(cert.SignatureAlgorithm), Signature: hex.EncodeToString(cert.Signature),
		KeyUsages: keyUsages(cert.KeyUsage), ExtendedKeyUsages: extKeyUsages(cert),
		SubjectAlternativeNames: altNames(cert), OCSPResponderURLs: append([]string{}, cert.OCSPServer...),
		AuthorityKeyID: hex.EncodeToString(cert.AuthorityKeyId), SubjectKeyID: hex.EncodeToString(cert.SubjectKeyId),
		SHA1: hex.EncodeToString(sum[:]), SHA256: SHA256Hex(cert.Raw),
	}
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		d.PublicKeyAlgorithm, d.PublicKeySize = "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		d.PublicKeyAlgorithm, d.PublicKeySize, d.ECCurve = "EC", k.Curve.Params().BitSize, k.Curve.Params().Name
	case ed25519.PublicKey:
		d.PublicKeyAlgorithm, d.PublicKeySize = "Ed25519", 256
	default:
		d.PublicKeyAlgorithm = cert.PublicKeyAlgorithm.String()
	}
	for _, e := range cert.Extensions {
		oid := e.Id.String()
		d.Extensions = append(d.Extensions, Extension{OID: oid, Name: extensionNames[oid], Critical: e.Critical, Value: extensionValue(cert, oid, e.Value)})
	}
	return d
}

func signatureAlgorithmName(a x509.SignatureAlgorithm) string {
	if hs, ok := x509Algorithms[a]; ok {
		for _, s := range SignatureAlgorithms {
			if s.Hash == hs.hash && s.Scheme == hs.scheme {
				return s.JCA
			}
		}
	}
	return a.String()
}

func keyUsages(ku x509.KeyUsage) []string {
	out := []string{}
	for _, n := range keyUsageNames {
		if ku&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

func extKeyUsages(cert *x509.Certificate) []string {
	out := []string{}
	for _, u := range cert.ExtKeyUsage {
		if n, ok := extKeyUsageNames[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("extKeyUsage(%d)", u))
		}
	}
	for _, oid := range cert.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return out
}

func altNames(cert *x509.Certificate) []string {
	out := []string{}
	for _, n := range cert.DNSNames {
		out = append(out, "DNS:"+n)
	}
	for _, ip := range cert.IPAddresses {
		out = append(out, "IP:"+ip.String())
	}
	for _, m := range cert.EmailAddresses {
		out = append(out, "email:"+m)
	}
	for _, u := range cert.URIs {
		out = append(out, "URI:"+u.String())
	}
	return out
}

// extensionValue renders an extension the way openssl's text output does
// for the extensions x509 parses; others are hex.
func extensionValue(cert *x509.Certificate, oid string, raw []byte) string {
	switch oid {
	case "2.5.29.14":
		return hex.EncodeToString(cert.SubjectKeyId)
	case "2.5.29.35":
		return hex.EncodeToString(cert.AuthorityKeyId)
	case "2.5.29.15":
		return strings.Join(keyUsages(cert.KeyUsage), ", ")
	case "2.5.29.37":
		return strings.Join(extKeyUsages(cert), ", ")
	case "2.5.29.17":
		return strings.Join(altNames(cert), ", ")
	case "2.5.29.19":
		s := "CA:FALSE"
		if cert.IsCA {
			s = "CA:TRUE"
		}
		if cert.IsCA && (cert.MaxPathLen > 0 || cert.MaxPathLenZero) {
			s += fmt.Sprintf(", pathlen:%d", cert.MaxPathLen)
		}
		return s
	case "2.5.29.31":
		return strings.Join(cert.CRLDistributionPoints, ", ")
	case "1.3.6.1.5.5.7.1.1":
		var parts []string
		for _, u := range cert.OCSPServer {
			parts = append(parts, "OCSP: "+u)
		}
		for _, u := range cert.IssuingCertificateURL {
			parts = append(parts, "CA Issuers: "+u)
		}
		return strings.Join(parts, ", ")
	case "2.5.29.32":
		var ids []string
		for _, p := range cert.Policies {
			ids = append(ids, p.String())
		}
		if len(ids) == 0 {
			for _, p := range cert.PolicyIdentifiers {
				ids = append(ids, p.String())
			}
		}
		return strings.Join(ids, ", ")
	}
	return hex.EncodeToString(raw)
}

// OCSPResponseInfo is what an administrator reads of a stored OCSP
// response.
type OCSPResponseInfo struct {
	Status                 xroad.OcspStatus
	ProducedAt, ThisUpdate time.Time
	// NextUpdate and RevokedAt are zero when the response has none.
	NextUpdate, RevokedAt time.Time
	// Responder is the embedded responder certificate's subject, else the
	// responder's name or key hash.
	Responder string
}

// DescribeOCSPResponse reads an OCSP response (DER) that was verified when
// it was fetched; it does not verify it again.
func DescribeOCSPResponse(der []byte) (OCSPResponseInfo, error) {
	resp, err := ocsp.ParseResponse(der, nil)
	if err != nil {
		return OCSPResponseInfo{}, xroad.Errorf(xroad.CodeOcspVerificationFailed, "The stored OCSP response cannot be read").Wrap(err)
	}
	info := OCSPResponseInfo{Status: ocspStatus(resp), ProducedAt: resp.ProducedAt, ThisUpdate: resp.ThisUpdate,
		NextUpdate: resp.NextUpdate, RevokedAt: resp.RevokedAt}
	switch {
	case resp.Certificate != nil:
		info.Responder = SubjectDN(resp.Certificate)
	case len(resp.RawResponderName) > 0:
		info.Responder = rawDN(resp.RawResponderName, pkix.Name{})
	}
	if info.Responder == "" {
		info.Responder = "key hash " + hex.EncodeToString(resp.ResponderKeyHash)
	}
	return info, nil
}

// ocspStatus maps a response's certificate status to X-Road's.
func ocspStatus(resp *ocsp.Response) xroad.OcspStatus {
	switch resp.Status {
	case ocsp.Good:
		return xroad.OcspGood
	case ocsp.Revoked:
		if resp.RevocationReason == ocsp.CertificateHold {
			return xroad.OcspSuspended
		}
		return xroad.OcspRevoked
	}
	return xroad.OcspUnknown
}
