// Package auth keeps the server's users, browser sessions and API keys, and
// turns a session cookie or a bearer token into a viewer.Viewer.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/apikey"
	"github.com/roadreg/roadreg/ent/session"
	"github.com/roadreg/roadreg/ent/user"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Defaults (X-Road SS_03: idle logout after 30 minutes).
const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxAge      = 12 * time.Hour
	// APIKeyPrefix starts every API key, so leaked keys are recognisable.
	APIKeyPrefix = "rr_"
)

// Service authenticates callers of one server and manages its users,
// sessions and API keys.
type Service struct {
	client      *ent.Client
	server      viewer.ServerRole
	IdleTimeout time.Duration
	MaxAge      time.Duration
	// Events receives SessionEnded, UserChanged and APIKeyRevoked after an
	// administrator's change commits (nil: nothing is published, as in the
	// command-line tools).
	Events   *events.Broker
	now      func() time.Time
	throttle *throttle
}

// NewService returns the authenticator of a server of the given role.
func NewService(client *ent.Client, server viewer.ServerRole) *Service {
	return &Service{
		client: client, server: server,
		IdleTimeout: DefaultIdleTimeout, MaxAge: DefaultMaxAge,
		now: time.Now, throttle: newThrottle(ThrottleEntries),
	}
}

func (s *Service) sys(ctx context.Context) context.Context {
	return viewer.SystemContext(ctx, s.server)
}

// ErrBadCredentials is returned for a wrong user name or password (the
// same error for both, so user names cannot be probed).
var ErrBadCredentials = xroad.Errorf(xroad.CodeUnauthenticated, "wrong username or password")

// CodeRateLimited is the error code of a login the throttle refused; the
// error's metadata is the number of seconds to wait (RetryAfter).
const CodeRateLimited = "RATE_LIMITED"

// rateLimited is the error of a refused attempt.
func rateLimited(after time.Duration) error {
	secs := max(1, int((after+time.Second-1)/time.Second))
	return xroad.Errorf(CodeRateLimited, "too many login attempts; try again in %d seconds", secs).
		WithMetadata(strconv.Itoa(secs))
}

// RetryAfter returns the seconds a throttled caller should wait (0 when
// err is not a throttling error).
func RetryAfter(err error) int {
	var xe *xroad.Error
	if !errors.As(err, &xe) || xe.Code != CodeRateLimited || len(xe.Metadata) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(xe.Metadata[0])
	return n
}

// Login checks a user's password and opens a session. It returns the
// session token (for the cookie) and the viewer. clientAddr is where the
// request came from: the throttle's key and the session's address.
func (s *Service) Login(ctx context.Context, username, password, clientAddr string) (string, *viewer.Viewer, error) {
	ctx = s.sys(ctx)
	u, err := s.checkPassword(ctx, "Log in user", username, password, clientAddr)
	if err != nil {
		return "", nil, err
	}
	token, hash, err := newSecret("")
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	c := s.client.Session.Create().SetUser(u).SetTokenHash(hash).SetLastSeenAt(now).SetExpiresAt(now.Add(s.MaxAge))
	if clientAddr != "" {
		c.SetClientAddress(clientAddr)
	}
	sess, err := c.Save(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("creating session: %w", err)
	}
	audit.Log(ctx, s.client, audit.Entry{Event: "Log in user", Actor: username, Data: map[string]any{"clientAddress": clientAddr}})
	return token, s.viewerOf(&viewer.Viewer{Username: u.Username, SessionID: sess.ID, UserID: u.ID}, u.Roles), nil
}

// checkPassword returns the enabled user whose password this is, through
// the throttle; failures are audit-logged as event.
func (s *Service) checkPassword(ctx context.Context, event, username, password, clientAddr string) (*ent.User, error) {
	fail := func(data map[string]any) {
		data["clientAddress"] = clientAddr
		audit.Log(ctx, s.client, audit.Entry{Event: event, Actor: username, Failed: true, Data: data})
	}
	att, ref := s.throttle.begin(username, clientAddr, s.now())
	if ref != nil {
		if ref.audit {
			fail(map[string]any{"reason": "throttled", "limit": ref.limit, "refusedAttempts": ref.refused})
		}
		return nil, rateLimited(ref.retryAfter)
	}
	ok := false
	defer func() { att.done(ok, s.now()) }()
	u, err := s.client.User.Query().Where(user.Username(username)).Only(ctx)
	if ent.IsNotFound(err) {
		// Spend the same time as a real check.
		_, _ = CheckPassword(dummyHash, password)
		fail(map[string]any{"reason": "unknown user"})
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	match, err := CheckPassword(u.PasswordHash, password)
	if err != nil || !match || u.Disabled {
		fail(map[string]any{})
		return nil, ErrBadCredentials
	}
	ok = true
	return u, nil
}

var dummyHash, _ = HashPassword("not a password")

// Logout ends the session of token (no error if there is none).
func (s *Service) Logout(ctx context.Context, token string) error {
	ctx = s.sys(ctx)
	sess, err := s.client.Session.Query().Where(session.TokenHash(hashSecret(token))).WithUser().Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.client.Session.DeleteOne(sess).Exec(ctx); err != nil {
		return err
	}
	audit.Log(ctx, s.client, audit.Entry{Event: "Log out user", Actor: sess.Edges.User.Username})
	if s.Events != nil {
		s.Events.Publish(events.Event{Topic: events.SessionEnded, ID: sess.ID})
	}
	return nil
}

// ErrSessionExpired is returned for an unknown or expired session.
var ErrSessionExpired = xroad.Errorf(xroad.CodeUnauthenticated, "your session has expired; log in again")

// Session returns the viewer of a session token, extending its idle timer.
func (s *Service) Session(ctx context.Context, token string) (*viewer.Viewer, error) {
	if token == "" {
		return nil, ErrSessionExpired
	}
	ctx = s.sys(ctx)
	sess, err := s.client.Session.Query().Where(session.TokenHash(hashSecret(token))).WithUser().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrSessionExpired
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.IdleTimeout || sess.Edges.User.Disabled {
		_ = s.client.Session.DeleteOne(sess).Exec(ctx)
		return nil, ErrSessionExpired
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.client.Session.UpdateOne(sess).SetLastSeenAt(now).Exec(ctx); err != nil {
			slog.Warn("updating session", "err", err)
		}
	}
	u := sess.Edges.User
	return s.viewerOf(&viewer.Viewer{Username: u.Username, SessionID: sess.ID, UserID: u.ID}, u.Roles), nil
}

// ErrBadAPIKey is returned for an unknown or revoked API key.
var ErrBadAPIKey = xroad.Errorf(xroad.CodeUnauthenticated, "unknown or revoked API key")

// APIKey returns the viewer of an API key.
func (s *Service) APIKey(ctx context.Context, key string) (*viewer.Viewer, error) {
	if !strings.HasPrefix(key, APIKeyPrefix) {
		return nil, ErrBadAPIKey
	}
	k, err := s.client.APIKey.Query().Where(apikey.KeyHash(hashSecret(key)), apikey.RevokedAtIsNil()).Only(s.sys(ctx))
	if ent.IsNotFound(err) {
		return nil, ErrBadAPIKey
	}
	if err != nil {
		return nil, err
	}
	return s.viewerOf(&viewer.Viewer{Username: fmt.Sprintf("apikey:%d", k.ID&0xffffffff), APIKeyID: k.ID}, k.Roles), nil
}

// SessionDeadline returns when the session id ends if nothing else
// happens: its absolute expiry or its idle timeout, whichever comes first.
// An unknown or already expired session is ErrSessionExpired; a session of
// a disabled user is ErrAccessChanged.
func (s *Service) SessionDeadline(ctx context.Context, id int) (time.Time, error) {
	sess, err := s.client.Session.Query().Where(session.ID(id)).WithUser().Only(s.sys(ctx))
	if ent.IsNotFound(err) {
		return time.Time{}, ErrSessionExpired
	}
	if err != nil {
		return time.Time{}, err
	}
	return s.deadline(sess)
}

// deadline is SessionDeadline of sess, read with its user.
func (s *Service) deadline(sess *ent.Session) (time.Time, error) {
	if sess.Edges.User.Disabled {
		return time.Time{}, ErrAccessChanged
	}
	deadline := sess.LastSeenAt.Add(s.IdleTimeout)
	if sess.ExpiresAt.Before(deadline) {
		deadline = sess.ExpiresAt
	}
	if !s.now().Before(deadline) {
		return time.Time{}, ErrSessionExpired
	}
	return deadline, nil
}

// ErrAccessChanged is returned by Recheck when the user behind a
// credential was disabled or given other roles.
var ErrAccessChanged = xroad.Errorf(xroad.CodeForbidden, "your account was disabled or its roles changed; log in again")

// Recheck tells whether the credential v was authenticated with still
// stands as it did then, without extending anything: nil if so;
// UNAUTHENTICATED (ErrSessionExpired, ErrBadAPIKey) when the session or
// API key is gone — logged out, expired, ended by an administrator, ended
// by a password change, revoked; FORBIDDEN (ErrAccessChanged) when the
// user is disabled or the roles are no longer v's. A viewer that is no
// session's or API key's (the server itself) always stands.
func (s *Service) Recheck(ctx context.Context, v *viewer.Viewer) error {
	ctx = s.sys(ctx)
	if v.APIKeyID != 0 {
		k, err := s.client.APIKey.Get(ctx, v.APIKeyID)
		switch {
		case ent.IsNotFound(err) || err == nil && k.RevokedAt != nil:
			return ErrBadAPIKey
		case err != nil:
			return err
		}
		return s.sameRoles(v, k.Roles)
	}
	if v.SessionID == 0 {
		return nil
	}
	// The user is read after its session, and its state decides: a user
	// disabled (its sessions ended with it) while this runs is FORBIDDEN,
	// never a session that merely ended.
	sess, err := s.client.Session.Query().Where(session.ID(v.SessionID)).WithUser().Only(ctx)
	if ent.IsNotFound(err) {
		// Gone: ended by disabling the user or changing its roles
		// (FORBIDDEN), else logged out, expired or ended.
		if u, err := s.client.User.Get(ctx, v.UserID); err == nil && (u.Disabled || s.sameRoles(v, u.Roles) != nil) {
			return ErrAccessChanged
		}
		return ErrSessionExpired
	}
	if err != nil {
		return err
	}
	if _, err := s.deadline(sess); err != nil {
		return err
	}
	return s.sameRoles(v, sess.Edges.User.Roles)
}

// sameRoles returns ErrAccessChanged unless roles give v's roles here.
func (s *Service) sameRoles(v *viewer.Viewer, roles []string) error {
	now := s.viewerOf(&viewer.Viewer{}, roles).Roles
	if len(now) != len(v.Roles) {
		return ErrAccessChanged
	}
	for _, r := range now {
		if !v.Has(r) {
			return ErrAccessChanged
		}
	}
	return nil
}

// viewerOf completes v (identity fields set) with this server and the
// roles that exist on it.
func (s *Service) viewerOf(v *viewer.Viewer, roles []string) *viewer.Viewer {
	v.Server = s.server
	allowed := viewer.RolesOf(s.server)
	for _, r := range roles {
		if role, ok := viewer.ParseRole(r); ok && slices.Contains(allowed, role) {
			v.Roles = append(v.Roles, role)
		}
	}
	return v
}

// CheckRoles parses role names and checks they exist on this server.
func (s *Service) CheckRoles(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, xroad.BadInput("role", "give at least one role (%s)", rolesList(s.server))
	}
	var out []string
	for _, n := range names {
		r, ok := viewer.ParseRole(n)
		if !ok || !slices.Contains(viewer.RolesOf(s.server), r) {
			return nil, xroad.BadInput("role", "%q is not a role on a %s server (%s)", n, strings.ToLower(string(s.server)), rolesList(s.server))
		}
		if !slices.Contains(out, string(r)) {
			out = append(out, string(r))
		}
	}
	return out, nil
}

func rolesList(s viewer.ServerRole) string {
	var names []string
	for _, r := range viewer.RolesOf(s) {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

func newSecret(prefix string) (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret), nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// IsAuthError reports whether err means the caller is not authenticated.
func IsAuthError(err error) bool {
	var xe *xroad.Error
	return errors.As(err, &xe) && xe.Code == xroad.CodeUnauthenticated
}
