package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"
	"slices"
	"strings"

	"golang.org/x/net/idna"

	"github.com/roadreg/roadreg/internal/xroad"
)

// CertProfile is a certificate profile, what X-Road calls a
// CertificateProfileInfoProvider and an approved CA names in the global
// configuration (certificateProfileInfo): the subject of a CSR for the CA's
// certificates, how a certificate's usage is told, and whom a signing
// certificate belongs to.
type CertProfile interface {
	// Info is the profile's name in the global configuration.
	Info() string
	// SubjectFields lists the fields of a CSR of the usage, prefilled from p.
	SubjectFields(usage xroad.KeyUsage, p ProfileParams) []SubjectField
	// CSR builds the CSR's subject and subject alternative names from the
	// fields' values (by field id) and checks them (INVALID_DISTINGUISHED_NAME).
	CSR(usage xroad.KeyUsage, values map[string]string, p ProfileParams) (CSRContent, error)
	// Usage tells what cert is for. keyUsage is the usage of the
	// certificate's key when the caller knows it ("" otherwise).
	Usage(cert *x509.Certificate, keyUsage xroad.KeyUsage) (xroad.KeyUsage, error)
	// SignMember returns the member a signing certificate of instance
	// belongs to; claim is what the certificate is presented for.
	SignMember(cert *x509.Certificate, instance string, claim MemberClaim) (xroad.ClientID, error)
}

// ProfileParams are what a CSR's fields are prefilled from.
type ProfileParams struct {
	Instance string
	// Member is the member of a signing CSR, the server owner for an
	// authentication CSR (zero when not known).
	Member     xroad.ClientID
	MemberName string
	ServerCode string
	// ServerAddress is the security server's address (registered, or to
	// be), the default of a subject alternative name.
	ServerAddress string
}

// CSRContent is what a CSR names.
type CSRContent struct {
	Subject     pkix.Name
	DNSNames    []string
	IPAddresses []net.IP
}

// AltNames lists the subject alternative names.
func (c CSRContent) AltNames() []string {
	out := slices.Clone(c.DNSNames)
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

// MemberClaim is what a signing certificate is presented for: the member
// (the security server's owner) and the addresses bound to that member —
// the address of the security server the request is about and the
// registered addresses of the member's security servers.
type MemberClaim struct {
	Member    xroad.ClientID
	Addresses []string
}

// Names of the profiles beside the default one (ProfileInfo).
const (
	// ProfileInfoBasic is X-Road's basic profile: the member is in the
	// subject (businessCategory = member class, serialNumber = member code).
	ProfileInfoBasic = "ee.ria.xroad.common.certificateprofile.impl.BasicCertificateProfileInfoProvider"
	// ProfileInfoBasicACME is X-Road's basic profile with a subject
	// alternative name, which ACME validates (X-Road 7.8).
	ProfileInfoBasicACME = "ee.ria.xroad.common.certificateprofile.impl.BasicACMECertificateProfileInfoProvider"
	// ProfileInfoSANOnly is Roadreg's profile for ACME CAs that issue
	// certificates naming only a host (subjectAltName, empty subject), as
	// standard ACME servers do. X-Road security servers do not know it.
	ProfileInfoSANOnly = "io.roadreg.certificateprofile.SanOnlyCertificateProfileInfoProvider"
)

// Field ids beside those of the default profile (X-Road's DN field ids).
const (
	FieldSerialNumber     = "serialNumber"
	FieldBusinessCategory = "businessCategory"
	FieldSubjectAltName   = "subjectAltName"
)

var (
	oidSerialNumber     = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidBusinessCategory = asn1.ObjectIdentifier{2, 5, 4, 15}
	oidCountry          = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidOrganization     = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidCommonName       = asn1.ObjectIdentifier{2, 5, 4, 3}
)

var (
	_ CertProfile = Profile{}
	_ CertProfile = basicProfile{}
	_ CertProfile = SANOnlyProfile{}
)

var profiles = []CertProfile{Profile{}, basicProfile{}, basicProfile{acme: true}, SANOnlyProfile{}}

// ProfileFor returns the profile an approved CA names. A name Roadreg does
// not implement fails with CERTIFICATE_PROFILE_INFO_CLASS_NOT_FOUND (X-Road's
// code for a profile class it cannot load).
func ProfileFor(info string) (CertProfile, error) {
	for _, p := range profiles {
		if p.Info() == info {
			return p, nil
		}
	}
	return nil, xroad.Errorf(CodeCertificateProfileNotFound,
		"The certificate profile %q is not supported; use one of %s", info, strings.Join(ProfileInfos(), ", ")).WithMetadata(info)
}

// ProfileInfos lists the names of the supported profiles.
func ProfileInfos() []string {
	out := make([]string, len(profiles))
	for i, p := range profiles {
		out[i] = p.Info()
	}
	return out
}

// basicProfile is X-Road's basic certificate profile and, with acme, its
// ACME variant with a subject alternative name (UG-CS §10, the profiles
// X-Road ships): authentication C, O = member name, serialNumber = member
// code, CN = server DNS name; signing C, O = member name, businessCategory =
// member class, serialNumber = member code, CN = member name. The member
// of a signing certificate is read from businessCategory and serialNumber.
type basicProfile struct{ acme bool }

func (b basicProfile) Info() string {
	if b.acme {
		return ProfileInfoBasicACME
	}
	return ProfileInfoBasic
}

func (b basicProfile) SubjectFields(usage xroad.KeyUsage, p ProfileParams) []SubjectField {
	fixed := func(id, label, value string) SubjectField {
		return SubjectField{ID: id, Label: label, DefaultValue: value, ReadOnly: value != "", Required: true}
	}
	free := func(id, label, value string) SubjectField {
		return SubjectField{ID: id, Label: label, DefaultValue: value, Required: true}
	}
	fields := []SubjectField{free(FieldCountry, "Country Code (C)", ""), fixed(FieldOrganization, "Organization Name (O)", p.MemberName)}
	if usage == xroad.UsageAuthentication {
		fields = append(fields, fixed(FieldSerialNumber, "Member Code (serialNumber)", p.Member.MemberCode),
			free(FieldCommonName, "Server DNS Name (CN)", p.ServerAddress))
	} else {
		fields = append(fields, fixed(FieldBusinessCategory, "Member Class (businessCategory)", p.Member.MemberClass),
			fixed(FieldSerialNumber, "Member Code (serialNumber)", p.Member.MemberCode),
			fixed(FieldCommonName, "Organization Name (CN)", p.MemberName))
	}
	if b.acme {
		fields = append(fields, free(FieldSubjectAltName, "Subject Alternative Name (SAN)", p.ServerAddress))
	}
	return fields
}

var basicOIDs = map[string]asn1.ObjectIdentifier{
	FieldCountry: oidCountry, FieldOrganization: oidOrganization, FieldCommonName: oidCommonName,
	FieldSerialNumber: oidSerialNumber, FieldBusinessCategory: oidBusinessCategory,
}

// CSR builds the subject in the order of the fields; the ACME variant adds
// the subject alternative name (a DNS name or an IP address).
func (b basicProfile) CSR(usage xroad.KeyUsage, values map[string]string, p ProfileParams) (CSRContent, error) {
	var out CSRContent
	for _, f := range b.SubjectFields(usage, p) {
		v := values[f.ID]
		if f.ID == FieldSubjectAltName {
			var err error
			if out, err = withSAN(out, v); err != nil {
				return out, err
			}
			continue
		}
		if v == "" {
			return out, xroad.Errorf(xroad.CodeInvalidDistinguishedName, "Missing parameter '%s' (%s)", f.ID, f.Label)
		}
		out.Subject.ExtraNames = append(out.Subject.ExtraNames, pkix.AttributeTypeAndValue{Type: basicOIDs[f.ID], Value: v})
	}
	return out, nil
}

func (basicProfile) Usage(cert *x509.Certificate, _ xroad.KeyUsage) (xroad.KeyUsage, error) {
	return CertUsage(cert)
}

// SignMember reads instance/businessCategory/serialNumber, as X-Road's basic
// profiles do; the claim plays no part.
func (basicProfile) SignMember(cert *x509.Certificate, instance string, _ MemberClaim) (xroad.ClientID, error) {
	one := func(oid asn1.ObjectIdentifier) string {
		var vs []string
		for _, atv := range cert.Subject.Names {
			if s, ok := atv.Value.(string); ok && atv.Type.Equal(oid) {
				vs = append(vs, s)
			}
		}
		if len(vs) != 1 {
			return ""
		}
		return vs[0]
	}
	id := xroad.ClientID{Instance: instance, MemberClass: one(oidBusinessCategory), MemberCode: one(oidSerialNumber)}
	if id.Validate() != nil {
		return xroad.ClientID{}, xroad.Errorf(xroad.CodeInvalidCertificate,
			"The member could not be read from the signing certificate's subject %q: the basic profile expects exactly one each of businessCategory=<member class>, serialNumber=<member code>",
			SubjectDN(cert))
	}
	return id, nil
}

// SANOnlyProfile is Roadreg's profile for ACME CAs that, like standard ACME
// servers, issue certificates that name only the host whose control the CA
// validated: a subject alternative name (DNS name or IP address of the
// security server), an empty subject (a CN equal to a subject alternative
// name is tolerated), keyUsage digitalSignature.
//
// Such a certificate does not say what it is for, so its usage is its
// key's, fixed when the key got its CSR or was ordered for. Nor does it name
// a member: a signing certificate belongs to the owner of the security
// server at the address it names — the CA proved that the certificate's
// holder controls that address, and the governing authority's registry binds
// the address to the server and so to its owner (SignMember). Only a server
// owner can therefore hold signing certificates of this profile, and a
// server that changes its address needs new ones.
type SANOnlyProfile struct{}

// Info is ProfileInfoSANOnly.
func (SANOnlyProfile) Info() string { return ProfileInfoSANOnly }

// SubjectFields is the subject alternative name alone, the server's address
// by default.
func (SANOnlyProfile) SubjectFields(_ xroad.KeyUsage, p ProfileParams) []SubjectField {
	return []SubjectField{{ID: FieldSubjectAltName, Label: "Subject Alternative Name (SAN): the security server's DNS name or IP address",
		DefaultValue: p.ServerAddress, Required: true}}
}

// CSR has an empty subject and the subject alternative name.
func (SANOnlyProfile) CSR(_ xroad.KeyUsage, values map[string]string, _ ProfileParams) (CSRContent, error) {
	return withSAN(CSRContent{}, values[FieldSubjectAltName])
}

// Usage is keyUsage, which must be known, when the certificate fits the
// profile and its key usage extension allows it: digitalSignature for
// authentication, digitalSignature or nonRepudiation for signing.
func (SANOnlyProfile) Usage(cert *x509.Certificate, keyUsage xroad.KeyUsage) (xroad.KeyUsage, error) {
	sans := SubjectAltNames(cert)
	if len(sans) == 0 {
		return "", xroad.Errorf(xroad.CodeInvalidCertificate,
			"The certificate names no DNS name or IP address (subject alternative name), which the SAN-only certificate profile requires")
	}
	values, _ := subjectValues(cert.Subject)
	for attr, vs := range values {
		if attr != FieldCommonName || len(vs) != 1 || !slices.Contains(sans, strings.ToLower(vs[0])) {
			return "", xroad.Errorf(xroad.CodeInvalidCertificate,
				"The certificate's subject %q does not fit the SAN-only certificate profile: the subject must be empty or a CN equal to a subject alternative name", SubjectDN(cert))
		}
	}
	if !slices.ContainsFunc(cert.Extensions, func(e pkix.Extension) bool { return e.Id.Equal(oidExtensionKeyUsage) }) {
		return "", xroad.Errorf(xroad.CodeInvalidCertificate, "The certificate has no key usage extension")
	}
	switch keyUsage {
	case xroad.UsageAuthentication:
		if cert.KeyUsage&x509.KeyUsageDigitalSignature != 0 {
			return keyUsage, nil
		}
		return "", xroad.Errorf(xroad.CodeWrongCertUsage, "The certificate does not allow digitalSignature, which an authentication certificate needs")
	case xroad.UsageSigning:
		if cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) != 0 {
			return keyUsage, nil
		}
		return "", xroad.Errorf(xroad.CodeWrongCertUsage, "The certificate allows neither digitalSignature nor nonRepudiation, one of which a signing certificate needs")
	}
	return "", xroad.Errorf(xroad.CodeWrongCertUsage,
		"Under the SAN-only certificate profile a certificate's usage is its key's, and the key's usage is not known yet: generate the key's CSR (or order its certificate) first")
}

// SignMember is claim.Member when the certificate names one of
// claim.Addresses, else INVALID_CERTIFICATE.
func (SANOnlyProfile) SignMember(cert *x509.Certificate, _ string, claim MemberClaim) (xroad.ClientID, error) {
	sans := SubjectAltNames(cert)
	for _, a := range claim.Addresses {
		if slices.Contains(sans, normalHost(a)) {
			return claim.Member, nil
		}
	}
	return xroad.ClientID{}, xroad.Errorf(xroad.CodeInvalidCertificate,
		"The signing certificate names %s; under the SAN-only certificate profile it belongs to the owner of the security server at that address, and that is not a security server of %s (addresses: %s)",
		strings.Join(sans, ", "), claim.Member, strings.Join(claim.Addresses, ", "))
}

// SubjectAltNames lists a certificate's DNS names (lower case, without a
// trailing dot) and IP addresses.
func SubjectAltNames(cert *x509.Certificate) []string {
	var out []string
	for _, d := range cert.DNSNames {
		out = append(out, normalHost(d))
	}
	for _, ip := range cert.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

// normalHost is the form names are compared in: an IP address in Go's
// notation, a DNS name in lower-case ASCII (IDNA) without a trailing dot.
func normalHost(s string) string {
	if ip := net.ParseIP(s); ip != nil {
		return ip.String()
	}
	if a, err := idna.Lookup.ToASCII(s); err == nil {
		s = a
	}
	return strings.TrimSuffix(strings.ToLower(s), ".")
}

// withSAN adds a subject alternative name: a DNS name or an IP address.
func withSAN(c CSRContent, san string) (CSRContent, error) {
	if err := xroad.ValidateHostAddress(FieldSubjectAltName, san); err != nil {
		return c, xroad.Errorf(xroad.CodeInvalidDistinguishedName,
			"The subject alternative name must be the security server's DNS name or IP address: %s", xroad.Message(err))
	}
	if ip := net.ParseIP(san); ip != nil {
		c.IPAddresses = append(c.IPAddresses, ip)
	} else {
		c.DNSNames = append(c.DNSNames, normalHost(san))
	}
	return c, nil
}
