package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestCertUsage(t *testing.T) {
	ca := newTestCA(t, "Usage CA")
	for _, tc := range []struct {
		name string
		ku   x509.KeyUsage
		eku  []x509.ExtKeyUsage
		want xroad.KeyUsage
		code string
	}{
		{"digitalSignature", x509.KeyUsageDigitalSignature, nil, xroad.UsageAuthentication, ""},
		{"keyEncipherment", x509.KeyUsageKeyEncipherment, nil, xroad.UsageAuthentication, ""},
		{"dataEncipherment", x509.KeyUsageDataEncipherment, nil, xroad.UsageAuthentication, ""},
		{"keyAgreement with clientAuth", x509.KeyUsageKeyAgreement, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, xroad.UsageAuthentication, ""},
		{"auth profile", x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			[]x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth}, xroad.UsageAuthentication, ""},
		{"nonRepudiation", x509.KeyUsageContentCommitment, nil, xroad.UsageSigning, ""},
		{"nonRepudiation with serverAuth", x509.KeyUsageContentCommitment, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, xroad.UsageSigning, ""},
		{"both", x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment, nil, "", xroad.CodeWrongCertUsage},
		{"nonRepudiation with clientAuth", x509.KeyUsageContentCommitment, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, "", xroad.CodeWrongCertUsage},
		{"neither", x509.KeyUsageKeyAgreement, nil, "", xroad.CodeWrongCertUsage},
		{"CA usages only", x509.KeyUsageCertSign | x509.KeyUsageCRLSign, nil, "", xroad.CodeWrongCertUsage},
		{"no key usage extension", 0, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, "", xroad.CodeInvalidCertificate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cert, _ := ca.leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: tc.name}, KeyUsage: tc.ku, ExtKeyUsage: tc.eku})
			got, err := CertUsage(cert)
			if tc.code != "" {
				assertCode(t, err, tc.code)
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("CertUsage = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestCertUsageXRoadSamples(t *testing.T) {
	s := loadAuthCertReg(t)
	for _, tc := range []struct {
		name string
		cert *x509.Certificate
		want xroad.KeyUsage
	}{
		{"auth certificate", s.authCert, xroad.UsageAuthentication},
		{"signing certificate", s.signCert, xroad.UsageSigning},
	} {
		if got, err := CertUsage(tc.cert); err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}
