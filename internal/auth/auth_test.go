package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestPasswordHashing(t *testing.T) {
	hash, err := HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	again, err := HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if hash == again {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=2$") || strings.Contains(hash, testPassword) {
		t.Errorf("hash %q is not argon2id in PHC form", hash)
	}
	parts := strings.Split(hash, "$")
	tampered := strings.Join(append(parts[:5:5], "A"+parts[5][1:]), "$")
	if tampered == hash {
		tampered = strings.Join(append(parts[:5:5], "B"+parts[5][1:]), "$")
	}
	for _, tc := range []struct {
		name, hash, password string
		ok                   bool
		malformed            bool
	}{
		{"right password", hash, testPassword, true, false},
		{"other salt, same password", again, testPassword, true, false},
		{"wrong password", hash, "correct horse battery!", false, false},
		{"empty password", hash, "", false, false},
		{"tampered key", tampered, testPassword, false, false},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuJ0c8X1Lq0n4Rj0bJv9kq5c2", testPassword, false, true},
		{"argon2i", strings.Replace(hash, "argon2id", "argon2i", 1), testPassword, false, true},
		{"other version", strings.Replace(hash, "v=19", "v=16", 1), testPassword, false, true},
		{"no memory", strings.Replace(hash, "m=65536", "m=0", 1), testPassword, false, true},
		{"memory beyond the bound", strings.Replace(hash, "m=65536", "m=8388608", 1), testPassword, false, true},
		{"too many passes", strings.Replace(hash, "t=3", "t=65", 1), testPassword, false, true},
		{"salt not base64", strings.Join([]string{"", parts[1], parts[2], parts[3], "%%%", parts[5]}, "$"), testPassword, false, true},
		{"empty key", strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], ""}, "$"), testPassword, false, true},
		{"empty", "", testPassword, false, true},
	} {
		ok, err := CheckPassword(tc.hash, tc.password)
		if ok != tc.ok || errors.Is(err, errBadHash) != tc.malformed {
			t.Errorf("%s: %v, %v; want %v (malformed %v)", tc.name, ok, err, tc.ok, tc.malformed)
		}
	}
}

// clock is a settable time for the service.
// forEachDB runs f with a fresh authenticator of a security server on the
// test database.
func forEachDB(t *testing.T, f func(t *testing.T, s *Service, c *clock)) {
	s, c := newTestService(t, viewer.Security)
	f(t, s, c)
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if xroad.CodeOf(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

func TestUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Service, _ *clock) {
		ctx := viewer.SystemContext(context.Background(), s.server)
		if has, err := s.HasUsers(ctx); err != nil || has {
			t.Fatalf("HasUsers on an empty database: %v, %v", has, err)
		}
		for _, tc := range []struct {
			name, user, password string
			roles                []string
			code                 string
		}{
			{"no user name", " ", testPassword, []string{"SECURITY_OFFICER"}, xroad.CodeBadUserInput},
			{"short password", "alice", "short", []string{"SECURITY_OFFICER"}, xroad.CodeBadUserInput},
			{"no roles", "alice", testPassword, nil, xroad.CodeBadUserInput},
			{"unknown role", "alice", testPassword, []string{"ROOT"}, xroad.CodeBadUserInput},
			{"added", "alice", testPassword, []string{"XROAD_SECURITY_OFFICER", "SECURITY_OFFICER", "REGISTRATION_OFFICER"}, ""},
			{"exists", "alice", testPassword, []string{"SECURITY_OFFICER"}, CodeUserExists},
		} {
			_, err := s.AddUser(ctx, tc.user, tc.password, tc.roles, false)
			wantCode(t, tc.name, err, tc.code)
		}
		if has, err := s.HasUsers(ctx); err != nil || !has {
			t.Fatalf("HasUsers: %v, %v", has, err)
		}
		_, v, err := s.Login(ctx, "alice", testPassword, "127.0.0.1")
		if err != nil || len(v.Roles) != 2 || !v.Has(viewer.SecurityOfficer) || !v.Has(viewer.RegistrationOfficer) {
			t.Fatalf("login: %+v, %v (roles given twice count once)", v, err)
		}
		// Replacing sets a new password and roles.
		if _, err := s.AddUser(ctx, "alice", "another password", []string{"SYSTEM_ADMINISTRATOR"}, true); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.Login(ctx, "alice", testPassword, "127.0.0.1")
		if !errors.Is(err, ErrBadCredentials) {
			t.Errorf("old password after replace: %v", err)
		}
		if _, v, err := s.Login(ctx, "alice", "another password", "127.0.0.1"); err != nil || len(v.Roles) != 1 || !v.Has(viewer.SystemAdministrator) {
			t.Errorf("after replace: %+v, %v", v, err)
		}
		// A central server knows fewer roles.
		central := NewService(s.client, viewer.Central)
		_, err = central.AddUser(ctx, "bob", testPassword, []string{"SECURITYSERVER_OBSERVER"}, false)
		wantCode(t, "observer on a central server", err, xroad.CodeBadUserInput)
	})
}

// TestSessionLifecycle: a session lives while it is used within the idle
// timeout and up to its maximum age; logging out ends it.
func TestSessionLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Service, c *clock) {
		ctx := viewer.SystemContext(context.Background(), s.server)
		if _, err := s.AddUser(ctx, "alice", testPassword, []string{"SECURITY_OFFICER"}, false); err != nil {
			t.Fatal(err)
		}
		login := func() string {
			t.Helper()
			token, v, err := s.Login(ctx, "alice", testPassword, "127.0.0.1")
			if err != nil || token == "" || v.Username != "alice" || v.SessionID == 0 || v.UserID == 0 || v.Server != viewer.Security {
				t.Fatalf("login: %q %+v %v", token, v, err)
			}
			return token
		}
		for _, tc := range []struct{ name, user, password string }{
			{"wrong password", "alice", "wrong password"}, {"unknown user", "mallory", testPassword},
		} {
			if _, _, err := s.Login(ctx, tc.user, tc.password, "127.0.0.2"); !errors.Is(err, ErrBadCredentials) {
				t.Errorf("%s: %v, want the one bad-credentials error", tc.name, err)
			}
		}

		token := login()
		v, err := s.Session(ctx, token)
		if err != nil || v.Username != "alice" || !v.Has(viewer.SecurityOfficer) {
			t.Fatalf("session: %+v, %v", v, err)
		}
		deadline, err := s.SessionDeadline(ctx, v.SessionID)
		if err != nil || !deadline.Equal(c.now.Add(s.IdleTimeout)) {
			t.Errorf("deadline %v, %v; want the idle timeout from now", deadline, err)
		}
		// Use within the idle timeout keeps it alive, past the first timeout.
		for range 3 {
			c.advance(s.IdleTimeout - time.Minute)
			if _, err := s.Session(ctx, token); err != nil {
				t.Fatalf("session used within the idle timeout: %v", err)
			}
		}
		// Idle too long: gone, also when the clock is turned back.
		c.advance(s.IdleTimeout + time.Second)
		if _, err := s.Session(ctx, token); !errors.Is(err, ErrSessionExpired) {
			t.Errorf("idle session: %v", err)
		}
		c.advance(-s.IdleTimeout)
		if _, err := s.Session(ctx, token); !errors.Is(err, ErrSessionExpired) {
			t.Errorf("an expired session came back: %v", err)
		}
		if _, err := s.SessionDeadline(ctx, v.SessionID); !errors.Is(err, ErrSessionExpired) {
			t.Errorf("deadline of an expired session: %v", err)
		}

		// The maximum age ends even a busy session; the deadline says when.
		token = login()
		v, _ = s.Session(ctx, token)
		start := c.now
		for c.now.Sub(start) < s.MaxAge-s.IdleTimeout {
			c.advance(s.IdleTimeout / 2)
			if _, err := s.Session(ctx, token); err != nil {
				t.Fatalf("busy session after %s: %v", c.now.Sub(start), err)
			}
		}
		if deadline, err := s.SessionDeadline(ctx, v.SessionID); err != nil || deadline.After(start.Add(s.MaxAge)) {
			t.Errorf("deadline %v, %v; want at most the maximum age", deadline, err)
		}
		c.now = start.Add(s.MaxAge + time.Second)
		if _, err := s.Session(ctx, token); !errors.Is(err, ErrSessionExpired) {
			t.Errorf("session past its maximum age: %v", err)
		}

		// Logging out ends the session; unknown tokens are no error.
		token = login()
		if err := s.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, token); !errors.Is(err, ErrSessionExpired) {
			t.Errorf("session after logout: %v", err)
		}
		if err := s.Logout(ctx, token); err != nil {
			t.Errorf("second logout: %v", err)
		}
		for _, bad := range []string{"", "not-a-token", APIKeyPrefix + "x"} {
			if _, err := s.Session(ctx, bad); !errors.Is(err, ErrSessionExpired) || !IsAuthError(err) {
				t.Errorf("session %q: %v", bad, err)
			}
		}
	})
}

func TestAPIKeyLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Service, c *clock) {
		ctx := viewer.SystemContext(context.Background(), s.server)
		if _, _, err := s.CreateAPIKey(ctx, "ci", []string{"ROOT"}); xroad.CodeOf(err) != xroad.CodeBadUserInput {
			t.Errorf("unknown role: %v", err)
		}
		key, _, err := s.CreateAPIKey(ctx, "ci", []string{"REGISTRATION_OFFICER"})
		if err != nil || !strings.HasPrefix(key, APIKeyPrefix) || len(key) < 40 {
			t.Fatalf("key %q, %v", key, err)
		}
		other, _, err := s.CreateAPIKey(ctx, "ci", []string{"REGISTRATION_OFFICER"})
		if err != nil || other == key {
			t.Fatalf("second key %q, %v", other, err)
		}
		v, err := s.APIKey(ctx, key)
		if err != nil || !strings.HasPrefix(v.Username, "apikey:") || v.APIKeyID == 0 || v.SessionID != 0 ||
			v.Server != viewer.Security || !v.Has(viewer.RegistrationOfficer) || len(v.Roles) != 1 {
			t.Fatalf("API key viewer: %+v, %v", v, err)
		}
		// Keys do not idle out.
		c.advance(30 * 24 * time.Hour)
		if _, err := s.APIKey(ctx, key); err != nil {
			t.Errorf("key after a month: %v", err)
		}
		// The stored form is a hash; a revoked key is refused.
		rows, err := s.client.APIKey.Query().All(s.sys(ctx))
		if err != nil || len(rows) != 2 {
			t.Fatalf("stored keys: %d, %v", len(rows), err)
		}
		for _, r := range rows {
			if r.KeyHash == key || strings.Contains(r.KeyHash, key) {
				t.Error("the key is stored in clear")
			}
		}
		if err := s.client.APIKey.UpdateOneID(v.APIKeyID).SetRevokedAt(c.now).Exec(s.sys(ctx)); err != nil {
			t.Fatal(err)
		}
		for name, k := range map[string]string{"revoked": key, "without prefix": strings.TrimPrefix(other, APIKeyPrefix), "unknown": APIKeyPrefix + "unknown"} {
			if _, err := s.APIKey(ctx, k); !errors.Is(err, ErrBadAPIKey) || !IsAuthError(err) {
				t.Errorf("%s key: %v", name, err)
			}
		}
		if _, err := s.APIKey(ctx, other); err != nil {
			t.Errorf("the other key: %v", err)
		}
	})
}
