package security

import (
	"context"
	"slices"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/ent/predicate"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Possible actions (X-Road's PossibleAction values in the security
// server's REST API, with X-Road's rules: UG-SS §5.6, §5.7). Only actions
// that this API offers an operation for are reported. Roadreg keeps every
// certificate in its configuration (none lives on a token only), so the
// rules' "saved to configuration" always holds.
const (
	ActionLogin           = "LOGIN"
	ActionLogout          = "LOGOUT"
	ActionChangePIN       = "TOKEN_CHANGE_PIN"
	ActionGenerateKey     = "GENERATE_KEY"
	ActionGenerateAuthCSR = "GENERATE_AUTH_CSR"
	ActionGenerateSignCSR = "GENERATE_SIGN_CSR"
	ActionRegister        = "REGISTER"
	ActionActivate        = "ACTIVATE"
	ActionDisable         = "DISABLE"
	ActionUnregister      = "UNREGISTER"
	ActionDelete          = "DELETE"
)

// tokenActions: a logged-in token can make keys, change its PIN and be
// logged out; an available one that is logged out can be logged in to.
func tokenActions(available, loggedIn bool) []string {
	switch {
	case available && loggedIn:
		return []string{ActionGenerateKey, ActionLogout, ActionChangePIN}
	case available:
		return []string{ActionLogin}
	}
	return []string{}
}

// keyFacts is what the key rules depend on.
type keyFacts struct {
	SoftToken     bool // the key is on the software token
	TokenLoggedIn bool
	Available     bool
	Usage         *xroad.KeyUsage
	HasCerts      bool
}

// keyActions: a CSR needs a logged-in token, an available key without
// certificates and a usage that is undefined or the CSR's; authentication
// CSRs only on the software token. A key can be deleted while its token is
// logged in (an authentication key on a hardware token is not supported at
// all).
func keyActions(k keyFacts) []string {
	out := []string{}
	if !k.TokenLoggedIn || !k.Available {
		return out
	}
	if !k.HasCerts && k.SoftToken && (k.Usage == nil || *k.Usage == xroad.UsageAuthentication) {
		out = append(out, ActionGenerateAuthCSR)
	}
	if !k.HasCerts && (k.Usage == nil || *k.Usage == xroad.UsageSigning) {
		out = append(out, ActionGenerateSignCSR)
	}
	if k.SoftToken || k.Usage == nil || *k.Usage != xroad.UsageAuthentication {
		out = append(out, ActionDelete)
	}
	return out
}

// canUnregister: an authentication certificate submitted for registration
// or registered must be unregistered (authCertDeletion) before it can be
// deleted.
func canUnregister(usage xroad.KeyUsage, status xroad.CertificateStatus) bool {
	return usage == xroad.UsageAuthentication && slices.Contains(registeredStatuses, status)
}

// registeredStatuses are the states of an authentication certificate the
// central server knows of: submitted for registration, or registered.
var registeredStatuses = []xroad.CertificateStatus{xroad.CertRegistrationInProgress, xroad.CertRegistered}

// mustUnregister selects the certificates canUnregister holds for.
func mustUnregister() predicate.Certificate {
	return certificate.And(certificate.UsageEQ(xroad.UsageAuthentication), certificate.StatusIn(registeredStatuses...))
}

// certificateActions: an authentication certificate can be registered while
// SAVED and unregistered while REGISTRATION_IN_PROGRESS or REGISTERED; any
// certificate can be activated or disabled, by its active flag, and deleted
// unless it has to be unregistered first.
func certificateActions(usage xroad.KeyUsage, status xroad.CertificateStatus, active bool) []string {
	out := []string{}
	unregister := canUnregister(usage, status)
	if usage == xroad.UsageAuthentication && status == xroad.CertSaved {
		out = append(out, ActionRegister)
	}
	if unregister {
		out = append(out, ActionUnregister)
	}
	if active {
		out = append(out, ActionDisable)
	} else {
		out = append(out, ActionActivate)
	}
	if !unregister {
		out = append(out, ActionDelete)
	}
	return out
}

// csrActions: a CSR notice can always be deleted (X-Road: unless it lives
// only on a read-only token, which Roadreg's never do).
func csrActions() []string { return []string{ActionDelete} }

// KeyPossibleActions lists what can be done with a key now.
func (s *Service) KeyPossibleActions(ctx context.Context, k *ent.Key) ([]string, error) {
	facts, err := s.keyFacts(system(ctx), k)
	if err != nil {
		return nil, err
	}
	return keyActions(facts), nil
}

func (s *Service) keyFacts(ctx context.Context, k *ent.Key) (keyFacts, error) {
	tok, err := k.QueryToken().Only(ctx)
	if err != nil {
		return keyFacts{}, err
	}
	hasCerts, err := k.QueryCertificates().Exist(ctx)
	if err != nil {
		return keyFacts{}, err
	}
	st := s.TokenState(tok)
	return keyFacts{
		SoftToken:     tok.TokenID == signer.SoftTokenID,
		TokenLoggedIn: st.LoggedIn,
		Available:     st.Available,
		Usage:         k.Usage,
		HasCerts:      hasCerts,
	}, nil
}

// CertificatePossibleActions lists what can be done with a certificate now.
func (s *Service) CertificatePossibleActions(c *ent.Certificate) []string {
	return certificateActions(c.Usage, c.Status, c.Active)
}

// CSRPossibleActions lists what can be done with a CSR notice now.
func (s *Service) CSRPossibleActions(*ent.CertificateSigningRequest) []string { return csrActions() }
