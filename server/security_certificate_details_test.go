package main

// Certificate details on the security server: the decoded certificate, its
// hashes and the stored OCSP response (tokenCertificate, Certificate.details,
// Certificate.ocspResponse).

import (
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

const qTokenCertificate = `query($h: String!) { tokenCertificate(hash: $h) { id status ocspUpdatedAt
	details { subject subjectCommonName issuer issuerCommonName serialNumber version notBefore notAfter signatureAlgorithm
		publicKeyAlgorithm publicKeySize ecCurve keyUsages extendedKeyUsages subjectAlternativeNames sha1 sha256
		ocspResponderUrls authorityKeyId subjectKeyId extensions { oid name critical value } }
	ocspResponse { status producedAt thisUpdate nextUpdate revokedAt responder } } }`

type detailsNode struct {
	ID            gid
	Status        string
	OcspUpdatedAt *string
	Details       struct {
		Subject, Issuer, SerialNumber, SignatureAlgorithm, PublicKeyAlgorithm, Sha1, Sha256 string
		SubjectCommonName, IssuerCommonName, EcCurve, AuthorityKeyID, SubjectKeyID          *string
		Version                                                                             int
		PublicKeySize                                                                       *int
		KeyUsages, ExtendedKeyUsages, SubjectAlternativeNames, OcspResponderUrls            []string
		Extensions                                                                          []struct {
			Oid, Value string
			Name       *string
			Critical   bool
		}
	}
	OcspResponse *struct {
		Status, ProducedAt, ThisUpdate, Responder string
		NextUpdate, RevokedAt                     *string
	}
}

func TestCertificateDetails(t *testing.T) {
	t.Parallel()
	e, sign := newRegisteredSS(t)
	so := e.officer
	// By hash, in either case.
	var out struct{ TokenCertificate *detailsNode }
	so.ok(t, qTokenCertificate, map[string]any{"h": strings.ToUpper(sign.Sha256)}, &out)
	c := out.TokenCertificate
	if c == nil || c.ID != sign.ID {
		t.Fatalf("tokenCertificate = %+v", c)
	}
	der := mustDER(t, sign.PEM)
	sum := sha1.Sum(der)
	d := c.Details
	if d.Subject != sign.Subject || d.Sha256 != sign.Sha256 || d.Sha1 != hex.EncodeToString(sum[:]) || d.Version != 3 ||
		d.SubjectCommonName == nil || *d.SubjectCommonName != fcsOwnerCode || d.IssuerCommonName == nil || *d.IssuerCommonName != e.cs.ca.Name() ||
		d.PublicKeyAlgorithm != "EC" || d.EcCurve == nil || *d.EcCurve != "P-256" || d.PublicKeySize == nil || *d.PublicKeySize != 256 ||
		!slices.Equal(d.KeyUsages, []string{"NON_REPUDIATION"}) || !slices.Contains(d.OcspResponderUrls, e.cs.ca.OCSPURL()) ||
		d.AuthorityKeyID == nil || len(d.Extensions) == 0 || !strings.HasSuffix(d.SignatureAlgorithm, "withECDSA") {
		t.Errorf("details = %+v", d)
	}
	if o := c.OcspResponse; o == nil || o.Status != "OCSP_RESPONSE_GOOD" || o.Responder == "" || o.ThisUpdate == "" || c.OcspUpdatedAt == nil {
		t.Errorf("OCSP response = %+v (checked at %v)", o, c.OcspUpdatedAt)
	}

	// A saved authentication certificate has no OCSP response yet.
	auth := e.certify(t, e.generateKey(t, e.token(t, "SOFTWARE").ID, "auth", "EC").ID, "AUTHENTICATION")
	so.ok(t, qTokenCertificate, map[string]any{"h": auth.Sha256}, &out)
	if c := out.TokenCertificate; c == nil || c.OcspResponse != nil || !slices.Contains(c.Details.ExtendedKeyUsages, "clientAuth") {
		t.Errorf("authentication certificate = %+v", c)
	}
	// Through node(id) as well.
	var n struct {
		Node struct{ Details struct{ Sha256 string } }
	}
	so.ok(t, `query($id: ID!) { node(id: $id) { ... on Certificate { details { sha256 } } } }`, map[string]any{"id": auth.ID}, &n)
	if n.Node.Details.Sha256 != auth.Sha256 {
		t.Errorf("node details = %+v", n)
	}

	so.ok(t, qTokenCertificate, map[string]any{"h": strings.Repeat("ab", 32)}, &out)
	if out.TokenCertificate != nil {
		t.Errorf("an unknown hash found %+v", out.TokenCertificate)
	}
	r := so.fails(t, xroad.CodeBadUserInput, qTokenCertificate, map[string]any{"h": "not a hash"})
	if r.Errors[0].Extensions["field"] != "hash" {
		t.Errorf("error does not name the field: %s", r.raw)
	}
}
