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
		{"soft token, undefined usage", ready, []string{ActionGenerateAuthCSR, ActionGenerateSignCSR}},
		{"soft token, auth key", with(func(k *keyFacts) { k.Usage = &auth }), []string{ActionGenerateAuthCSR}},
		{"soft token, sign key", with(func(k *keyFacts) { k.Usage = &sign }), []string{ActionGenerateSignCSR}},
		{"hardware token, undefined usage", with(func(k *keyFacts) { k.SoftToken = false }), []string{ActionGenerateSignCSR}},
		{"hardware token, auth key", with(func(k *keyFacts) { k.SoftToken = false; k.Usage = &auth }), []string{}},
		{"key with a certificate", with(func(k *keyFacts) { k.HasCerts = true }), []string{}},
		{"token logged out", with(func(k *keyFacts) { k.TokenLoggedIn = false }), []string{}},
		{"key not available", with(func(k *keyFacts) { k.Available = false }), []string{}},
	}
	for _, tc := range cases {
		if got := keyActions(tc.facts); !slices.Equal(got, tc.want) {
			t.Errorf("%s: keyActions = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCertificateActions(t *testing.T) {
	cases := []struct {
		usage  xroad.KeyUsage
		status xroad.CertificateStatus
		active bool
		want   []string
	}{
		{xroad.UsageAuthentication, xroad.CertSaved, false, []string{ActionRegister, ActionActivate}},
		{xroad.UsageAuthentication, xroad.CertSaved, true, []string{ActionRegister, ActionDisable}},
		{xroad.UsageAuthentication, xroad.CertRegistrationInProgress, false, []string{ActionActivate}},
		{xroad.UsageAuthentication, xroad.CertRegistered, false, []string{ActionActivate}},
		{xroad.UsageAuthentication, xroad.CertRegistered, true, []string{ActionDisable}},
		{xroad.UsageAuthentication, xroad.CertGlobalError, true, []string{ActionDisable}},
		{xroad.UsageSigning, xroad.CertRegistered, true, []string{ActionDisable}},
		{xroad.UsageSigning, xroad.CertRegistered, false, []string{ActionActivate}},
		{xroad.UsageSigning, xroad.CertSaved, false, []string{ActionActivate}},
	}
	for _, tc := range cases {
		if got := certificateActions(tc.usage, tc.status, tc.active); !slices.Equal(got, tc.want) {
			t.Errorf("certificateActions(%s, %s, active=%v) = %v, want %v", tc.usage, tc.status, tc.active, got, tc.want)
		}
	}
}
