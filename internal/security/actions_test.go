package security

import (
	"slices"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestTokenActions(t *testing.T) {
	cases := []struct {
		available, loggedIn bool
		want                []string
	}{
		{true, true, []string{ActionGenerateKey, ActionLogout, ActionChangePIN}},
		{true, false, []string{ActionLogin}},
		{false, false, []string{}},
		{false, true, []string{}},
	}
	for _, tc := range cases {
		if got := tokenActions(tc.available, tc.loggedIn); !slices.Equal(got, tc.want) {
			t.Errorf("tokenActions(available=%v, loggedIn=%v) = %v, want %v", tc.available, tc.loggedIn, got, tc.want)
		}
	}
}

func TestKeyActions(t *testing.T) {
	auth, sign := xroad.UsageAuthentication, xroad.UsageSigning
	ready := keyFacts{SoftToken: true, TokenLoggedIn: true, Available: true}
	with := func(f func(*keyFacts)) keyFacts { k := ready; f(&k); return k }
	cases := []struct {
		name  string
		facts keyFacts
		want  []string
	}{
		{"soft token, undefined usage", ready, []string{ActionGenerateAuthCSR, ActionGenerateSignCSR, ActionDelete}},
		{"soft token, auth key", with(func(k *keyFacts) { k.Usage = &auth }), []string{ActionGenerateAuthCSR, ActionDelete}},
		{"soft token, sign key", with(func(k *keyFacts) { k.Usage = &sign }), []string{ActionGenerateSignCSR, ActionDelete}},
		{"hardware token, undefined usage", with(func(k *keyFacts) { k.SoftToken = false }), []string{ActionGenerateSignCSR, ActionDelete}},
		{"hardware token, sign key", with(func(k *keyFacts) { k.SoftToken = false; k.Usage = &sign }), []string{ActionGenerateSignCSR, ActionDelete}},
		// X-Road: an authentication key on a hardware token is not supported.
		{"hardware token, auth key", with(func(k *keyFacts) { k.SoftToken = false; k.Usage = &auth }), []string{}},
		{"key with a certificate", with(func(k *keyFacts) { k.HasCerts = true }), []string{ActionDelete}},
		{"token logged out", with(func(k *keyFacts) { k.TokenLoggedIn = false }), []string{}},
		{"key not available", with(func(k *keyFacts) { k.Available = false }), []string{}},
	}
	for _, tc := range cases {
		if got := keyActions(tc.facts); !slices.Equal(got, tc.want) {
			t.Errorf("%s: keyActions = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCertificateActions follows X-Road's rules (UG-SS §5.6): UNREGISTER for
// an authentication certificate submitted for registration or registered,
// which then cannot be deleted; REGISTER only while SAVED; DELETE otherwise.
func TestCertificateActions(t *testing.T) {
	auth, sign := xroad.UsageAuthentication, xroad.UsageSigning
	cases := []struct {
		usage  xroad.KeyUsage
		status xroad.CertificateStatus
		active bool
		want   []string
	}{
		{auth, xroad.CertSaved, false, []string{ActionRegister, ActionActivate, ActionDelete}},
		{auth, xroad.CertSaved, true, []string{ActionRegister, ActionDisable, ActionDelete}},
		{auth, xroad.CertRegistrationInProgress, false, []string{ActionUnregister, ActionActivate}},
		{auth, xroad.CertRegistered, false, []string{ActionUnregister, ActionActivate}},
		{auth, xroad.CertRegistered, true, []string{ActionUnregister, ActionDisable}},
		{auth, xroad.CertGlobalError, true, []string{ActionDisable, ActionDelete}},
		{auth, xroad.CertDeletionInProgress, true, []string{ActionDisable, ActionDelete}},
		{auth, xroad.CertDeletionInProgress, false, []string{ActionActivate, ActionDelete}},
		{sign, xroad.CertRegistered, true, []string{ActionDisable, ActionDelete}},
		{sign, xroad.CertRegistered, false, []string{ActionActivate, ActionDelete}},
		{sign, xroad.CertSaved, false, []string{ActionActivate, ActionDelete}},
	}
	for _, tc := range cases {
		if got := certificateActions(tc.usage, tc.status, tc.active); !slices.Equal(got, tc.want) {
			t.Errorf("certificateActions(%s, %s, active=%v) = %v, want %v", tc.usage, tc.status, tc.active, got, tc.want)
		}
	}
	if got := csrActions(); !slices.Equal(got, []string{ActionDelete}) {
		t.Errorf("csrActions = %v", got)
	}
}
