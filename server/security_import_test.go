package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
)

// certIssuer issues arbitrary certificates with Go's x509 package, for
// certificates the test CA would never issue.
type certIssuer struct {
	key  crypto.Signer
	cert *x509.Certificate
}

// newUnapprovedCA is a CA that no configuration approves.
func newUnapprovedCA(t *testing.T) *certIssuer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Unapproved CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &certIssuer{key: key, cert: c}
}

// testCAIssuer issues in the name of the fake central server's (approved)
// test CA, with its key read from the CA's folder.
func testCAIssuer(t *testing.T, cs *fakeCS) *certIssuer {
	t.Helper()
	return &certIssuer{key: caKey(t, cs.ca, "ca.key"), cert: cs.ca.Certificate()}
}

var issuedSerial int64 = 1000

// issue makes a certificate for pub.
func (ca *certIssuer) issue(t *testing.T, pub crypto.PublicKey, subject pkix.Name, ku x509.KeyUsage, eku []x509.ExtKeyUsage, notBefore, notAfter time.Time) []byte {
	t.Helper()
	issuedSerial++
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(issuedSerial), Subject: subject, KeyUsage: ku, ExtKeyUsage: eku,
		NotBefore: notBefore, NotAfter: notAfter, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// csrKey is the public key of a PEM CSR.
func csrKey(t *testing.T, csrPEM string) crypto.PublicKey {
	t.Helper()
	csr, err := pki.ParseCSR([]byte(csrPEM))
	if err != nil {
		t.Fatal(err)
	}
	return csr.PublicKey
}

// TestSecurityServerImportChecks runs every check of certificate import
// (UC-SS SS_30) and shows for each that nothing changed. Each certificate also
// fails the checks after the one it is meant for, which shows the order.
func TestSecurityServerImportChecks(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	soft := e.token(t, "SOFTWARE")
	signKey := e.generateKey(t, soft.ID, "sign", "EC")
	authKey := e.generateKey(t, soft.ID, "auth", "EC")
	signPub := csrKey(t, e.generateCSR(t, signKey.ID, "SIGNING").PEM)
	authPub := csrKey(t, e.generateCSR(t, authKey.ID, "AUTHENTICATION").PEM)
	signCert := e.certify(t, signKey.ID, "SIGNING") // for CERT_EXISTS
	b, _ := pem.Decode([]byte(signCert.PEM))
	signDER := b.Bytes

	unapproved := newUnapprovedCA(t)
	approved := testCAIssuer(t, e.cs)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	past, future := now.Add(-24*time.Hour), now.Add(24*time.Hour)
	authSubject := pkix.Name{Country: []string{"DEV"}, CommonName: "SS1"}
	ownerSubject := pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: "1234"}
	sign, auth := x509.KeyUsageContentCommitment, x509.KeyUsageDigitalSignature
	clientAuth := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}

	cases := []struct {
		name     string
		cert     string
		code     string
		metadata string
	}{
		{"not a certificate", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", "INVALID_CERTIFICATE", ""},
		{"both usages", pemBlock("CERTIFICATE", unapproved.issue(t, other.Public(), ownerSubject, sign|auth, nil, past, future)), "WRONG_CERT_USAGE", ""},
		{"no usage", pemBlock("CERTIFICATE", unapproved.issue(t, other.Public(), ownerSubject, x509.KeyUsageCRLSign, nil, past, future)), "WRONG_CERT_USAGE", ""},
		{"sign cert of another member, unknown key", pemBlock("CERTIFICATE", approved.issue(t, other.Public(),
			pkix.Name{Country: []string{"DEV"}, Organization: []string{"COM"}, CommonName: "555"}, sign, nil, past, future)), "CLIENT_NOT_FOUND", `["DEV/COM/555"]`},
		{"unknown key", pemBlock("CERTIFICATE", approved.issue(t, other.Public(), ownerSubject, sign, nil, past, future)), "KEY_NOT_FOUND", ""},
		{"already imported", pemBlock("CERTIFICATE", signDER), "CERT_EXISTS", ""},
		{"auth cert for the sign key, unapproved CA", pemBlock("CERTIFICATE", unapproved.issue(t, signPub, authSubject, auth, clientAuth, past, future)),
			"WRONG_CERT_USAGE", `["wrong_cert_usage.auth_to_sign"]`},
		{"sign cert for the auth key, unapproved CA", pemBlock("CERTIFICATE", unapproved.issue(t, authPub, ownerSubject, sign, nil, past, future)),
			"WRONG_CERT_USAGE", `["wrong_cert_usage.sign_to_auth"]`},
		{"unapproved CA, expired", pemBlock("CERTIFICATE", unapproved.issue(t, authPub, authSubject, auth, clientAuth, now.Add(-48*time.Hour), past)),
			"CERT_NOT_FROM_APPROVED_CA", ""},
		{"approved CA, expired", pemBlock("CERTIFICATE", approved.issue(t, authPub, authSubject, auth, clientAuth, approved.cert.NotBefore, now.Add(-time.Second))),
			"CERT_NOT_VALID", ""},
		{"approved CA, not yet valid", pemBlock("CERTIFICATE", approved.issue(t, authPub, authSubject, auth, clientAuth, future, future.Add(time.Hour))),
			"CERT_NOT_VALID", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.tree(t)
			r := e.officer.fails(t, tc.code, qImport, map[string]any{"c": tc.cert})
			if tc.metadata != "" && r.ext("metadata") != tc.metadata {
				t.Errorf("metadata = %s, want %s", r.ext("metadata"), tc.metadata)
			}
			if after := e.tree(t); after != before {
				t.Errorf("the refused import changed the tokens:\nbefore %s\nafter  %s", before, after)
			}
		})
	}

	t.Run("registration officer imports an auth cert", func(t *testing.T) {
		ro := e.srv.user(t, "registrar", viewer.RegistrationOfficer)
		before := e.tree(t)
		cert := approved.issue(t, authPub, authSubject, auth, clientAuth, past, future)
		ro.fails(t, "FORBIDDEN", qImport, map[string]any{"c": pemBlock("CERTIFICATE", cert)})
		if e.tree(t) != before {
			t.Error("the refused import changed the tokens")
		}
		// The same certificate is fine for a security officer (base64 DER).
		var out struct{ ImportCertificate certNode }
		e.officer.ok(t, qImport, map[string]any{"c": base64.StdEncoding.EncodeToString(cert)}, &out)
		if out.ImportCertificate.Status != "SAVED" || out.ImportCertificate.Key.ID != authKey.ID {
			t.Errorf("imported = %+v", out.ImportCertificate)
		}
	})
}

// TestSecurityServerOutdatedConfiguration shows that an expired
// configuration stops import (before anything else is checked) and is
// reported in the configuration status, while the last good one is kept.
func TestSecurityServerOutdatedConfiguration(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	soft := e.token(t, "SOFTWARE")
	key := e.generateKey(t, soft.ID, "sign", "EC")
	csr := e.generateCSR(t, key.ID, "SIGNING")
	cert := e.cs.sign(t, csr.PEM, "sign")
	// The central server now publishes configuration that expires at once.
	e.cs.republish(3 * time.Second)
	e.officer.ok(t, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
	waitFor(t, 10*time.Second, "the configuration to expire", func() bool {
		var st struct{ GlobalConfigurationStatus struct{ Error *string } }
		e.officer.ok(t, `{ globalConfigurationStatus { error } }`, nil, &st)
		return st.GlobalConfigurationStatus.Error != nil
	})
	before := e.tree(t)
	e.officer.fails(t, "GLOBAL_CONF_OUTDATED", qImport, map[string]any{"c": pemBlock("CERTIFICATE", cert)})
	if e.tree(t) != before {
		t.Error("the refused import changed the tokens")
	}
	e.officer.fails(t, "GLOBAL_CONF_OUTDATED", `mutation { refreshGlobalConfiguration { version } }`, nil)
	var st struct {
		GlobalConfigurationStatus struct {
			Version      *int
			Error        *string
			FailingSince *string
		}
	}
	e.officer.ok(t, `{ globalConfigurationStatus { version error failingSince } }`, nil, &st)
	if s := st.GlobalConfigurationStatus; s.Version == nil || *s.Version != 1 || s.Error == nil || s.FailingSince == nil {
		t.Errorf("status = %+v", s)
	}
}
