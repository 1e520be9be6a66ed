package security

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"testing"
	"time"

	"github.com/go-acme/lego/v5/acme"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

func ptr[T any](v T) *T { return &v }

func TestRenewalSteps(t *testing.T) {
	auth := func(status xroad.CertificateStatus, active bool) *ent.Certificate {
		return &ent.Certificate{Usage: xroad.UsageAuthentication, Status: status, Active: active}
	}
	old := auth(xroad.CertRegistered, true)
	declined := auth(xroad.CertSaved, false)
	declined.DeclineComment = ptr("no")
	sign := func(active bool, ocsp xroad.OcspStatus) *ent.Certificate {
		return &ent.Certificate{Usage: xroad.UsageSigning, Status: xroad.CertRegistered, Active: active, OcspStatus: ocsp}
	}
	for _, c := range []struct {
		name         string
		old, renewed *ent.Certificate
		want         RenewalStep
	}{
		{"renewed certificate deleted", old, nil, stepRenewedDisappears},
		{"ordered, not sent", old, auth(xroad.CertSaved, false), StepRegister},
		{"declined", old, declined, stepDeclined},
		{"sent", old, auth(xroad.CertRegistrationInProgress, false), StepAwaitApproval},
		{"approved, inactive", old, auth(xroad.CertRegistered, false), StepAwaitActivation},
		{"active: the old one goes", old, auth(xroad.CertRegistered, true), StepUnregisterOld},
		{"old one unregistering", auth(xroad.CertDeletionInProgress, true), auth(xroad.CertRegistered, true), StepAwaitRemoval},
		{"old one no longer listed", auth(xroad.CertSaved, true), auth(xroad.CertRegistered, true), StepDeleteOld},
		{"renewed one in error", old, auth(xroad.CertGlobalError, false), stepRenewedUnusable},
		{"signing: OCSP not good yet", sign(true, xroad.OcspGood), sign(false, xroad.OcspDisabled), StepAwaitOCSP},
		{"signing: good, inactive", sign(true, xroad.OcspGood), sign(false, xroad.OcspGood), StepAwaitActivation},
		{"signing: active and good", sign(true, xroad.OcspGood), sign(true, xroad.OcspGood), StepDeleteOld},
	} {
		if got := nextStep(c.old, c.renewed); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestRenewalStatus(t *testing.T) {
	acmeCert := func() *ent.Certificate {
		return &ent.Certificate{Usage: xroad.UsageAuthentication, Status: xroad.CertRegistered, Active: true, AcmeCaName: ptr("CA")}
	}
	if s := RenewalOf(&ent.Certificate{Status: xroad.CertRegistered}, nil).Status; s != RenewalNotApplicable {
		t.Errorf("imported certificate: %s", s)
	}
	saved := acmeCert()
	saved.Status = xroad.CertSaved
	if s := RenewalOf(saved, nil).Status; s != RenewalNotApplicable {
		t.Errorf("ordered, not registered: %s", s)
	}
	if s := RenewalOf(acmeCert(), nil).Status; s != RenewalPlanned {
		t.Errorf("ordered and registered: %s", s)
	}
	failed := acmeCert()
	failed.RenewalError, failed.RenewalFailures = ptr("ordering failed"), 2
	if r := RenewalOf(failed, nil); r.Status != RenewalFailed || r.Failures != 2 || *r.Error != "ordering failed" {
		t.Errorf("failed: %+v", r)
	}
	going := acmeCert()
	going.RenewalCertificateID = ptr(7)
	renewed := &ent.Certificate{Usage: xroad.UsageAuthentication, Status: xroad.CertRegistrationInProgress}
	if r := RenewalOf(going, renewed); r.Status != RenewalInProgress || r.Step != StepAwaitApproval || *r.RenewedByID != 7 {
		t.Errorf("in progress: %+v", r)
	}
	going.RenewalError = ptr("registering failed")
	if r := RenewalOf(going, &ent.Certificate{Usage: xroad.UsageAuthentication, Status: xroad.CertSaved}); r.Status != RenewalFailed || r.Step != StepRegister {
		t.Errorf("in progress, last step failed: %+v", r)
	}
}

func TestRenewalDue(t *testing.T) {
	notAfter := time.Date(2027, 6, 30, 12, 0, 0, 0, time.UTC)
	c := &ent.Certificate{NotAfter: notAfter}
	half := func(d time.Duration) time.Duration { return d / 2 }
	if got := renewalDue(c, nil, 14*24*time.Hour, half); !got.Equal(notAfter.Add(-14 * 24 * time.Hour)) {
		t.Errorf("without renewal information: %s", got)
	}
	w := &acme.Window{Start: time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 5, 3, 0, 0, 0, 0, time.UTC)}
	if got := renewalDue(c, w, 14*24*time.Hour, half); !got.Equal(time.Date(2027, 5, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("inside the window: %s", got)
	}
	// A time already picked inside the window stays (RFC 9773 §4.2: it does
	// not jump at every look).
	c.RenewalDueAt = ptr(time.Date(2027, 5, 1, 6, 0, 0, 0, time.UTC))
	if got := renewalDue(c, w, 14*24*time.Hour, half); !got.Equal(*c.RenewalDueAt) {
		t.Errorf("kept: %s", got)
	}
	// The CA moved the window (e.g. before a revocation): a new time in it.
	moved := &acme.Window{Start: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 4, 1, 2, 0, 0, 0, time.UTC)}
	if got := renewalDue(c, moved, 14*24*time.Hour, half); !got.Equal(time.Date(2027, 4, 1, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("moved window: %s", got)
	}
	// An invalid window counts as none.
	if got := renewalDue(c, &acme.Window{Start: w.End, End: w.Start}, time.Hour, half); !got.Equal(notAfter.Add(-time.Hour)) {
		t.Errorf("invalid window: %s", got)
	}
}

func TestRenewalRetryDelay(t *testing.T) {
	for _, c := range []struct {
		n      int
		caWait time.Duration
		want   time.Duration
	}{
		{1, 0, time.Minute},
		{2, 0, 2 * time.Minute},
		{5, 0, 16 * time.Minute},
		{40, 0, 24 * time.Hour},
		{1, time.Hour, time.Hour},
	} {
		if got := retryDelay(time.Minute, c.n, c.caWait); got != c.want {
			t.Errorf("failure %d (CA asked %s): %s, want %s", c.n, c.caWait, got, c.want)
		}
	}
}

func TestRenewalSubject(t *testing.T) {
	old := &x509.Certificate{Subject: pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: "1234"},
		DNSNames: []string{"ss1.example.org"}}
	fields := []pki.SubjectField{
		{ID: pki.FieldCountry, DefaultValue: "DEV", ReadOnly: true},
		{ID: pki.FieldOrganization},
		{ID: pki.FieldCommonName},
		{ID: pki.FieldSubjectAltName},
	}
	got := renewalSubject(fields, old)
	want := []SubjectValue{{pki.FieldOrganization, "GOV"}, {pki.FieldCommonName, "1234"}, {pki.FieldSubjectAltName, "ss1.example.org"}}
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%v, want %v", got, want)
		}
	}
	byIP := &x509.Certificate{IPAddresses: []net.IP{net.ParseIP("192.0.2.7")}}
	if got := renewalSubject([]pki.SubjectField{{ID: pki.FieldSubjectAltName}}, byIP); len(got) != 1 || got[0].Value != "192.0.2.7" {
		t.Errorf("IP address name: %v", got)
	}
}
