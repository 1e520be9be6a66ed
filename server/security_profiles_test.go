package main

import (
	"crypto/x509"
	"encoding/pem"
	"slices"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/pki/testca"
	"github.com/roadreg/roadreg/internal/xroad"
)

// addSANOnlyCA starts a second test CA and has the fake central server
// approve it with the SAN-only certificate profile; it returns the CA once
// the security server lists it.
func (e *ssEnv) addSANOnlyCA(t *testing.T) *testPKI {
	t.Helper()
	p := newTestPKI(t, fcsInstance)
	e.cs.addApprovedCA(globalconf.ApprovedCA{
		Name: "SAN CA", CertificateProfileInfo: pki.ProfileInfoSANOnly,
		TopCA: globalconf.CAInfo{Cert: p.ca.Certificate(), OCSP: []globalconf.OCSPInfo{{URL: p.ca.OCSPURL(), Cert: p.ca.OCSPCertificate()}}},
	})
	waitFor(t, 10*time.Second, "the SAN-only CA in the configuration", func() bool {
		var out struct{ ApprovedCertificationAuthorities []struct{ Name string } }
		e.officer.ok(t, `{ approvedCertificationAuthorities { name } }`, nil, &out)
		return len(out.ApprovedCertificationAuthorities) == 2
	})
	return p
}

// TestSANOnlyCertificates: with a CA of the SAN-only certificate profile a
// CSR names the server's host in a subject alternative name and nothing
// else; the issued certificates, which say neither their usage nor their
// member, import as their key's usage, and a signing certificate belongs to
// the server's owner while it names the server's address.
func TestSANOnlyCertificates(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	sanCA := e.addSANOnlyCA(t)
	tok := e.token(t, "SOFTWARE")

	var fields struct {
		CsrSubjectFields []struct {
			ID           string
			DefaultValue *string
			Required     bool
		}
	}
	e.officer.ok(t, `{ csrSubjectFields(caName: "SAN CA", usage: SIGNING, memberId: "DEV/GOV/1234") { id defaultValue required } }`, nil, &fields)
	if f := fields.CsrSubjectFields; len(f) != 1 || f[0].ID != "subjectAltName" || !f[0].Required {
		t.Fatalf("SAN-only fields: %+v", f)
	}

	csr := func(keyID gid, usage, san string) csrNode {
		t.Helper()
		in := map[string]any{"keyId": keyID, "usage": usage, "caName": "SAN CA", "subjectFields": []map[string]any{{"id": "subjectAltName", "value": san}}}
		if usage == "SIGNING" {
			in["memberId"] = fcsOwner.String()
		}
		var out struct{ GenerateCsr csrNode }
		e.officer.ok(t, qGenerateCSR, map[string]any{"in": in}, &out)
		return out.GenerateCsr
	}
	issue := func(c csrNode) []byte {
		t.Helper()
		b, _ := pem.Decode([]byte(c.PEM))
		req, err := x509.ParseCertificateRequest(b.Bytes)
		if err != nil || len(req.Subject.Names) != 0 || !slices.Equal(req.DNSNames, []string{"ss1.example.org"}) {
			t.Fatalf("SAN-only CSR: subject %v, names %v, %v", req.Subject, req.DNSNames, err)
		}
		der, err := sanCA.ca.Sign([]byte(c.PEM), testca.ProfileSAN, 30)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}

	signKey := e.generateKey(t, tok.ID, "acme sign", "EC")
	sign := e.importCert(t, issue(csr(signKey.ID, "SIGNING", "SS1.example.org")))
	if sign.Usage != "SIGNING" || sign.Status != "REGISTERED" || !sign.Active || sign.OcspStatus != "OCSP_RESPONSE_GOOD" ||
		xroad.Deref(sign.MemberID) != fcsOwner.String() || sign.Subject != "" {
		t.Errorf("SAN-only signing certificate: %+v", sign)
	}
	authKey := e.generateKey(t, tok.ID, "acme auth", "EC")
	auth := e.importCert(t, issue(csr(authKey.ID, "AUTHENTICATION", "ss1.example.org")))
	if auth.Usage != "AUTHENTICATION" || auth.Status != "SAVED" || auth.Active {
		t.Errorf("SAN-only authentication certificate: %+v", auth)
	}

	// Once the server is registered at ss1.example.org, a signing
	// certificate naming another host belongs to nobody here.
	e.cs.registerServer(xroad.ServerID{Owner: fcsOwner, ServerCode: fcsServerCode}, "ss1.example.org")
	waitFor(t, 10*time.Second, "the server's address in the configuration", func() bool {
		var out struct {
			CsrSubjectFields []struct{ DefaultValue *string }
		}
		e.officer.ok(t, `{ csrSubjectFields(caName: "SAN CA", usage: AUTHENTICATION) { defaultValue } }`, nil, &out)
		return len(out.CsrSubjectFields) == 1 && xroad.Deref(out.CsrSubjectFields[0].DefaultValue) == "ss1.example.org"
	})
	other := e.generateKey(t, tok.ID, "other host", "EC")
	otherCSR := csr(other.ID, "SIGNING", "ss9.example.org")
	der, err := sanCA.ca.Sign([]byte(otherCSR.PEM), testca.ProfileSAN, 30)
	if err != nil {
		t.Fatal(err)
	}
	before := e.tree(t)
	r := e.officer.fails(t, xroad.CodeInvalidCertificate, qImport, map[string]any{"c": pemBlock("CERTIFICATE", der)})
	if e.tree(t) != before {
		t.Errorf("a refused import changed the keys: %s", r.raw)
	}
}
