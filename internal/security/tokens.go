package security

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/key"
	"github.com/roadreg/roadreg/ent/token"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// TokenState is a token's run-time state, which lives in the signer, not in
// the database.
type TokenState struct {
	LoggedIn  bool
	Available bool
	// Status is X-Road's TokenStatus (OK, USER_PIN_INCORRECT, …).
	Status          string
	PossibleActions []string
	// PINFailures counts the software token's consecutive wrong PINs and
	// PINRetryAfter is how much longer it refuses PINs (0: it checks the
	// next one). Hardware tokens report their tries in Status
	// (USER_PIN_COUNT_LOW, USER_PIN_FINAL_TRY, USER_PIN_LOCKED).
	PINFailures   int
	PINRetryAfter time.Duration
}

// loadSoftToken re-creates the software token from its stored state; it
// starts logged out (the PIN is never stored).
func (s *Service) loadSoftToken(ctx context.Context) error {
	row, err := s.client.Token.Query().Where(token.TokenID(signer.SoftTokenID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var st softtoken.State
	if err := st.UnmarshalBinary(row.SoftTokenState); err != nil {
		return xroad.Errorf(xroad.CodeInternal, "The stored software token state is unreadable").Wrap(err)
	}
	s.tokMu.Lock()
	s.soft = softtoken.New(st, softtoken.WithClock(s.opts.Now))
	s.tokMu.Unlock()
	return nil
}

// runtime returns the signer-side token of a token row, or nil when it is
// not present (a PKCS#11 token that was removed, or a module that is no
// longer configured).
func (s *Service) runtime(tokenID string) signer.Token {
	s.tokMu.RLock()
	defer s.tokMu.RUnlock()
	if tokenID == signer.SoftTokenID {
		if s.soft == nil {
			return nil
		}
		return s.soft
	}
	if t, ok := s.hardware[tokenID]; ok {
		return t
	}
	return nil
}

// syncHardware records every token of the configured PKCS#11 modules as a
// HARDWARE token row, and keys found on them that are not known yet (keys
// made with other tools) as keys of undefined usage.
func (s *Service) syncHardware(ctx context.Context) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	s.tokMu.RLock()
	modules := s.modules
	s.tokMu.RUnlock()
	for _, m := range modules {
		toks, err := m.Tokens()
		if err != nil {
			return err
		}
		for _, t := range toks {
			s.tokMu.Lock()
			s.hardware[t.ID()] = t
			s.tokMu.Unlock()
			if err := s.recordHardwareToken(ctx, t, m.Path()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) recordHardwareToken(ctx context.Context, t signer.Token, modulePath string) error {
	row, err := s.client.Token.Query().Where(token.TokenID(t.ID())).Only(ctx)
	if ent.IsNotFound(err) {
		c := s.client.Token.Create().SetTokenID(t.ID()).SetName(t.Name()).SetType(xroad.TokenHardware).
			SetModulePath(modulePath).SetLabel(t.Name())
		if sn, ok := t.(interface{ SerialNumber() string }); ok {
			c.SetSerialNumber(sn.SerialNumber())
		}
		row, err = c.Save(ctx)
	}
	if err != nil {
		return err
	}
	lister, ok := t.(signer.KeyLister)
	if !ok {
		return nil
	}
	infos, err := lister.Keys()
	if err != nil {
		slog.WarnContext(ctx, "listing the keys of a PKCS#11 token", "token", t.ID(), "err", err)
		return nil
	}
	for _, info := range infos {
		exists, err := row.QueryKeys().Where(key.KeyID(info.ID)).Exist(ctx)
		if err != nil {
			return err
		}
		if exists {
			continue
		}
		pub, err := x509.MarshalPKIXPublicKey(info.PublicKey)
		if err != nil {
			continue
		}
		if err := s.client.Key.Create().SetToken(row).SetKeyID(info.ID).SetNillableLabel(nonEmpty(info.Label)).
			SetAlgorithm(info.Algorithm).SetPublicKey(pub).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Tokens lists the tokens, the software token first (SS_19).
func (s *Service) Tokens(ctx context.Context) ([]*ent.Token, error) {
	if err := viewer.Require(ctx, viewer.SSViewKeys); err != nil {
		return nil, err
	}
	sys := system(ctx)
	if err := s.syncHardware(sys); err != nil {
		slog.WarnContext(ctx, "refreshing PKCS#11 tokens", "err", err)
	}
	rows, err := s.client.Token.Query().Order(ent.Asc(token.FieldID)).All(sys)
	if err != nil {
		return nil, err
	}
	out := make([]*ent.Token, 0, len(rows))
	for _, r := range rows {
		if r.TokenID == signer.SoftTokenID {
			out = append([]*ent.Token{r}, out...)
		} else {
			out = append(out, r)
		}
	}
	return out, nil
}

// TokenState returns the run-time state and possible actions of a token.
func (s *Service) TokenState(t *ent.Token) TokenState {
	rt := s.runtime(t.TokenID)
	st := TokenState{Status: signer.StatusOK}
	if rt != nil {
		st.Available, st.LoggedIn, st.Status = rt.Available(), rt.LoggedIn(), rt.Status()
	}
	st.PossibleActions = tokenActions(st.Available, st.LoggedIn)
	if t.Type == xroad.TokenSoftware {
		var stored softtoken.State
		if err := stored.UnmarshalBinary(t.SoftTokenState); err == nil {
			f := stored.FailuresAt(s.now())
			st.PINFailures, st.PINRetryAfter = f.Count, f.RetryAfter
		}
	}
	return st
}

// tokenRow loads a token row by its ent id.
func (s *Service) tokenRow(ctx context.Context, id int) (*ent.Token, error) {
	t, err := s.client.Token.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, xroad.Errorf(xroad.CodeTokenNotFound, "Token with id %d was not found", id)
	}
	return t, err
}

// usableToken returns the signer-side token of row, which must be present
// and, when loggedIn is true, logged in.
func (s *Service) usableToken(row *ent.Token, loggedIn bool) (signer.Token, error) {
	rt := s.runtime(row.TokenID)
	if rt == nil || !rt.Available() {
		return nil, errTokenNotAvailable(row.Name)
	}
	if loggedIn && !rt.LoggedIn() {
		return nil, signer.ErrNotLoggedIn(row.Name)
	}
	return rt, nil
}

// LoginToken enters a token's PIN (SS_24). A wrong PIN gives PIN_INCORRECT
// and never logs a logged-in token out. The software token backs off after
// repeated wrong PINs (TOKEN_PIN_RETRY_LATER with a retry-after, the PIN
// unchecked; see softtoken.PINDelay); its wrong-PIN count is read from the
// database before and stored after every checked PIN, so a restart keeps it
// and roadreg token unlock clears it. A PKCS#11 token applies its own PIN
// policy.
func (s *Service) LoginToken(ctx context.Context, tokenID int, pin string) (*ent.Token, error) {
	if err := viewer.Require(ctx, viewer.SSActivateToken); err != nil {
		return nil, err
	}
	sys := system(ctx)
	// The stored wrong-PIN count is read, checked against and stored again
	// under one lock, so parallel attempts cannot slip past the back-off.
	s.loginMu.Lock()
	defer s.loginMu.Unlock()
	row, err := s.tokenRow(sys, tokenID)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"tokenId": row.TokenID, "tokenName": row.Name}
	if pin == "" || len(pin) > xroad.MaxIdentifierPartLength {
		return nil, s.failed(ctx, evLogin, data, xroad.BadInput("pin", "The PIN is required and may have at most %d characters", xroad.MaxIdentifierPartLength))
	}
	rt, err := s.usableToken(row, false)
	if err != nil {
		return nil, s.failed(ctx, evLogin, data, err)
	}
	soft, isSoft := rt.(*softtoken.Token)
	if isSoft {
		var stored softtoken.State
		if err := stored.UnmarshalBinary(row.SoftTokenState); err != nil {
			return nil, xroad.Errorf(xroad.CodeInternal, "The stored software token state is unreadable").Wrap(err)
		}
		soft.SyncFailures(stored)
	}
	loginErr := rt.Login(pin)
	if xroad.IsCode(loginErr, signer.CodeTokenPinRetryLater) { // nothing was checked, nothing changed
		return nil, s.failed(ctx, evLogin, withRetryAfter(data, loginErr), loginErr)
	}
	defer s.publish(events.TokenChanged, row.ID) // logged in, or its PIN status changed
	if isSoft {
		if err := s.saveSoftTokenState(sys, row, soft); err != nil {
			return nil, err
		}
	}
	if loginErr != nil {
		return nil, s.failed(ctx, evLogin, withRetryAfter(data, loginErr), loginErr)
	}
	record(ctx, s.client, evLogin, data)
	if row.Type == xroad.TokenHardware {
		if err := s.syncHardware(sys); err != nil {
			slog.WarnContext(ctx, "refreshing PKCS#11 tokens", "err", err)
		}
	}
	return row, nil
}

// withRetryAfter adds the back-off an error announces to audit data.
func withRetryAfter(data map[string]any, err error) map[string]any {
	var xe *xroad.Error
	if errors.As(err, &xe) && xe.RetryAfterSeconds() > 0 {
		data["retryAfter"] = xe.RetryAfterSeconds()
	}
	return data
}

func (s *Service) saveSoftTokenState(ctx context.Context, row *ent.Token, t *softtoken.Token) error {
	st, err := t.State().MarshalBinary()
	if err != nil {
		return err
	}
	return s.client.Token.UpdateOneID(row.ID).SetSoftTokenState(st).Exec(ctx)
}

// ChangeTokenPIN changes a token's user PIN (X-Road's "change token PIN")
// after checking the current one. The new PIN must be printable ASCII and,
// when the server enforces it, follow the PIN policy (TOKEN_WEAK_PIN). The
// current PIN goes through the token's own rules: on the software token
// the same back-off as LoginToken (a wrong PIN counts, TOKEN_PIN_RETRY_LATER
// while it waits), on a hardware token the device's. The login state stays
// as it was.
func (s *Service) ChangeTokenPIN(ctx context.Context, tokenID int, oldPIN, newPIN string) (*ent.Token, error) {
	if err := viewer.Require(ctx, viewer.SSUpdateTokenPIN); err != nil {
		return nil, err
	}
	sys := system(ctx)
	s.loginMu.Lock()
	defer s.loginMu.Unlock()
	row, err := s.tokenRow(sys, tokenID)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"tokenId": row.TokenID, "tokenName": row.Name}
	if oldPIN == "" || len(oldPIN) > xroad.MaxIdentifierPartLength {
		return nil, s.failed(ctx, evChangePIN, data, xroad.BadInput("oldPin", "The current PIN is required and may have at most %d characters", xroad.MaxIdentifierPartLength))
	}
	if len(newPIN) > xroad.MaxIdentifierPartLength {
		return nil, s.failed(ctx, evChangePIN, data, xroad.BadInput("newPin", "The new PIN may have at most %d characters", xroad.MaxIdentifierPartLength))
	}
	if err := signer.ValidatePIN(newPIN, s.opts.EnforcePINPolicy); err != nil {
		var xe *xroad.Error
		if errors.As(err, &xe) {
			xe.Field = "newPin"
		}
		return nil, s.failed(ctx, evChangePIN, data, err)
	}
	rt, err := s.usableToken(row, false)
	if err != nil {
		return nil, s.failed(ctx, evChangePIN, data, err)
	}
	changer, ok := rt.(signer.PINChanger)
	if !ok {
		return nil, s.failed(ctx, evChangePIN, data, xroad.Errorf(xroad.CodeActionNotPossible, "The PIN of token %q cannot be changed here", row.Name))
	}
	soft, isSoft := rt.(*softtoken.Token)
	if isSoft {
		var stored softtoken.State
		if err := stored.UnmarshalBinary(row.SoftTokenState); err != nil {
			return nil, xroad.Errorf(xroad.CodeInternal, "The stored software token state is unreadable").Wrap(err)
		}
		soft.SyncFailures(stored)
	}
	changeErr := changer.ChangePIN(oldPIN, newPIN)
	if xroad.IsCode(changeErr, signer.CodeTokenPinRetryLater) { // nothing was checked, nothing changed
		return nil, s.failed(ctx, evChangePIN, withRetryAfter(data, changeErr), changeErr)
	}
	var xe *xroad.Error
	if errors.As(changeErr, &xe) && xe.Code == xroad.CodePinIncorrect {
		xe.Field = "oldPin"
	}
	defer s.publish(events.TokenChanged, row.ID) // its PIN, or its PIN status, changed
	if isSoft {
		// The new wrapping of the data key, or the wrong-PIN count.
		if err := s.saveSoftTokenState(sys, row, soft); err != nil {
			return nil, err
		}
	}
	if changeErr != nil {
		return nil, s.failed(ctx, evChangePIN, withRetryAfter(data, changeErr), changeErr)
	}
	record(ctx, s.client, evChangePIN, data)
	return s.tokenRow(sys, tokenID)
}

// LogoutToken logs out of a token; its keys cannot sign until the next
// login.
func (s *Service) LogoutToken(ctx context.Context, tokenID int) (*ent.Token, error) {
	if err := viewer.Require(ctx, viewer.SSActivateToken); err != nil {
		return nil, err
	}
	row, err := s.tokenRow(system(ctx), tokenID)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"tokenId": row.TokenID, "tokenName": row.Name}
	rt, err := s.usableToken(row, false)
	if err != nil {
		return nil, s.failed(ctx, evLogout, data, err)
	}
	if err := rt.Logout(); err != nil {
		return nil, s.failed(ctx, evLogout, data, xroad.Errorf(xroad.CodeTokenOperationFailed, "Logging out of token %q failed", row.Name).Wrap(err))
	}
	record(ctx, s.client, evLogout, data)
	s.publish(events.TokenChanged, row.ID)
	return row, nil
}

// signerFor returns a signer for a key; its token must be logged in.
func (s *Service) signerFor(k *ent.Key, tok *ent.Token) (crypto.Signer, error) {
	rt, err := s.usableToken(tok, true)
	if err != nil {
		return nil, err
	}
	pub, err := x509.ParsePKIXPublicKey(k.PublicKey)
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeInternal, "The stored public key of key %s is unreadable", k.KeyID).Wrap(err)
	}
	sg, err := rt.Signer(signer.KeyInfo{ID: k.KeyID, Label: xroad.Deref(k.Label), Algorithm: k.Algorithm, PublicKey: pub, Blob: k.PrivateKeyBlob})
	if err != nil {
		var xe *xroad.Error
		if errors.As(err, &xe) {
			return nil, err
		}
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "Key %s on token %q cannot sign", k.KeyID, tok.Name).Wrap(err)
	}
	return sg, nil
}

func errTokenNotAvailable(name string) *xroad.Error {
	return xroad.Errorf(CodeTokenNotAvailable, "Token %q is not available: its device or PKCS#11 module is missing", name)
}

// UnlockToken clears the wrong-PIN count and back-off of the software token
// (ref is its id "0" or its name) in the security server's database, for
// roadreg token unlock, which needs local access. A running server applies
// it at the next PIN. A hardware token's PIN belongs to the device: it is
// refused with ACTION_NOT_POSSIBLE.
func UnlockToken(ctx context.Context, client *ent.Client, ref string, now time.Time) (softtoken.Failures, error) {
	ctx = viewer.SystemContext(ctx, viewer.Security)
	rows, err := client.Token.Query().Where(token.Or(token.TokenID(ref), token.Name(ref), token.LabelEQ(ref))).All(ctx)
	if err != nil {
		return softtoken.Failures{}, err
	}
	if i := slices.IndexFunc(rows, func(r *ent.Token) bool { return r.TokenID == ref }); i >= 0 {
		rows = rows[i : i+1] // the id wins over a label
	}
	switch len(rows) {
	case 0:
		return softtoken.Failures{}, xroad.Errorf(xroad.CodeTokenNotFound, "No token has the id or label %q; the software token is \"0\" (%s)", ref, signer.SoftTokenName)
	case 1:
	default:
		return softtoken.Failures{}, xroad.BadInput("token", "Several tokens have the label %q; give the token id", ref)
	}
	row := rows[0]
	if row.Type != xroad.TokenSoftware {
		return softtoken.Failures{}, xroad.Errorf(xroad.CodeActionNotPossible,
			"Token %q is a hardware token: its PIN policy is the device's own; unlock a locked PIN with the token's tools (security officer PIN)", row.Name)
	}
	var st softtoken.State
	if err := st.UnmarshalBinary(row.SoftTokenState); err != nil {
		return softtoken.Failures{}, xroad.Errorf(xroad.CodeInternal, "The stored software token state is unreadable").Wrap(err)
	}
	cleared := st.FailuresAt(now)
	st.ClearFailures()
	b, err := st.MarshalBinary()
	if err != nil {
		return softtoken.Failures{}, err
	}
	if err := client.Token.UpdateOneID(row.ID).SetSoftTokenState(b).Exec(ctx); err != nil {
		return softtoken.Failures{}, err
	}
	record(ctx, client, evUnlock, map[string]any{"tokenId": row.TokenID, "tokenName": row.Name,
		"failedLogins": cleared.Count, "retryAfter": int(cleared.RetryAfter.Round(time.Second) / time.Second)})
	return cleared, nil
}
