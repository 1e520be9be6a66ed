package central

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/configurationsigningkey"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The central server's software token holds the configuration-signing
// key. After a restart it is logged out until an administrator logs in
// (loginCentralServerToken) or the PIN file logs it in at start-up;
// meanwhile generation fails and the last good configuration is served.
// Wrong PINs never log it out: they only make it back off (softtoken.PINDelay).

// loadToken creates the token object from the stored state (logged out)
// and returns it with that state.
func (s *Service) loadToken(ctx context.Context) (*softtoken.Token, softtoken.State, error) {
	conf, err := s.conf(ctx)
	if err != nil {
		return nil, softtoken.State{}, err
	}
	var st softtoken.State
	if err := st.UnmarshalBinary(conf.SoftTokenState); err != nil {
		return nil, softtoken.State{}, err
	}
	s.tokenMu.Lock()
	defer s.tokenMu.Unlock()
	if s.token == nil {
		s.token = softtoken.New(st, softtoken.WithClock(s.now))
	}
	return s.token, st, nil
}

// LoginFromFile logs in to the token with the PIN stored in path (X-Road's
// autologin). The file should be readable by the server's user only. Being
// local configuration, the PIN is checked even while the token backs off
// from wrong PINs entered through the API.
func (s *Service) LoginFromFile(ctx context.Context, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return s.login(viewer.SystemContext(ctx, viewer.Central), strings.TrimRight(string(b), "\r\n"), true)
}

// LoginToken logs in to the central server's software token so global
// configuration can be signed. A wrong PIN gives PIN_INCORRECT and leaves a
// logged-in token logged in; after repeated wrong PINs the token backs off
// (TOKEN_PIN_RETRY_LATER with a retry-after, the PIN unchecked).
func (s *Service) LoginToken(ctx context.Context, pin string) error {
	return s.login(ctx, pin, false)
}

func (s *Service) login(ctx context.Context, pin string, local bool) error {
	if err := viewer.Require(ctx, viewer.CSActivateToken); err != nil {
		return err
	}
	s.loginMu.Lock()
	defer s.loginMu.Unlock()
	tok, stored, err := s.loadToken(ctx)
	if err != nil {
		return err
	}
	// The stored count is the truth: roadreg token unlock may have cleared it.
	tok.SyncFailures(stored)
	var loginErr error
	if local {
		loginErr = tok.LoginLocal(pin)
	} else {
		loginErr = tok.Login(pin)
	}
	data := map[string]any{"tokenId": signer.SoftTokenID, "tokenName": signer.SoftTokenName}
	var xe *xroad.Error
	if errors.As(loginErr, &xe) {
		data["code"], data["reason"] = xe.Code, xe.Message
		if secs := xe.RetryAfterSeconds(); secs > 0 {
			data["retryAfter"] = secs
		}
	}
	if !xroad.IsCode(loginErr, signer.CodeTokenPinRetryLater) {
		// A PIN was checked: store the wrong-PIN count either way.
		st, err := tok.State().MarshalBinary()
		if err != nil {
			return err
		}
		if err := s.client.CentralServerConf.Update().SetSoftTokenState(st).Exec(sys(ctx)); err != nil {
			return err
		}
	}
	audit.Log(ctx, s.client, audit.Entry{Event: "Log in to token", Failed: loginErr != nil, Data: data})
	if loginErr != nil {
		return loginErr
	}
	s.gen.claimLease(ctx)
	s.shareLogin(ctx)
	s.gen.trigger()
	return nil
}

// clusterKeyInfo names what the cluster key is derived for.
const clusterKeyInfo = "roadreg central server replicas: signing token login"

// ClusterKeyFromFile reads the cluster key file the replicas share (at
// least 32 bytes of random content, e.g. `openssl rand -base64 32`) and
// derives from it the key the signing token's login is shared under.
func ClusterKeyFromFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	secret := []byte(strings.TrimSpace(string(b)))
	defer clear(b)
	defer clear(secret)
	if len(secret) < 32 {
		return nil, fmt.Errorf("the cluster key file %s holds %d bytes; it needs at least 32 random bytes (openssl rand -base64 32 > %s)", path, len(secret), path)
	}
	return hkdf.Key(sha256.New, secret, nil, clusterKeyInfo, 32)
}

// shareLogin stores the logged-in token's data key sealed under the
// cluster key, so the replicas holding that key log in without the PIN,
// and tells them.
func (s *Service) shareLogin(ctx context.Context) {
	if s.opts.ClusterKey == nil {
		return
	}
	s.tokenMu.Lock()
	tok := s.token
	s.tokenMu.Unlock()
	if tok == nil {
		return
	}
	sealed, err := tok.SealLogin(s.opts.ClusterKey)
	if err != nil {
		return
	}
	if err := s.client.CentralServerConf.Update().SetSoftTokenClusterLogin(sealed).Exec(sys(ctx)); err != nil {
		slog.ErrorContext(ctx, "sharing the signing token's login with the other replicas", "err", err)
		return
	}
	s.events.Publish(events.Event{Topic: events.TokenLoggedIn})
}

// LoginShared logs the signing token in with the login another replica
// shared, when it is logged out and the cluster key is set (at start-up;
// later the generator does it whenever a replica shares a login).
func (s *Service) LoginShared(ctx context.Context) { s.sharedLogin(ctx) }

// sharedLogin logs the signing token in with the login another replica
// shared, when it is logged out and the cluster key is set.
func (s *Service) sharedLogin(ctx context.Context) {
	if s.opts.ClusterKey == nil || s.TokenLoggedIn() {
		return
	}
	ctx = sys(ctx)
	conf, err := s.conf(ctx)
	if err != nil || conf.SoftTokenClusterLogin == nil {
		return
	}
	tok, _, err := s.loadToken(ctx)
	if err != nil {
		return
	}
	if err := tok.LoginSealed(s.opts.ClusterKey, *conf.SoftTokenClusterLogin); err != nil {
		s.loginMu.Lock()
		warned := bytes.Equal(s.badSharedLogin, *conf.SoftTokenClusterLogin)
		s.badSharedLogin = *conf.SoftTokenClusterLogin
		s.loginMu.Unlock()
		if !warned {
			slog.WarnContext(ctx, "the signing token's shared login does not open with this replica's cluster key; log in with the PIN or give every replica the same --cluster-key-file", "err", xroad.Message(err))
		}
		return
	}
	slog.InfoContext(ctx, "logged in to the signing token with the login shared by another replica")
}

// UnlockToken clears the wrong-PIN count and back-off of the central
// server's software token (ref is its id "0" or name "softToken-0") in the
// database, for roadreg token unlock, which needs local access. A running
// server applies it at the next PIN.
func UnlockToken(ctx context.Context, client *ent.Client, ref string, now time.Time) (softtoken.Failures, error) {
	ctx = sys(ctx)
	if ref != signer.SoftTokenID && ref != signer.SoftTokenName {
		return softtoken.Failures{}, xroad.Errorf(xroad.CodeTokenNotFound, "The central server has one token, %q (id %q); %q is neither", signer.SoftTokenName, signer.SoftTokenID, ref)
	}
	conf, err := client.CentralServerConf.Query().Only(ctx)
	if ent.IsNotFound(err) {
		return softtoken.Failures{}, xroad.Errorf(xroad.CodeCentralServerNotInitialized, "the central server is not initialised yet; it has no token")
	}
	if err != nil {
		return softtoken.Failures{}, err
	}
	var st softtoken.State
	if err := st.UnmarshalBinary(conf.SoftTokenState); err != nil {
		return softtoken.Failures{}, xroad.Errorf(xroad.CodeInternal, "The stored software token state is unreadable").Wrap(err)
	}
	cleared := st.FailuresAt(now)
	st.ClearFailures()
	b, err := st.MarshalBinary()
	if err != nil {
		return softtoken.Failures{}, err
	}
	if err := client.CentralServerConf.UpdateOne(conf).SetSoftTokenState(b).Exec(ctx); err != nil {
		return softtoken.Failures{}, err
	}
	audit.Log(ctx, client, audit.Entry{Event: "Unlock token", Data: map[string]any{"tokenId": signer.SoftTokenID, "tokenName": signer.SoftTokenName,
		"failedLogins": cleared.Count, "retryAfter": int(cleared.RetryAfter.Round(time.Second) / time.Second)}})
	return cleared, nil
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
	tok, _, err := s.loadToken(ctx)
	if err != nil {
		return nil, nil, err
	}
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
