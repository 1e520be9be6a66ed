package pki

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/pki/pkitest"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestDescribeECCertificate(t *testing.T) {
	ca := newTestCA(t, "Describe CA")
	cert, _ := ca.leaf(t, &x509.Certificate{
		Subject:         pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: "ss1"},
		KeyUsage:        x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		DNSNames:        []string{"ss1.example.org"},
		IPAddresses:     []net.IP{net.ParseIP("192.0.2.7")},
		OCSPServer:      []string{"http://ocsp.example.org"},
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: []byte{0x05, 0x00}}},
	})
	d := Describe(cert)
	sum := sha1.Sum(cert.Raw)
	checks := []struct {
		name      string
		got, want any
	}{
		{"subject", d.Subject, SubjectDN(cert)},
		{"subject CN", d.SubjectCommonName, "ss1"},
		{"issuer CN", d.IssuerCommonName, "Describe CA"},
		{"serial", d.SerialNumber, cert.SerialNumber.String()},
		{"version", d.Version, 3},
		{"signature algorithm", d.SignatureAlgorithm, "SHA256withECDSA"},
		{"signature", d.Signature, hex.EncodeToString(cert.Signature)},
		{"public key", d.PublicKeyAlgorithm + " " + d.ECCurve, "EC P-256"},
		{"key size", d.PublicKeySize, 256},
		{"key usages", strings.Join(d.KeyUsages, ","), "DIGITAL_SIGNATURE,KEY_ENCIPHERMENT"},
		{"extended key usages", strings.Join(d.ExtendedKeyUsages, ","), "clientAuth,serverAuth"},
		{"alternative names", strings.Join(d.SubjectAlternativeNames, ","), "DNS:ss1.example.org,IP:192.0.2.7"},
		{"OCSP", strings.Join(d.OCSPResponderURLs, ","), "http://ocsp.example.org"},
		{"SHA-1", d.SHA1, hex.EncodeToString(sum[:])},
		{"SHA-256", d.SHA256, SHA256Hex(cert.Raw)},
		{"authority key id", d.AuthorityKeyID, hex.EncodeToString(ca.cert.SubjectKeyId)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	byName := map[string]Extension{}
	for _, e := range d.Extensions {
		byName[e.OID] = e
	}
	for oid, want := range map[string]Extension{
		"2.5.29.15":         {Name: "keyUsage", Critical: true, Value: "DIGITAL_SIGNATURE, KEY_ENCIPHERMENT"},
		"2.5.29.37":         {Name: "extKeyUsage", Value: "clientAuth, serverAuth"},
		"2.5.29.17":         {Name: "subjectAltName", Value: "DNS:ss1.example.org, IP:192.0.2.7"},
		"1.3.6.1.5.5.7.1.1": {Name: "authorityInfoAccess", Value: "OCSP: http://ocsp.example.org"},
		"1.2.3.4":           {Value: "0500"},
	} {
		want.OID = oid
		if got := byName[oid]; got != want {
			t.Errorf("extension %s = %+v, want %+v", oid, got, want)
		}
	}
	if len(d.Extensions) != len(cert.Extensions) {
		t.Errorf("%d extensions described, the certificate has %d", len(d.Extensions), len(cert.Extensions))
	}
}

func TestDescribeRSACACertificate(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cert := pkitest.Issue(t, &x509.Certificate{
		SerialNumber: big.NewInt(77), Subject: pkix.Name{CommonName: "RSA Root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true, MaxPathLenZero: true,
		SignatureAlgorithm: x509.SHA512WithRSAPSS,
	}, nil, key.Public(), key)
	d := Describe(cert)
	if d.PublicKeyAlgorithm != "RSA" || d.PublicKeySize != 2048 || d.ECCurve != "" {
		t.Errorf("public key: %s %d %q", d.PublicKeyAlgorithm, d.PublicKeySize, d.ECCurve)
	}
	if d.SignatureAlgorithm != "SHA512withRSAandMGF1" {
		t.Errorf("signature algorithm %q", d.SignatureAlgorithm)
	}
	if !slices.Equal(d.KeyUsages, []string{"KEY_CERT_SIGN", "CRL_SIGN"}) || len(d.SubjectAlternativeNames) != 0 || d.SubjectKeyID == "" {
		t.Errorf("details: %+v", d)
	}
	for _, e := range d.Extensions {
		if e.Name == "basicConstraints" && e.Value != "CA:TRUE, pathlen:0" {
			t.Errorf("basic constraints %q", e.Value)
		}
	}
}

func TestDescribeOCSPResponse(t *testing.T) {
	ca := newTestCA(t, "OCSP CA")
	cert, _ := ca.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageContentCommitment})
	now := time.Now().Truncate(time.Second)
	der, err := ocsp.CreateResponse(ca.cert, ca.cert, ocsp.Response{SerialNumber: cert.SerialNumber, Status: ocsp.Revoked,
		RevocationReason: ocsp.CertificateHold, RevokedAt: now.Add(-time.Hour), ThisUpdate: now, NextUpdate: now.Add(time.Hour)}, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	info, err := DescribeOCSPResponse(der)
	if err != nil {
		t.Fatal(err)
	}
	if info.Status != xroad.OcspSuspended || !info.ThisUpdate.Equal(now) || !info.NextUpdate.Equal(now.Add(time.Hour)) ||
		!info.RevokedAt.Equal(now.Add(-time.Hour)) || info.Responder != SubjectDN(ca.cert) || info.ProducedAt.IsZero() {
		t.Errorf("DescribeOCSPResponse = %+v", info)
	}
	if _, err := DescribeOCSPResponse([]byte("not OCSP")); !xroad.IsCode(err, xroad.CodeOcspVerificationFailed) {
		t.Errorf("garbage: %v", err)
	}
}
