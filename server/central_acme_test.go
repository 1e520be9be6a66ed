package main

import (
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/globalconf/xsdtest"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

const (
	qCASettings = `id name certificateProfileInfo defaultCsrFormat acmeServerDirectoryUrl acmeServerIpAddress
		authenticationCertificateProfileId signingCertificateProfileId`
	qUpdateCA = `mutation($id: ID!, $i: CertificationServiceSettingsInput!) { updateApprovedCertificationService(id: $id, input: $i) { ` + qCASettings + ` } }`
)

type caSettingsNode struct {
	ID, Name, CertificateProfileInfo, DefaultCsrFormat              string
	AcmeServerDirectoryURL, AcmeServerIPAddress                     *string
	AuthenticationCertificateProfileID, SigningCertificateProfileID *string
}

// TestApprovedCAACMESettings: a system administrator approves a CA with
// X-Road's ACME settings (UG-CS §10.1) and changes them; the central server
// publishes them in shared parameters version 6 (acmeServer,
// defaultCsrFormat), valid against shared-parameters.xsd; bad settings are
// refused naming their field.
func TestApprovedCAACMESettings(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	acmeCA := newTestPKI(t, "DEV")
	var added struct{ AddApprovedCertificationService caSettingsNode }
	e.sysadmin.ok(t, `mutation($i: AddApprovedCertificationServiceInput!) { addApprovedCertificationService(input: $i) { `+qCASettings+` } }`,
		map[string]any{"i": map[string]any{
			"caCertificate": acmeCA.caPEM(), "ocspResponders": []map[string]any{{"url": acmeCA.ca.OCSPURL()}},
			"certificateProfileInfo": pki.ProfileInfoSANOnly, "defaultCsrFormat": "DER",
			"acmeServerDirectoryUrl": "https://acme.example.org/directory", "acmeServerIpAddress": "192.0.2.10, 192.0.2.11",
			"authenticationCertificateProfileId": "tlsclient", "signingCertificateProfileId": "signing",
		}}, &added)
	ca := added.AddApprovedCertificationService
	if ca.DefaultCsrFormat != "DER" || xroad.Deref(ca.AcmeServerIPAddress) != "192.0.2.10,192.0.2.11" ||
		xroad.Deref(ca.SigningCertificateProfileID) != "signing" || ca.CertificateProfileInfo != pki.ProfileInfoSANOnly {
		t.Fatalf("added: %+v", ca)
	}
	acmeOf := func(s *globalconf.Snapshot) (*globalconf.ApprovedCA, bool) {
		for i := range s.Shared.ApprovedCAs {
			if c := &s.Shared.ApprovedCAs[i]; c.TopCA.Cert.Equal(acmeCA.ca.Certificate()) {
				return c, true
			}
		}
		return nil, false
	}
	snap := e.waitConf(t, func(s *globalconf.Snapshot) bool {
		c, ok := acmeOf(s)
		return ok && c.ACMEServer != nil && c.ACMEServer.SigningCertificateProfileID == "signing"
	})
	xsdtest.Validate(t, xsdtest.SchemaSharedParametersV6, snap.SharedParamsRaw)
	if c, _ := acmeOf(snap); c.DefaultCSRFormat != "DER" || c.ACMEServer.DirectoryURL != "https://acme.example.org/directory" ||
		c.ACMEServer.IPAddress != "192.0.2.10,192.0.2.11" || c.ACMEServer.AuthenticationCertificateProfileID != "tlsclient" {
		t.Errorf("published: %+v %+v", c, c.ACMEServer)
	}

	// Refused: each names its field and changes nothing.
	for _, tc := range []struct {
		name  string
		in    map[string]any
		code  string
		field string
	}{
		{"directory not a URL", map[string]any{"acmeServerDirectoryUrl": "acme.example.org"}, xroad.CodeBadUserInput, "acmeServerDirectoryUrl"},
		{"a host name among the addresses", map[string]any{"acmeServerIpAddress": "192.0.2.1,acme.example.org"}, xroad.CodeBadUserInput, "acmeServerIpAddress"},
		{"unknown profile", map[string]any{"certificateProfileInfo": "com.example.Profile"}, pki.CodeCertificateProfileNotFound, "certificateProfileInfo"},
	} {
		r := e.sysadmin.fails(t, tc.code, qUpdateCA, map[string]any{"id": ca.ID, "i": tc.in})
		if r.Errors[0].Extensions["field"] != tc.field {
			t.Errorf("%s: the error names %v, want %s", tc.name, r.Errors[0].Extensions["field"], tc.field)
		}
	}
	e.regoff.fails(t, xroad.CodeForbidden, qUpdateCA, map[string]any{"id": ca.ID, "i": map[string]any{"acmeServerDirectoryUrl": ""}})
	e.sysadmin.fails(t, xroad.CodeNotFound, qUpdateCA, map[string]any{"id": "999999", "i": map[string]any{}})

	// Left out: unchanged; empty: cleared; no directory: no ACME server.
	var upd struct{ UpdateApprovedCertificationService caSettingsNode }
	e.sysadmin.ok(t, qUpdateCA, map[string]any{"id": ca.ID, "i": map[string]any{"signingCertificateProfileId": "", "defaultCsrFormat": "PEM"}}, &upd)
	if got := upd.UpdateApprovedCertificationService; got.SigningCertificateProfileID != nil || xroad.Deref(got.AuthenticationCertificateProfileID) != "tlsclient" ||
		got.DefaultCsrFormat != "PEM" || xroad.Deref(got.AcmeServerIPAddress) != "192.0.2.10,192.0.2.11" {
		t.Errorf("after clearing the signing profile: %+v", got)
	}
	e.sysadmin.ok(t, qUpdateCA, map[string]any{"id": ca.ID, "i": map[string]any{"acmeServerDirectoryUrl": ""}}, &upd)
	if got := upd.UpdateApprovedCertificationService; got.AcmeServerDirectoryURL != nil || got.AcmeServerIPAddress != nil || got.AuthenticationCertificateProfileID != nil {
		t.Errorf("after clearing the directory: %+v", got)
	}
	snap = e.waitConf(t, func(s *globalconf.Snapshot) bool { c, ok := acmeOf(s); return ok && c.ACMEServer == nil })
	xsdtest.Validate(t, xsdtest.SchemaSharedParametersV6, snap.SharedParamsRaw)
}

// TestSANOnlyRegistration: a central server whose approved CA has the
// SAN-only certificate profile accepts an authCertReg whose authentication
// and owner certificates name only the server's host: the owner's signing
// certificate belongs to the owner because it names the address the request
// registers (check 12). One naming another host is refused.
func TestSANOnlyRegistration(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	acmeCA := newTestPKI(t, "DEV")
	e.sysadmin.ok(t, qAddCA, map[string]any{"i": map[string]any{
		"caCertificate": acmeCA.caPEM(), "ocspResponders": []map[string]any{{"url": acmeCA.ca.OCSPURL()}},
		"certificateProfileInfo": pki.ProfileInfoSANOnly, "acmeServerDirectoryUrl": "https://acme.example.org/directory",
	}}, nil)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 2 })

	request := func(serverCode, ownerHost string) *regRequest {
		owner := xroad.ClientID{Instance: e.instance, MemberClass: "GOV", MemberCode: "1234"}
		ak, ac := acmeCA.sanCert(t, "ss1.example.org")
		ok, oc := acmeCA.sanCert(t, ownerHost)
		return &regRequest{server: xroad.ServerID{Owner: owner, ServerCode: serverCode}, address: "ss1.example.org",
			authKey: ak, authCert: ac, ownerKey: ok, ownerCert: oc, ownerOCSP: acmeCA.ocsp(t, oc)}
	}
	_, err := e.send(t, request("SS7", "elsewhere.example.org"))
	if xroad.CodeOf(err) != xroad.CodeManagementRequestOwnerIdentifierMismatch {
		t.Fatalf("an owner certificate naming another host: %v", err)
	}
	if _, err := e.send(t, request("SS7", "ss1.example.org")); err != nil {
		t.Fatalf("SAN-only certificates naming the server's address: %v", err)
	}
	if got := e.requests(t, "WAITING"); len(got) != 1 || got[0].ServerID != "DEV/GOV/1234/SS7" || got[0].Address != "ss1.example.org" {
		t.Fatalf("requests: %+v", got)
	}
}
