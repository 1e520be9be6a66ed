package security

import (
	"context"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Possible actions (X-Road's PossibleAction values in the security
// server's REST API). Only actions that this API offers an operation for are
// reported.
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
// CSRs only on the software token.
func keyActions(k keyFacts) []string {
	out := []string{}
	if !k.TokenLoggedIn || !k.Available || k.HasCerts {
		return out
	}
	if k.SoftToken && (k.Usage == nil || *k.Usage == xroad.UsageAuthentication) {
		out = append(out, ActionGenerateAuthCSR)
	}
	if k.Usage == nil || *k.Usage == xroad.UsageSigning {
		out = append(out, ActionGenerateSignCSR)
	}
	return out
}

// certificateActions: an authentication certificate can be registered while
// SAVED; any certificate can be activated or disabled, by its active flag.
func certificateActions(usage xroad.KeyUsage, status xroad.CertificateStatus, active bool) []string {
	out := []string{}
	if usage == xroad.UsageAuthentication && status == xroad.CertSaved {
		out = append(out, ActionRegister)
	}
	if active {
		out = append(out, ActionDisable)
	} else {
		out = append(out, ActionActivate)
	}
	return out
}

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
