package pki

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestVerifyChain(t *testing.T) {
	root, other := newTestCA(t, "Approved CA"), newTestCA(t, "Unknown CA")
	inter := root.intermediate(t, "Approved Sub CA")
	now := time.Now()
	usages := &x509.Certificate{KeyUsage: x509.KeyUsageContentCommitment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}
	leaf, _ := root.leaf(t, usages)
	viaInter, _ := inter.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature})
	foreign, _ := other.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature})
	expired, _ := root.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature,
		NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
	expiredForeign, _ := other.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature,
		NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
	outlivesCA, _ := root.leaf(t, &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature, NotAfter: now.Add(3 * 365 * 24 * time.Hour)})
	roots := []*x509.Certificate{root.cert}
	for _, tc := range []struct {
		name          string
		cert          *x509.Certificate
		intermediates []*x509.Certificate
		at            time.Time
		code          string
		want          string
	}{
		{"issued by the CA, any EKU", leaf, nil, now, "", ""},
		{"through an intermediate", viaInter, []*x509.Certificate{inter.cert}, now, "", ""},
		{"intermediate not given", viaInter, nil, now, xroad.CodeCertNotFromApprovedCA, "not issued by an approved"},
		{"other CA", foreign, nil, now, xroad.CodeCertNotFromApprovedCA, `issuer is "CN=Unknown CA"`},
		{"expired", expired, nil, now, xroad.CodeCertNotValid, "is not valid at"},
		{"not yet valid", leaf, nil, now.Add(-30 * 24 * time.Hour), xroad.CodeCertNotValid, "is not valid at"},
		{"expired and from another CA", expiredForeign, nil, now, xroad.CodeCertNotFromApprovedCA, "not issued by an approved"},
		{"CA expired at that time", outlivesCA, nil, now.Add(2 * 365 * 24 * time.Hour), xroad.CodeCertNotValid, `CA certificate "CN=Approved CA"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifyChain(tc.cert, roots, tc.intermediates, tc.at)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			assertCode(t, err, tc.code)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("message %q, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestVerifyChainXRoadSamples(t *testing.T) {
	s := loadAuthCertReg(t)
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []*x509.Certificate{s.authCert, s.signCert} {
		if err := VerifyChain(c, []*x509.Certificate{s.ca}, nil, at); err != nil {
			t.Errorf("%s: %v", c.Subject, err)
		}
	}
	err := VerifyChain(s.authCert, []*x509.Certificate{s.ca}, nil, time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC))
	assertCode(t, err, xroad.CodeCertNotValid)
}
