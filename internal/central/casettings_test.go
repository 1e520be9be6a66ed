package central

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/ent/auditevent"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

func ptr[T any](v T) *T { return &v }

// TestCASettingsApply: an approved CA's settings are checked and applied as
// UG-CS §10.1 describes them; a bad value names its field and changes
// nothing.
func TestCASettingsApply(t *testing.T) {
	acme := caSettings{profileInfo: pki.ProfileInfoSANOnly, csrFormat: xroad.CSRFormatPEM,
		directory: ptr("https://acme.example.org/directory"), ips: ptr("192.0.2.1"), authProfile: ptr("auth"), signProfile: ptr("sign")}
	for _, tc := range []struct {
		name  string
		cur   caSettings
		in    CASettings
		want  caSettings
		code  string
		field string
	}{
		{name: "defaults", cur: defaultCASettings(), want: caSettings{profileInfo: pki.ProfileInfo, csrFormat: xroad.CSRFormatPEM}},
		{name: "every setting", cur: defaultCASettings(), in: CASettings{
			AuthenticationOnly: ptr(true), CertificateProfileInfo: ptr(" " + pki.ProfileInfoBasicACME + " "), DefaultCSRFormat: ptr(xroad.CSRFormatDER),
			ACMEServerDirectoryURL: ptr(" https://acme.example.org/dir "), ACMEServerIPAddress: ptr(" 192.0.2.1 , 2001:db8::0:1,,"),
			AuthenticationCertificateProfileID: ptr(" auth "), SigningCertificateProfileID: ptr("sign")},
			want: caSettings{authOnly: true, profileInfo: pki.ProfileInfoBasicACME, csrFormat: xroad.CSRFormatDER,
				directory: ptr("https://acme.example.org/dir"), ips: ptr("192.0.2.1,2001:db8::1"), authProfile: ptr("auth"), signProfile: ptr("sign")}},
		{name: "nil keeps, empty clears", cur: acme, in: CASettings{SigningCertificateProfileID: ptr(""), ACMEServerIPAddress: ptr(" ")},
			want: caSettings{profileInfo: pki.ProfileInfoSANOnly, csrFormat: xroad.CSRFormatPEM, directory: acme.directory, authProfile: ptr("auth")}},
		{name: "clearing the directory clears the ACME server", cur: acme, in: CASettings{ACMEServerDirectoryURL: ptr("")},
			want: caSettings{profileInfo: pki.ProfileInfoSANOnly, csrFormat: xroad.CSRFormatPEM}},
		{name: "unknown profile", cur: defaultCASettings(), in: CASettings{CertificateProfileInfo: ptr("ee.ria.xroad.common.certificateprofile.impl.FiVRKCertificateProfileInfoProvider")},
			code: pki.CodeCertificateProfileNotFound, field: "certificateProfileInfo"},
		{name: "directory not a URL", cur: defaultCASettings(), in: CASettings{ACMEServerDirectoryURL: ptr("acme.example.org/dir")},
			code: xroad.CodeBadUserInput, field: "acmeServerDirectoryUrl"},
		{name: "directory of another scheme", cur: defaultCASettings(), in: CASettings{ACMEServerDirectoryURL: ptr("ftp://acme.example.org/dir")},
			code: xroad.CodeBadUserInput, field: "acmeServerDirectoryUrl"},
		{name: "IP list with a name", cur: acme, in: CASettings{ACMEServerIPAddress: ptr("192.0.2.1, acme.example.org")},
			code: xroad.CodeBadUserInput, field: "acmeServerIpAddress"},
		{name: "IP list too long", cur: acme, in: CASettings{ACMEServerIPAddress: ptr(strings.Repeat("192.0.2.1,", 30))},
			code: xroad.CodeBadUserInput, field: "acmeServerIpAddress"},
		{name: "profile id too long", cur: acme, in: CASettings{AuthenticationCertificateProfileID: ptr(strings.Repeat("p", 256))},
			code: xroad.CodeBadUserInput, field: "authenticationCertificateProfileId"},
		{name: "profile id with a control character", cur: acme, in: CASettings{SigningCertificateProfileID: ptr("a\nb")},
			code: xroad.CodeBadUserInput, field: "signingCertificateProfileId"},
		{name: "ACME settings without a directory", cur: defaultCASettings(), in: CASettings{AuthenticationCertificateProfileID: ptr("auth")},
			code: xroad.CodeBadUserInput, field: "acmeServerDirectoryUrl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.apply(tc.cur)
			if tc.code != "" {
				var xe *xroad.Error
				if xroad.CodeOf(err) != tc.code || !errorAs(err, &xe) || xe.Field != tc.field {
					t.Fatalf("err = %#v, want %s on field %s", err, tc.code, tc.field)
				}
				if !reflect.DeepEqual(got, tc.cur) {
					t.Errorf("a refused change returned %+v, want the settings unchanged", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %s\nwant %s", dump(got), dump(tc.want))
			}
		})
	}
}

func errorAs(err error, xe **xroad.Error) bool {
	e, ok := err.(*xroad.Error)
	*xe = e
	return ok
}

func dump(c caSettings) string {
	return strings.Join([]string{c.profileInfo, string(c.csrFormat), xroad.Deref(c.directory), xroad.Deref(c.ips),
		xroad.Deref(c.authProfile), xroad.Deref(c.signProfile)}, " | ")
}

// TestApprovedCASettings: a CA approved with ACME settings publishes them in
// the shared parameters; system administrators change them
// (EDIT_APPROVED_CA), every change is audited, and a refused change leaves
// the CA as it was.
func TestApprovedCASettings(t *testing.T) {
	e := newEnv(t)
	e.initialize(t)
	ca := newTestCA(t, "ACME CA")
	added, err := e.s.AddApprovedCertificationService(e.sysadmin, CAInput{CACertificate: pemOf(ca.cert), Settings: CASettings{
		CertificateProfileInfo: ptr(pki.ProfileInfoSANOnly), DefaultCSRFormat: ptr(xroad.CSRFormatDER),
		ACMEServerDirectoryURL: ptr("https://acme.example.org/directory"), ACMEServerIPAddress: ptr("192.0.2.1,192.0.2.2"),
		AuthenticationCertificateProfileID: ptr("tlsclient"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	published := func() (string, string, string) {
		t.Helper()
		ctx := sys(context.Background())
		conf, err := e.s.conf(ctx)
		if err != nil {
			t.Fatal(err)
		}
		shared, _, err := e.s.buildParameters(ctx, conf)
		if err != nil || len(shared.ApprovedCAs) != 1 {
			t.Fatalf("parameters: %v, %+v", err, shared)
		}
		c := shared.ApprovedCAs[0]
		if c.ACMEServer == nil {
			return c.CertificateProfileInfo, c.DefaultCSRFormat, ""
		}
		a := c.ACMEServer
		return c.CertificateProfileInfo, c.DefaultCSRFormat, strings.Join([]string{a.DirectoryURL, a.IPAddress, a.AuthenticationCertificateProfileID, a.SigningCertificateProfileID}, " ")
	}
	if p, f, a := published(); p != pki.ProfileInfoSANOnly || f != "DER" || a != "https://acme.example.org/directory 192.0.2.1,192.0.2.2 tlsclient " {
		t.Errorf("published after adding: %s %s %q", p, f, a)
	}

	_, err = e.s.UpdateApprovedCertificationService(e.regoff, added.ID, CASettings{ACMEServerDirectoryURL: ptr("")})
	wantCode(t, "a registration officer", err, xroad.CodeForbidden)
	_, err = e.s.UpdateApprovedCertificationService(e.sysadmin, added.ID+1000, CASettings{})
	wantCode(t, "an unknown CA", err, xroad.CodeNotFound)
	_, err = e.s.UpdateApprovedCertificationService(e.sysadmin, added.ID, CASettings{
		SigningCertificateProfileID: ptr("tlsserver"), ACMEServerIPAddress: ptr("not an address")})
	wantCode(t, "a bad IP address", err, xroad.CodeBadUserInput)
	if _, _, a := published(); a != "https://acme.example.org/directory 192.0.2.1,192.0.2.2 tlsclient " {
		t.Errorf("a refused update changed the settings: %q", a)
	}

	updated, err := e.s.UpdateApprovedCertificationService(e.sysadmin, added.ID, CASettings{
		SigningCertificateProfileID: ptr("tlsserver"), ACMEServerIPAddress: ptr(""), DefaultCSRFormat: ptr(xroad.CSRFormatPEM)})
	if err != nil {
		t.Fatal(err)
	}
	if updated.AcmeServerIPAddress != nil || xroad.Deref(updated.SigningCertificateProfileID) != "tlsserver" {
		t.Errorf("updated: %+v", updated)
	}
	if _, f, a := published(); f != "PEM" || a != "https://acme.example.org/directory  tlsclient tlsserver" {
		t.Errorf("published after the update: %s %q", f, a)
	}
	if _, err := e.s.UpdateApprovedCertificationService(e.sysadmin, added.ID, CASettings{ACMEServerDirectoryURL: ptr("")}); err != nil {
		t.Fatal(err)
	}
	if _, _, a := published(); a != "" {
		t.Errorf("a CA without a directory URL still publishes an ACME server: %q", a)
	}

	count := func(event string) int {
		n, err := e.s.client.AuditEvent.Query().Where(auditevent.Event(event)).Count(sys(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if ok, failed := count("Edit certification service settings"), count("Edit certification service settings failed"); ok != 2 || failed != 2 {
		t.Errorf("audit: %d successful and %d failed edits, want 2 and 2 (the unknown CA, the bad address)", ok, failed)
	}
}
