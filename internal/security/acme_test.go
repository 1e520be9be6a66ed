package security

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-acme/lego/v5/acme"

	"github.com/roadreg/roadreg/internal/xroad"
)

func strPtr(s string) *string { return &s }

// TestACMEAccountInputs: the account's inputs are checked before anything
// is sealed or stored; a bad one names its field and never repeats a MAC
// key.
func TestACMEAccountInputs(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"cGViYmxlLXRlc3Qta2V5", "cGViYmxlLXRlc3Qta2V5", true},
		{" aGVsbG8-d29ybGRf== ", "aGVsbG8-d29ybGRf", true},
		{"", "", true},
		{"aGVsbG8+d29ybGQ/", "", false}, // standard base64, not base64url
		{"not a key", "", false},
		{strings.Repeat("A", 1028), "", false},
	} {
		got, err := macKey(&tc.in)
		switch {
		case tc.ok && (err != nil || *got != tc.want):
			t.Errorf("macKey(%q) = %v, %v; want %q", tc.in, got, err, tc.want)
		case !tc.ok && (xroad.CodeOf(err) != xroad.CodeBadUserInput || strings.Contains(err.Error(), tc.in)):
			t.Errorf("macKey(%q): %v, want BAD_USER_INPUT without the value", tc.in, err)
		}
	}
	if got, err := macKey(nil); got != nil || err != nil {
		t.Errorf("macKey(nil) = %v, %v; want unchanged", got, err)
	}
	for in, ok := range map[string]bool{"admin@example.org": true, " admin@example.org ": true, "": true,
		"Admin <admin@example.org>": false, "admin": false, "admin@example.org\n": true, strings.Repeat("a", 250) + "@x.org": false} {
		if _, err := contactEmail(&in); (err == nil) != ok {
			t.Errorf("contactEmail(%q): %v", in, err)
		}
	}
	if _, err := optionalText("eabKeyId", strPtr("kid\x00"), 1024); xroad.CodeOf(err) != xroad.CodeBadUserInput {
		t.Errorf("a key id with a control character: %v", err)
	}
	if a, b := eabPurpose("CA", xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1"}, nil),
		accountKeyPurpose("CA", xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1"}, nil); a == b {
		t.Error("the MAC key and the account key are sealed for the same purpose")
	}
}

// TestACMEError: ACME failures quote the server's problem type (without
// its URN) and detail, keep a rate limit's Retry-After, and are never
// INTERNAL.
func TestACMEError(t *testing.T) {
	pd := &acme.ProblemDetails{Type: acme.RejectedIdentifierErrorType, Detail: "forbidden by policy", HTTPStatus: 400,
		SubProblems: []acme.SubProblem{{Detail: "blocked.example is a forbidden domain"}}}
	e := acmeError(CodeACMEOrderCreation, "The ACME server refused the order", fmt.Errorf("wrapped: %w", pd), "")
	if e.Code != CodeACMEOrderCreation || e.Message != "The ACME server refused the order: rejectedIdentifier: forbidden by policy; blocked.example is a forbidden domain" {
		t.Errorf("problem: %s %q", e.Code, e.Message)
	}
	rl := &acme.RateLimitedError{ProblemDetails: &acme.ProblemDetails{Type: acme.RateLimitedErrorType, Detail: "too many"}, RetryAfter: 90 * time.Second}
	if e := acmeError(CodeACMEOrderCreation, "refused", rl, "hint"); e.RetryAfterSeconds() != 90 || !strings.HasSuffix(e.Message, "(hint)") {
		t.Errorf("rate limit: %q, retry after %d", e.Message, e.RetryAfterSeconds())
	}
	if e := acmeError(CodeACMEFetchingMetadata, "unreachable", errors.New("dial tcp: connection refused"), ""); !strings.Contains(e.Message, "connection refused") {
		t.Errorf("plain error: %q", e.Message)
	}
}

// TestOrderCSR: the order names the subject alternative names (X-Road
// orders the SAN); a CN beside them stays in the CSR but is not ordered.
func TestOrderCSR(t *testing.T) {
	csr := &x509.CertificateRequest{Subject: pkix.Name{CommonName: "Test Agency"}, DNSNames: []string{"ss1.example.org"}, Raw: []byte{1}}
	o := orderCSR(csr)
	if o.Subject.CommonName != "" || csr.Subject.CommonName != "Test Agency" || o.DNSNames[0] != "ss1.example.org" || &o.Raw[0] != &csr.Raw[0] {
		t.Errorf("order CSR: %+v", o)
	}
	cnOnly := &x509.CertificateRequest{Subject: pkix.Name{CommonName: "ss1.example.org"}}
	if orderCSR(cnOnly) != cnOnly || orderNames(cnOnly)[0] != "ss1.example.org" {
		t.Error("a CSR naming only a CN is ordered for its CN")
	}
	ip := &x509.CertificateRequest{IPAddresses: []net.IP{net.ParseIP("192.0.2.7")}}
	if got := orderNames(ip); len(got) != 1 || got[0] != "192.0.2.7" {
		t.Errorf("orderNames = %v", got)
	}
}

// TestACMEChallengeTokens: the listener answers only tokens of pending
// challenges that look like tokens (base64url, at most 128 characters).
func TestACMEChallengeTokens(t *testing.T) {
	s := &Service{challenges: &acmeChallenges{byToken: map[string]string{}}}
	ctx := context.Background()
	long := strings.Repeat("a", 129)
	for _, tok := range []string{"tok-EN_1", long, "../etc", "a b"} {
		_ = s.challenges.Present(ctx, "ss1.example.org", tok, tok+".thumbprint")
	}
	if ka, ok := s.ACMEChallenge("tok-EN_1"); !ok || ka != "tok-EN_1.thumbprint" {
		t.Errorf("pending token: %q, %v", ka, ok)
	}
	for _, tok := range []string{long, "../etc", "a b", "", "unknown"} {
		if _, ok := s.ACMEChallenge(tok); ok {
			t.Errorf("token %q answered", tok)
		}
	}
	_ = s.challenges.CleanUp(ctx, "ss1.example.org", "tok-EN_1", "")
	if _, ok := s.ACMEChallenge("tok-EN_1"); ok {
		t.Error("a cleaned-up challenge is still answered")
	}
}
