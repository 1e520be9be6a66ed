package security

import (
	"context"
	"encoding/base64"
	"net/mail"
	"strings"
	"unicode"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/acmeaccount"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ACME error codes: X-Road's acme.* deviation codes, upper-cased with the
// ACME_ prefix, and Roadreg's for what X-Road configures in files.
const (
	CodeACMENotSupported          = "ACME_NOT_SUPPORTED"
	CodeACMEChallengeListenerOff  = "ACME_CHALLENGE_LISTENER_OFF"
	CodeACMEEABCredentialsMissing = "ACME_EAB_CREDENTIALS_MISSING"
	CodeACMEFetchingMetadata      = "ACME_FETCHING_METADATA_ERROR"
	CodeACMEAccountCreation       = "ACME_ACCOUNT_CREATION_FAILURE"
	CodeACMEOrderCreation         = "ACME_ORDER_CREATION_FAILURE"
	CodeACMEAuthorization         = "ACME_AUTHORIZATION_FAILURE"
	CodeACMEOrderFinalization     = "ACME_ORDER_FINALIZATION_FAILURE"
)

// Audit events of ACME accounts (Roadreg's: X-Road keeps them in files).
const (
	evSetACMEAccount    = "Set ACME account"
	evDeleteACMEAccount = "Delete ACME account"
	evACMEOrder         = "Acme order certificate"
)

// ACMEAccountInput is what setAcmeAccount sets: the external account
// binding (EAB) and contact of the account with an approved CA's ACME
// server for a member, for one key usage or (nil) both. In an update a nil
// field stays as it is and "" clears it.
type ACMEAccountInput struct {
	CAName   string
	MemberID string
	KeyUsage *xroad.KeyUsage
	// EABKeyID and EABMACKey are the external account binding the CA
	// handed out (the MAC key base64url-encoded, as CAs give it).
	EABKeyID     *string
	EABMACKey    *string
	ContactEmail *string
}

// accountPermissions are the permissions managing an account of the usage
// needs: X-Road's import permission of the usage, both for an account
// serving both usages.
func accountPermissions(ctx context.Context, u *xroad.KeyUsage) error {
	if u != nil {
		return viewer.Require(ctx, importPermission(*u))
	}
	if err := viewer.Require(ctx, viewer.SSImportAuthCert); err != nil {
		return err
	}
	return viewer.Require(ctx, viewer.SSImportSignCert)
}

// ACMEAccounts lists the ACME accounts (view_keys).
func (s *Service) ACMEAccounts(ctx context.Context) ([]*ent.AcmeAccount, error) {
	if err := viewer.Require(ctx, viewer.SSViewKeys); err != nil {
		return nil, err
	}
	return s.client.AcmeAccount.Query().Order(ent.Asc(acmeaccount.FieldCaName), ent.Asc(acmeaccount.FieldMemberID)).All(system(ctx))
}

// SetACMEAccount creates or changes the ACME account of a CA, member and
// usage. The CA must be approved with an ACME server; an account for
// authentication certificates is the server owner's (X-Road orders them as
// the owner). The MAC key is sealed under the software token's data key, so
// setting one needs softToken-0 logged in; it is never returned or logged.
// New EAB credentials forget a registered account: the next order
// registers a new one with them.
func (s *Service) SetACMEAccount(ctx context.Context, in ACMEAccountInput) (*ent.AcmeAccount, error) {
	if err := accountPermissions(ctx, in.KeyUsage); err != nil {
		return nil, err
	}
	data := map[string]any{"caName": xroad.Trim(in.CAName), "memberId": xroad.Trim(in.MemberID)}
	if in.KeyUsage != nil {
		data["keyUsage"] = *in.KeyUsage
	}
	acct, err := s.setACMEAccount(ctx, in, data)
	if err != nil {
		return nil, s.failed(ctx, evSetACMEAccount, data, err)
	}
	return acct, nil
}

func (s *Service) setACMEAccount(ctx context.Context, in ACMEAccountInput, data map[string]any) (*ent.AcmeAccount, error) {
	sys := system(ctx)
	_, server, err := s.initialized(sys)
	if err != nil {
		return nil, err
	}
	snap, err := s.currentConf()
	if err != nil {
		return nil, err
	}
	caName := xroad.Trim(in.CAName)
	ca, ok := snap.Shared.ApprovedCA(caName)
	if !ok {
		return nil, xroad.Errorf(xroad.CodeCertificateAuthorityNotFound, "Certification authority %q is not approved in the global configuration", caName).WithMetadata(caName)
	}
	if ca.ACMEServer == nil {
		return nil, errACMENotSupported(caName)
	}
	member, err := xroad.ParseMemberID(xroad.Trim(in.MemberID))
	if err != nil {
		return nil, xroad.BadInput("memberId", "memberId %q is not of the form INSTANCE/CLASS/CODE", in.MemberID)
	}
	if err := s.requireLocalMember(sys, member, server); err != nil {
		return nil, err
	}
	if in.KeyUsage != nil && *in.KeyUsage == xroad.UsageAuthentication && member != server.Owner {
		return nil, xroad.BadInput("memberId", "Authentication certificates are ordered for the server owner %s; set the account for the owner", server.Owner)
	}
	kid, err := optionalText("eabKeyId", in.EABKeyID, 1024)
	if err != nil {
		return nil, err
	}
	mac, err := macKey(in.EABMACKey)
	if err != nil {
		return nil, err
	}
	contact, err := contactEmail(in.ContactEmail)
	if err != nil {
		return nil, err
	}
	var sealedMAC []byte
	if mac != nil && *mac != "" {
		if sealedMAC, err = s.seal([]byte(*mac), eabPurpose(caName, member, in.KeyUsage)); err != nil {
			return nil, err
		}
	}
	var acct *ent.AcmeAccount
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		cur, err := accountQuery(tx.Client(), caName, member, in.KeyUsage).Only(sys)
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		if cur == nil {
			if cur, err = tx.AcmeAccount.Create().SetCaName(caName).SetMemberID(member.String()).SetNillableKeyUsage(in.KeyUsage).Save(sys); err != nil {
				return err
			}
		}
		u := cur.Update()
		newEAB := false
		if kid != nil {
			setOrClear(*kid, u.SetEabKeyID, u.ClearEabKeyID)
			newEAB = *kid != xroad.Deref(cur.EabKeyID)
		}
		if mac != nil {
			if *mac == "" {
				u.ClearEabMACKey()
			} else {
				u.SetEabMACKey(sealedMAC)
			}
			newEAB = true
		}
		if contact != nil {
			setOrClear(*contact, u.SetContactEmail, u.ClearContactEmail)
		}
		if newEAB {
			u.ClearAccountURL().ClearAccountKey().ClearDirectoryURL()
		}
		if acct, err = u.Save(sys); err != nil {
			return err
		}
		if (acct.EabKeyID == nil) != (acct.EabMACKey == nil) {
			return xroad.BadInput("eabMacKey", "An external account binding needs both its key id and its MAC key")
		}
		data["eabKeyId"], data["contactEmail"], data["macKeySet"] = xroad.Deref(acct.EabKeyID), xroad.Deref(acct.ContactEmail), acct.EabMACKey != nil
		record(ctx, tx.Client(), evSetACMEAccount, data)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return acct.Unwrap(), nil
}

// DeleteACMEAccount deletes an ACME account; certificates it ordered keep
// their CA but lose the link (their renewal registers a new account).
func (s *Service) DeleteACMEAccount(ctx context.Context, id int) (int, error) {
	sys := system(ctx)
	acct, err := s.client.AcmeAccount.Get(sys, id)
	if ent.IsNotFound(err) {
		if err := viewer.Require(ctx, viewer.SSImportAuthCert, viewer.SSImportSignCert); err != nil {
			return 0, err
		}
		return 0, xroad.Errorf(xroad.CodeNotFound, "ACME account %d was not found", id)
	}
	if err != nil {
		return 0, err
	}
	if err := accountPermissions(ctx, acct.KeyUsage); err != nil {
		return 0, err
	}
	data := map[string]any{"caName": acct.CaName, "memberId": acct.MemberID, "eabKeyId": xroad.Deref(acct.EabKeyID)}
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		if err := tx.AcmeAccount.DeleteOneID(id).Exec(sys); err != nil {
			return err
		}
		record(ctx, tx.Client(), evDeleteACMEAccount, data)
		return nil
	})
	if err != nil {
		return 0, s.failed(ctx, evDeleteACMEAccount, data, err)
	}
	return id, nil
}

// ACMEEABStatus says whether a CA's ACME server requires external account
// binding (its directory's meta.externalAccountRequired) and whether this
// server has credentials for the CA, usage and member
// (X-Road's hasAcmeExternalAccountBindingCredentials).
type ACMEEABStatus struct {
	Required, HasCredentials bool
}

// HasACMEEABCredentials fetches the CA's ACME directory and looks up the
// account that orders for member (the owner for authentication).
func (s *Service) HasACMEEABCredentials(ctx context.Context, caName string, usage xroad.KeyUsage, memberID string) (ACMEEABStatus, error) {
	if err := viewer.Require(ctx, importPermission(usage)); err != nil {
		return ACMEEABStatus{}, err
	}
	sys := system(ctx)
	_, server, err := s.initialized(sys)
	if err != nil {
		return ACMEEABStatus{}, err
	}
	snap, err := s.currentConf()
	if err != nil {
		return ACMEEABStatus{}, err
	}
	ca, err := approvedCA(snap, xroad.Trim(caName), usage)
	if err != nil {
		return ACMEEABStatus{}, err
	}
	if ca.ACMEServer == nil {
		return ACMEEABStatus{}, errACMENotSupported(ca.Name)
	}
	member := server.Owner
	if usage == xroad.UsageSigning {
		if member, err = xroad.ParseMemberID(xroad.Trim(memberID)); err != nil {
			return ACMEEABStatus{}, xroad.BadInput("memberId", "memberId %q is not of the form INSTANCE/CLASS/CODE", memberID)
		}
	}
	meta, err := s.acmeDirectory(ca.ACMEServer.DirectoryURL)
	if err != nil {
		return ACMEEABStatus{}, err
	}
	acct, err := s.accountFor(sys, ca.Name, member, usage)
	if err != nil {
		return ACMEEABStatus{}, err
	}
	return ACMEEABStatus{Required: meta.ExternalAccountRequired, HasCredentials: acct != nil && acct.EabKeyID != nil && acct.EabMACKey != nil}, nil
}

// accountFor is the account that orders certificates of usage for member
// from the CA: the one for that usage, else the one for both (nil when
// there is none).
func (s *Service) accountFor(ctx context.Context, caName string, member xroad.ClientID, usage xroad.KeyUsage) (*ent.AcmeAccount, error) {
	for _, u := range []*xroad.KeyUsage{&usage, nil} {
		acct, err := accountQuery(s.client, caName, member, u).Only(ctx)
		if err == nil || !ent.IsNotFound(err) {
			return acct, err
		}
	}
	return nil, nil
}

func accountQuery(c *ent.Client, caName string, member xroad.ClientID, usage *xroad.KeyUsage) *ent.AcmeAccountQuery {
	q := c.AcmeAccount.Query().Where(acmeaccount.CaName(caName), acmeaccount.MemberID(member.String()))
	if usage == nil {
		return q.Where(acmeaccount.KeyUsageIsNil())
	}
	return q.Where(acmeaccount.KeyUsageEQ(*usage))
}

// seal encrypts a secret under the software token's data key (the token
// must be logged in: TOKEN_NOT_ACTIVE).
func (s *Service) seal(secret []byte, purpose string) ([]byte, error) {
	s.tokMu.RLock()
	soft := s.soft
	s.tokMu.RUnlock()
	if soft == nil || !soft.LoggedIn() {
		return nil, errSecretsLocked()
	}
	return soft.Seal(secret, purpose)
}

// open decrypts what seal sealed.
func (s *Service) open(sealed []byte, purpose string) ([]byte, error) {
	s.tokMu.RLock()
	soft := s.soft
	s.tokMu.RUnlock()
	if soft == nil || !soft.LoggedIn() {
		return nil, errSecretsLocked()
	}
	return soft.Open(sealed, purpose)
}

func errSecretsLocked() *xroad.Error {
	return xroad.Errorf(xroad.CodeTokenNotActive,
		"Log in to %s first: ACME account keys and external account binding MAC keys are kept encrypted under it", signer.SoftTokenName)
}

// Purposes the account's secrets are sealed for: bound to the account's
// CA, member and usage, which never change.
func eabPurpose(caName string, member xroad.ClientID, usage *xroad.KeyUsage) string {
	return "acme-eab-mac-key " + accountScope(caName, member, usage)
}

func accountKeyPurpose(caName string, member xroad.ClientID, usage *xroad.KeyUsage) string {
	return "acme-account-key " + accountScope(caName, member, usage)
}

func accountScope(caName string, member xroad.ClientID, usage *xroad.KeyUsage) string {
	u := "*"
	if usage != nil {
		u = string(*usage)
	}
	return caName + "|" + member.String() + "|" + u
}

func errACMENotSupported(caName string) *xroad.Error {
	return xroad.Errorf(CodeACMENotSupported,
		"Certification authority %q has no ACME server in the global configuration; order its certificates with a CSR instead", caName).WithMetadata(caName)
}

// optionalText trims an optional text input: nil stays nil, "" clears.
func optionalText(field string, v *string, max int) (*string, error) {
	if v == nil {
		return nil, nil
	}
	t := xroad.Trim(*v)
	if len(t) > max || strings.ContainsFunc(t, unicode.IsControl) {
		return nil, xroad.BadInput(field, "%s must be at most %d characters without control characters", field, max)
	}
	return &t, nil
}

// macKey checks a MAC key as CAs hand them out: base64url, with or without
// padding. It is normalised to unpadded base64url.
func macKey(v *string) (*string, error) {
	if v == nil {
		return nil, nil
	}
	t := strings.TrimRight(strings.TrimSpace(*v), "=")
	if t == "" {
		return &t, nil
	}
	key, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || len(key) == 0 || len(t) > 1024 {
		return nil, xroad.BadInput("eabMacKey", "eabMacKey must be the MAC key as the CA gives it: base64url-encoded (A–Z, a–z, 0–9, - and _)")
	}
	return &t, nil
}

// contactEmail checks an e-mail address (without a display name).
func contactEmail(v *string) (*string, error) {
	if v == nil {
		return nil, nil
	}
	t := xroad.Trim(*v)
	if t == "" {
		return &t, nil
	}
	a, err := mail.ParseAddress(t)
	if err != nil || a.Address != t || len(t) > 255 {
		return nil, xroad.BadInput("contactEmail", "contactEmail must be an e-mail address such as admin@example.org")
	}
	return &t, nil
}

// setOrClear sets an optional column to v, or clears it when v is "".
func setOrClear[U any](v string, set func(string) U, clear func() U) {
	if v != "" {
		set(v)
	} else {
		clear()
	}
}
