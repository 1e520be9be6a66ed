package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/roadreg/roadreg/internal/xroad"
)

// ProfileInfo is X-Road's name for the default (EJBCA) certificate profile,
// as approved CAs carry it in the global configuration (certificateProfileInfo).
const ProfileInfo = "ee.ria.xroad.common.certificateprofile.impl.EjbcaCertificateProfileInfoProvider"

// Subject attribute ids used by the default profile.
const (
	FieldCountry      = "C"
	FieldOrganization = "O"
	FieldCommonName   = "CN"
)

// attributeNames are the short names used in messages.
var attributeNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.5": "SERIALNUMBER", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST",
	"2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.17": "POSTALCODE",
	"0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID", "1.2.840.113549.1.9.1": "emailAddress",
}

func attributeName(oid asn1.ObjectIdentifier) string {
	if n, ok := attributeNames[oid.String()]; ok {
		return n
	}
	return oid.String()
}

// Profile is X-Road's default (EJBCA) certificate profile: an authentication
// certificate's subject is C=<instance>, CN=<server code>; a signing
// certificate's subject is C=<instance>, O=<member class>, CN=<member code>.
// The country attribute holds the instance identifier even when it is longer
// than X.509's two letters (Go encodes it; openssl reads it).
type Profile struct{}

// Info is the profile's X-Road name (ProfileInfo).
func (Profile) Info() string { return ProfileInfo }

// AuthSubject is the subject of the authentication certificate of server
// serverCode in instance.
func (Profile) AuthSubject(instance, serverCode string) pkix.Name {
	return pkix.Name{Country: []string{instance}, CommonName: serverCode}
}

// SignSubject is the subject of the signing certificate of member id.
func (Profile) SignSubject(id xroad.ClientID) pkix.Name {
	return pkix.Name{Country: []string{id.Instance}, Organization: []string{id.MemberClass}, CommonName: id.MemberCode}
}

// SubjectField describes one subject attribute in the CSR wizard.
type SubjectField struct {
	ID           string // attribute short name: C, O, CN, serialNumber, businessCategory, subjectAltName
	Label        string
	DefaultValue string
	ReadOnly     bool // the value is fixed by the profile
	Required     bool
}

// SubjectFields lists the subject attributes a CSR of the given usage needs,
// prefilled from the instance, the member (signing only; unknown when zero)
// and the server code (authentication only). A field is read-only when its
// value is known, as X-Road's default profile fixes every field.
func (Profile) SubjectFields(usage xroad.KeyUsage, p ProfileParams) []SubjectField {
	field := func(id, label, value string) SubjectField {
		return SubjectField{ID: id, Label: label, DefaultValue: value, ReadOnly: value != "", Required: true}
	}
	country := field(FieldCountry, "Instance Identifier (C)", p.Instance)
	if usage == xroad.UsageAuthentication {
		return []SubjectField{country, field(FieldCommonName, "Server Code (CN)", p.ServerCode)}
	}
	return []SubjectField{country,
		field(FieldOrganization, "Member Class (O)", p.Member.MemberClass),
		field(FieldCommonName, "Member Code (CN)", p.Member.MemberCode)}
}

// CSR builds the subject C=<instance>, CN=<server code> (authentication) or
// C=<instance>, O=<member class>, CN=<member code> (signing) from the
// fields' values and checks it (CheckSubject). The default profile has no
// subject alternative names.
func (pr Profile) CSR(usage xroad.KeyUsage, values map[string]string, p ProfileParams) (CSRContent, error) {
	var n pkix.Name
	if v := values[FieldCountry]; v != "" {
		n.Country = []string{v}
	}
	if v := values[FieldOrganization]; v != "" {
		n.Organization = []string{v}
	}
	n.CommonName = values[FieldCommonName]
	return CSRContent{Subject: n}, pr.CheckSubject(usage, n, p.Instance)
}

// Usage is X-Road's rule (CertUsage): the default profile's certificates say
// what they are for.
func (Profile) Usage(cert *x509.Certificate, _ xroad.KeyUsage) (xroad.KeyUsage, error) {
	return CertUsage(cert)
}

// SignMember reads the member from the subject (DecodeSignMemberID); the
// claim plays no part.
func (pr Profile) SignMember(cert *x509.Certificate, _ string, _ MemberClaim) (xroad.ClientID, error) {
	return pr.DecodeSignMemberID(cert)
}

// DecodeSignMemberID reads the member a signing certificate was issued to:
// instance from C, member class from O, member code from CN. Other attributes
// are ignored. It fails with INVALID_CERTIFICATE.
func (Profile) DecodeSignMemberID(cert *x509.Certificate) (xroad.ClientID, error) {
	values, _ := subjectValues(cert.Subject)
	one := func(attr string) string {
		if v := values[attr]; len(v) == 1 {
			return v[0]
		}
		return ""
	}
	id := xroad.ClientID{Instance: one(FieldCountry), MemberClass: one(FieldOrganization), MemberCode: one(FieldCommonName)}
	if id.Validate() != nil {
		return xroad.ClientID{}, xroad.Errorf(xroad.CodeInvalidCertificate,
			"The member could not be read from the signing certificate's subject %q: the default profile expects exactly one each of C=<instance>, O=<member class>, CN=<member code>",
			SubjectDN(cert))
	}
	return id, nil
}

// CheckSubject checks that subject is exactly what the profile prescribes for
// usage in instance: C=<instance>, CN=<server code> for authentication;
// C=<instance>, O=<member class>, CN=<member code> for signing; no other
// attributes, each once, each a valid identifier part. It fails with
// INVALID_DISTINGUISHED_NAME and says what was expected.
func (Profile) CheckSubject(usage xroad.KeyUsage, subject pkix.Name, instance string) error {
	want := []string{FieldCountry, FieldCommonName}
	expected := fmt.Sprintf("C=%s, CN=<server code>", instance)
	if usage == xroad.UsageSigning {
		want = []string{FieldCountry, FieldOrganization, FieldCommonName}
		expected = fmt.Sprintf("C=%s, O=<member class>, CN=<member code>", instance)
	}
	fail := func(format string, args ...any) error {
		return xroad.Errorf(xroad.CodeInvalidDistinguishedName,
			"The subject %q does not fit the %s certificate profile: %s (expected exactly %s)",
			DN(subject), usageWord(usage), fmt.Sprintf(format, args...), expected)
	}
	values, err := subjectValues(subject)
	if err != nil {
		return fail("%v", err)
	}
	for _, attr := range slices.Sorted(maps.Keys(values)) {
		if !slices.Contains(want, attr) {
			return fail("it has the attribute %s, which the profile does not allow", attr)
		}
	}
	for _, attr := range want {
		v := values[attr]
		switch {
		case len(v) == 0:
			return fail("the attribute %s is missing", attr)
		case len(v) > 1:
			return fail("the attribute %s appears %d times", attr, len(v))
		}
		var xe *xroad.Error
		if err := xroad.ValidatePart(attr, v[0]); errors.As(err, &xe) {
			return fail("%s", xe.Message)
		}
	}
	if c := values[FieldCountry][0]; c != instance {
		return fail("C is %q but the instance is %q", c, instance)
	}
	return nil
}

func usageWord(u xroad.KeyUsage) string {
	if u == xroad.UsageSigning {
		return "signing"
	}
	return "authentication"
}

// subjectValues groups the text values of name's attributes by short name
// (dotted OID for attributes without one).
func subjectValues(name pkix.Name) (map[string][]string, error) {
	atvs := name.Names
	if len(atvs) == 0 {
		for _, rdn := range name.ToRDNSequence() {
			atvs = append(atvs, rdn...)
		}
	}
	values := make(map[string][]string)
	for _, atv := range atvs {
		attr := attributeName(atv.Type)
		s, ok := atv.Value.(string)
		if !ok {
			return nil, fmt.Errorf("the attribute %s is not a text value", attr)
		}
		values[attr] = append(values[attr], s)
	}
	return values, nil
}
