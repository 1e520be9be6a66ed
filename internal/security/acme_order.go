package security

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/acme/api"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/challenge/resolver"
	legoreg "github.com/go-acme/lego/v5/registration"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// acmeOrderTimeout bounds one order, from the directory to the certificate.
const acmeOrderTimeout = 3 * time.Minute

// ACMEOrder is an order for the certificate of a key ("Order certificate",
// UG-SS §3.1.4): the CSR's parameters as generateCsr takes them, and, for a
// renewal, the certificate the new one replaces.
type ACMEOrder struct {
	CSRInput
	// Replaces is the certificate the ordered one renews: the order names
	// it (ARI, RFC 9773), so the CA may issue ahead of its limits. It must
	// have been ordered with the same account.
	Replaces *x509.Certificate
}

// OrderACMECertificate generates the key's CSR with the CA's certificate
// profile (the checks of SS_29), orders the certificate from the CA's ACME
// server and imports it (the checks of SS_30), in one step. The order
// proves control of the CSR's names with HTTP-01 on the challenge listener.
// The ACME account of the CA and member (the owner for authentication
// certificates) is registered at the first order, with its external
// account binding. Nothing is stored unless the certificate is imported;
// the key stays either way. A signing certificate is REGISTERED and active
// only with --auto-activate-acme-sign and a good OCSP status (X-Road's
// automatic-activate-acme-sign-certificate); an authentication certificate
// is SAVED. Failures are the ACME_* codes with the CA's reason.
func (s *Service) OrderACMECertificate(ctx context.Context, in ACMEOrder) (*ent.Certificate, error) {
	if err := viewer.Require(ctx, csrPermission(in.Usage)); err != nil {
		return nil, err
	}
	if err := viewer.Require(ctx, importPermission(in.Usage)); err != nil {
		return nil, err
	}
	in.CAName, in.MemberID = xroad.Trim(in.CAName), xroad.Trim(in.MemberID)
	data := map[string]any{"keyId": in.KeyID, "keyUsage": in.Usage, "caName": in.CAName}
	if in.MemberID != "" {
		data["memberId"] = in.MemberID
	}
	cert, err := s.orderACME(ctx, in, data)
	if err != nil {
		return nil, s.failed(ctx, evACMEOrder, data, err)
	}
	return cert, nil
}

func (s *Service) orderACME(ctx context.Context, in ACMEOrder, data map[string]any) (*ent.Certificate, error) {
	snap, err := s.validConf()
	if err != nil {
		return nil, err
	}
	plan, err := s.planCSR(ctx, in.CSRInput)
	if err != nil {
		return nil, err
	}
	plan.auditData(data)
	if plan.ca.ACMEServer == nil {
		return nil, errACMENotSupported(plan.ca.Name)
	}
	if s.opts.ACMEChallengeListen == "" {
		return nil, xroad.Errorf(CodeACMEChallengeListenerOff,
			"The ACME challenge listener is off: start the server with --acme-challenge-listen (the CA validates on port 80 of %s%s)",
			strings.Join(plan.content.AltNames(), ", "), fromAddresses(plan.ca))
	}
	sg, err := s.signerFor(plan.key, plan.key.Edges.Token)
	if err != nil {
		return nil, err
	}
	der, err := plan.sign(sg)
	if err != nil {
		return nil, err
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, err
	}
	accountMember := plan.member // the CSR's member: the owner for authentication
	sys := system(ctx)

	// One order at a time: orders of one account share its registration.
	s.acmeMu.Lock()
	defer s.acmeMu.Unlock()
	octx, cancel := context.WithTimeout(ctx, acmeOrderTimeout)
	defer cancel()
	client, acct, err := s.acmeClient(octx, sys, plan.ca, accountMember, in.Usage)
	if err != nil {
		return nil, err
	}
	leaf, err := client.order(octx, csr, profileID(plan.ca, in.Usage), in.Replaces)
	if err != nil {
		return nil, err
	}
	return s.importOrdered(ctx, snap, leaf, plan, acct, data)
}

// importOrdered imports an ordered certificate with the ACME origin.
func (s *Service) importOrdered(ctx context.Context, snap *globalconf.Snapshot, leaf *x509.Certificate, plan csrPlan, acct *ent.AcmeAccount, data map[string]any) (*ent.Certificate, error) {
	p, err := s.planImport(ctx, snap, leaf.Raw, data, &ownRequest{usage: plan.usage, names: plan.content.AltNames()})
	if err != nil {
		return nil, err
	}
	if p.key.ID != plan.key.ID {
		return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "The ACME server issued a certificate for another key")
	}
	return s.storeCertificate(ctx, snap, p, evACMEOrder, data, &acmeOrigin{caName: plan.ca.Name, accountID: acct.ID})
}

// profileID is the ACME profile the CA orders certificates of usage with.
func profileID(ca *globalconf.ApprovedCA, usage xroad.KeyUsage) string {
	if usage == xroad.UsageAuthentication {
		return ca.ACMEServer.AuthenticationCertificateProfileID
	}
	return ca.ACMEServer.SigningCertificateProfileID
}

// fromAddresses names the addresses the CA validates from, for messages.
func fromAddresses(ca *globalconf.ApprovedCA) string {
	if ips := ca.ACMEServerIPAddresses(); len(ips) > 0 {
		return " from " + strings.Join(ips, ", ")
	}
	return ""
}

// acmeUser is the account lego acts for.
type acmeUser struct {
	email string
	key   crypto.Signer
	reg   *acme.ExtendedAccount
}

func (u *acmeUser) GetEmail() string                       { return u.email }
func (u *acmeUser) GetRegistration() *acme.ExtendedAccount { return u.reg }
func (u *acmeUser) GetPrivateKey() crypto.Signer           { return u.key }

// acmeSession is a lego client bound to an account.
type acmeSession struct {
	core      *api.Core
	certifier *certificate.Certifier
	solver    *stagedSolver
	listen    string
	ca        *globalconf.ApprovedCA
}

// acmeClient connects to the CA's ACME server as the account of the CA,
// member and usage, registering it when it has no account there yet (with
// its external account binding when the server requires one). The account
// (key and URL) is stored as soon as the server knows it.
func (s *Service) acmeClient(ctx, sys context.Context, ca *globalconf.ApprovedCA, member xroad.ClientID, usage xroad.KeyUsage) (*acmeSession, *ent.AcmeAccount, error) {
	acct, err := s.accountFor(sys, ca.Name, member, usage)
	if err != nil {
		return nil, nil, err
	}
	dir := ca.ACMEServer.DirectoryURL
	if acct == nil { // no settings: an account for both usages, made at registration
		acct = &ent.AcmeAccount{CaName: ca.Name, MemberID: member.String()}
	}
	user := &acmeUser{email: xroad.Deref(acct.ContactEmail)}
	registered := acct.AccountURL != nil && acct.AccountKey != nil && xroad.Deref(acct.DirectoryURL) == dir
	if registered {
		der, err := s.open(acct.AccountKey, accountKeyPurpose(acct.CaName, member, acct.KeyUsage))
		if err != nil {
			return nil, nil, err
		}
		k, err := x509.ParsePKCS8PrivateKey(der)
		clear(der)
		if err != nil {
			return nil, nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "The stored ACME account key is unreadable").Wrap(err)
		}
		user.key = k.(crypto.Signer)
		user.reg = &acme.ExtendedAccount{Location: *acct.AccountURL}
	} else if user.key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, nil, err
	}
	core, err := api.New(s.acmeHTTPClient(), "roadreg", dir, xroad.Deref(acct.AccountURL), user.key)
	if err != nil {
		return nil, nil, errFetchingMetadata(dir, err)
	}
	if !registered {
		if acct, err = s.registerACME(ctx, sys, core, user, acct, dir); err != nil {
			return nil, nil, err
		}
	}
	solvers := resolver.NewSolversManager(core)
	if err := solvers.SetHTTP01Provider(s.challenges); err != nil {
		return nil, nil, err
	}
	staged := &stagedSolver{inner: resolver.NewProber(solvers)}
	certifier := certificate.NewCertifier(core, staged, certificate.CertifierOptions{Timeout: 30 * time.Second})
	return &acmeSession{core: core, certifier: certifier, solver: staged, listen: s.opts.ACMEChallengeListen, ca: ca}, acct, nil
}

// registerACME registers the account and stores its key (sealed) and URL;
// acct is the stored account, or (ID 0) the one to create.
func (s *Service) registerACME(ctx, sys context.Context, core *api.Core, user *acmeUser, acct *ent.AcmeAccount, dir string) (*ent.AcmeAccount, error) {
	member, err := xroad.ParseMemberID(acct.MemberID)
	if err != nil {
		return nil, err
	}
	reg := legoreg.NewRegistrar(core, user)
	var res *acme.ExtendedAccount
	switch {
	case acct.EabKeyID != nil && acct.EabMACKey != nil:
		mac, oerr := s.open(acct.EabMACKey, eabPurpose(acct.CaName, member, acct.KeyUsage))
		if oerr != nil {
			return nil, oerr
		}
		res, err = reg.RegisterWithExternalAccountBinding(ctx, legoreg.RegisterEABOptions{TermsOfServiceAgreed: true, Kid: *acct.EabKeyID, HmacEncoded: string(mac)})
		clear(mac)
	case core.GetDirectory().Meta.ExternalAccountRequired:
		return nil, xroad.Errorf(CodeACMEEABCredentialsMissing,
			"The ACME server of %s requires external account binding: set the key id and MAC key the CA gave you for %s (setAcmeAccount)", acct.CaName, acct.MemberID)
	default:
		res, err = reg.Register(ctx, legoreg.RegisterOptions{TermsOfServiceAgreed: true})
	}
	if err != nil {
		return nil, acmeError(CodeACMEAccountCreation, "The ACME server refused to register the account", err,
			"check the external account binding's key id and MAC key, and the contact e-mail")
	}
	der, err := x509.MarshalPKCS8PrivateKey(user.key)
	if err != nil {
		return nil, err
	}
	sealed, err := s.seal(der, accountKeyPurpose(acct.CaName, member, acct.KeyUsage))
	clear(der)
	if err != nil {
		return nil, err
	}
	user.reg = res
	var saved *ent.AcmeAccount
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		if acct.ID == 0 {
			saved, err = tx.AcmeAccount.Create().SetCaName(acct.CaName).SetMemberID(acct.MemberID).
				SetAccountURL(res.Location).SetAccountKey(sealed).SetDirectoryURL(dir).Save(sys)
		} else {
			saved, err = tx.AcmeAccount.UpdateOneID(acct.ID).SetAccountURL(res.Location).SetAccountKey(sealed).SetDirectoryURL(dir).Save(sys)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return saved.Unwrap(), nil
}

// order places the order for csr and returns the issued certificate.
func (c *acmeSession) order(ctx context.Context, csr *x509.CertificateRequest, profile string, replaces *x509.Certificate) (*x509.Certificate, error) {
	req := certificate.ObtainForCSRRequest{CSR: orderCSR(csr), Bundle: true, Profile: profile}
	if replaces != nil {
		id, err := api.MakeARICertID(replaces)
		if err != nil {
			return nil, xroad.Errorf(xroad.CodeInvalidCertificate, "The certificate to renew has no authority key identifier, which ACME renewal information needs").Wrap(err)
		}
		req.ReplacesCertID = id
	}
	res, err := c.certifier.ObtainForCSR(ctx, req)
	switch {
	case err == nil:
	case c.solver.failed:
		return nil, acmeError(CodeACMEAuthorization, "The ACME server could not validate control of "+strings.Join(orderNames(csr), ", "), err,
			fmt.Sprintf("the CA fetches http://<name>/.well-known/acme-challenge/… on port 80 of the name's address%s; this server answers on %s, which port 80 must reach",
				fromAddresses(c.ca), c.listen))
	case c.solver.called:
		return nil, acmeError(CodeACMEOrderFinalization, "The ACME server did not issue the certificate", err, "")
	default:
		return nil, acmeError(CodeACMEOrderCreation, "The ACME server refused the order", err, "")
	}
	block, _ := pem.Decode(res.Certificate)
	if block == nil {
		return nil, xroad.Errorf(CodeACMEOrderFinalization, "The ACME server sent no certificate")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, xroad.Errorf(CodeACMEOrderFinalization, "The ACME server sent a certificate that cannot be read").Wrap(err)
	}
	return leaf, nil
}

// orderCSR is the CSR as lego orders it: lego takes the order's
// identifiers from the subject's CN and the subject alternative names;
// X-Road orders the subject alternative name (UG-SS §3.1.4), so a CN beside
// it (X-Road's basic ACME profile: the server's or member's name) is not
// ordered. The CSR sent to the CA is unchanged.
func orderCSR(csr *x509.CertificateRequest) *x509.CertificateRequest {
	if len(csr.DNSNames)+len(csr.IPAddresses) == 0 {
		return csr
	}
	c := *csr
	c.Subject.CommonName = ""
	return &c
}

func orderNames(csr *x509.CertificateRequest) []string {
	out := append([]string(nil), csr.DNSNames...)
	for _, ip := range csr.IPAddresses {
		out = append(out, ip.String())
	}
	if len(out) == 0 {
		out = append(out, csr.Subject.CommonName)
	}
	return out
}

// stagedSolver notes whether lego reached the challenges and whether they
// failed, to tell a refused order from a failed validation and a failed
// finalisation.
type stagedSolver struct {
	inner interface {
		Solve(context.Context, []acme.Authorization) error
	}
	called, failed bool
}

func (s *stagedSolver) Solve(ctx context.Context, authz []acme.Authorization) error {
	s.called = true
	err := s.inner.Solve(ctx, authz)
	s.failed = err != nil
	return err
}

// acmeError is an ACME_* error quoting the ACME server's problem (type and
// detail) or the failure, with a hint. Credentials never appear in lego's
// errors.
func acmeError(code, what string, err error, hint string) *xroad.Error {
	reason := err.Error()
	var pd *acme.ProblemDetails
	if errors.As(err, &pd) {
		reason = strings.TrimPrefix(pd.Type, "urn:ietf:params:acme:error:") + ": " + pd.Detail
		for _, sub := range pd.SubProblems {
			reason += "; " + sub.Detail
		}
	}
	var rl *acme.RateLimitedError
	msg := what + ": " + reason
	if hint != "" {
		msg += " (" + hint + ")"
	}
	e := xroad.Errorf(code, "%s", msg).Wrap(err)
	if errors.As(err, &rl) && rl.RetryAfter > 0 {
		e = e.WithRetryAfter(rl.RetryAfter)
	}
	return e
}

func errFetchingMetadata(dir string, err error) *xroad.Error {
	return xroad.Errorf(CodeACMEFetchingMetadata, "The ACME server's directory %s could not be read: %s", dir, err.Error()).Wrap(err)
}

// acmeDirectory reads a CA's ACME directory.
func (s *Service) acmeDirectory(dir string) (acme.Meta, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return acme.Meta{}, err
	}
	core, err := api.New(s.acmeHTTPClient(), "roadreg", dir, "", key)
	if err != nil {
		return acme.Meta{}, errFetchingMetadata(dir, err)
	}
	return core.GetDirectory().Meta, nil
}

// acmeHTTPClient talks to ACME servers: the server's HTTP client with the
// system's roots and those of --acme-ca-roots.
func (s *Service) acmeHTTPClient() *http.Client {
	c := *s.http
	if t, ok := s.http.Transport.(*http.Transport); ok && s.opts.ACMERoots != nil {
		t = t.Clone()
		t.TLSClientConfig = &tls.Config{RootCAs: s.opts.ACMERoots, MinVersion: tls.VersionTLS12}
		c.Transport = t
	}
	return &c
}

// acmeChallenges holds the key authorisations of pending HTTP-01
// challenges: lego's solver presents them, the challenge listener serves
// them.
type acmeChallenges struct {
	mu      sync.Mutex
	byToken map[string]string
}

// Present implements lego's challenge.Provider.
func (c *acmeChallenges) Present(_ context.Context, _, token, keyAuth string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byToken[token] = keyAuth
	return nil
}

// CleanUp implements lego's challenge.Provider.
func (c *acmeChallenges) CleanUp(_ context.Context, _, token, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byToken, token)
	return nil
}

// challengeToken is what a challenge token looks like (base64url, X-Road
// accepts at most 128 characters).
var challengeToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// ACMEChallenge returns the key authorisation the challenge listener
// answers for an HTTP-01 token of a pending order.
func (s *Service) ACMEChallenge(token string) (string, bool) {
	if !challengeToken.MatchString(token) {
		return "", false
	}
	s.challenges.mu.Lock()
	defer s.challenges.mu.Unlock()
	ka, ok := s.challenges.byToken[token]
	return ka, ok
}

// ACMESettings are the security server's ACME settings (read-only; flags).
type ACMESettings struct {
	// ChallengeListen is the address of the HTTP-01 challenge listener
	// ("" when it is off).
	ChallengeListen string
	// AutoActivateSign activates ordered signing certificates.
	AutoActivateSign bool
}

// ACMESettings returns the settings (view_keys).
func (s *Service) ACMESettings(ctx context.Context) (ACMESettings, error) {
	if err := viewer.Require(ctx, viewer.SSViewKeys); err != nil {
		return ACMESettings{}, err
	}
	return ACMESettings{ChallengeListen: s.opts.ACMEChallengeListen, AutoActivateSign: s.opts.AutoActivateACMESign}, nil
}
