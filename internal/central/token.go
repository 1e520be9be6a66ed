package central

import (
	"context"
	"crypto"
	"crypto/x509"
	"os"
	"strings"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/configurationsigningkey"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The central server's software token holds the configuration-signing
// key. After a restart it is logged out until an administrator logs in
// (loginCentralServerToken) or the PIN file logs it in at start-up;
// meanwhile generation fails and the last good configuration is served.

// loadToken creates the token object from the stored state (logged out).
func (s *Service) loadToken(ctx context.Context) error {
	conf, err := s.conf(ctx)
	if err != nil {
		return err
	}
	var st softtoken.State
	if err := st.UnmarshalBinary(conf.SoftTokenState); err != nil {
		return err
	}
	s.tokenMu.Lock()
	if s.token == nil {
		s.token = softtoken.New(st)
	}
	s.tokenMu.Unlock()
	return nil
}

// LoginFromFile logs in to the token with the PIN stored in path (X-Road's
// autologin). The file should be readable by the server's user only.
func (s *Service) LoginFromFile(ctx context.Context, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return s.LoginToken(viewer.SystemContext(ctx, viewer.Central), strings.TrimRight(string(b), "\r\n"))
}

// LoginToken logs in to the central server's software token so global
// configuration can be signed.
func (s *Service) LoginToken(ctx context.Context, pin string) error {
	if err := viewer.Require(ctx, viewer.CSActivateToken); err != nil {
		return err
	}
	if err := s.loadToken(ctx); err != nil {
		return err
	}
	s.tokenMu.Lock()
	tok := s.token
	s.tokenMu.Unlock()
	loginErr := tok.Login(pin)
	// Persist the failed-login counter (and any state change) either way.
	if st, err := tok.State().MarshalBinary(); err == nil {
		if err := s.client.CentralServerConf.Update().SetSoftTokenState(st).Exec(sys(ctx)); err != nil {
			return err
		}
	}
	audit.Log(ctx, s.client, audit.Entry{Event: "Log in to token", Failed: loginErr != nil, Data: map[string]any{"tokenId": signer.SoftTokenID}})
	if loginErr != nil {
		return loginErr
	}
	s.gen.trigger()
	return nil
}

// activeSigningKey returns the signer and certificate of the active
// configuration-signing key, or an error saying why signing is impossible.
func (s *Service) activeSigningKey(ctx context.Context) (crypto.Signer, *x509.Certificate, error) {
	k, err := s.client.ConfigurationSigningKey.Query().
		Where(configurationsigningkey.Active(true), configurationsigningkey.SourceTypeEQ(configurationsigningkey.SourceTypeINTERNAL)).
		Order(ent.Desc(configurationsigningkey.FieldCreatedAt)).First(sys(ctx))
	if ent.IsNotFound(err) {
		return nil, nil, xroad.Errorf(xroad.CodeSigningKeyNotAvailable, "no active configuration-signing key")
	}
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(k.Certificate)
	if err != nil {
		return nil, nil, err
	}
	if err := s.loadToken(ctx); err != nil {
		return nil, nil, err
	}
	s.tokenMu.Lock()
	tok := s.token
	s.tokenMu.Unlock()
	if !tok.LoggedIn() {
		return nil, nil, xroad.Errorf(xroad.CodeTokenNotActive, "the central server's software token is logged out; log in (loginCentralServerToken) so configuration can be signed")
	}
	alg, err := signer.AlgorithmOf(cert.PublicKey)
	if err != nil {
		return nil, nil, err
	}
	sg, err := tok.Signer(signer.KeyInfo{ID: k.KeyID, Algorithm: alg, PublicKey: cert.PublicKey, Blob: k.KeyBlob})
	if err != nil {
		return nil, nil, err
	}
	return sg, cert, nil
}

// TokenLoggedIn reports whether the signing token is logged in.
func (s *Service) TokenLoggedIn() bool {
	s.tokenMu.Lock()
	defer s.tokenMu.Unlock()
	return s.token != nil && s.token.LoggedIn()
}
