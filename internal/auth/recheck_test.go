package auth

import (
	"context"
	"testing"
	"time"

	"github.com/roadreg/roadreg/ent/apikey"
	"github.com/roadreg/roadreg/ent/user"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// TestRecheck: a session's viewer stands until its session ends (logout,
// expiry) — UNAUTHENTICATED —, its user is disabled or its roles change
// — FORBIDDEN; an API key's until it is revoked. Nothing is extended.
func TestRecheck(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, viewer.Security)
	sys := viewer.SystemContext(ctx, viewer.Security)
	login := func(t *testing.T, name string) (string, *viewer.Viewer) {
		t.Helper()
		if _, err := s.AddUser(sys, name, "a long password", []string{"SECURITY_OFFICER"}, false); err != nil {
			t.Fatal(err)
		}
		token, v, err := s.Login(ctx, name, "a long password", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		return token, v
	}
	want := func(t *testing.T, v *viewer.Viewer, code string) {
		t.Helper()
		err := s.Recheck(ctx, v)
		if code == "" && err != nil || code != "" && !xroad.IsCode(err, code) {
			t.Fatalf("Recheck = %v, want %q", err, code)
		}
	}

	t.Run("logout", func(t *testing.T) {
		token, v := login(t, "logout")
		want(t, v, "")
		if err := s.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		want(t, v, xroad.CodeUnauthenticated)
	})
	t.Run("idle timeout", func(t *testing.T) {
		_, v := login(t, "idle")
		s.now = func() time.Time { return time.Now().Add(s.IdleTimeout + time.Second) }
		defer func() { s.now = time.Now }()
		want(t, v, xroad.CodeUnauthenticated)
	})
	t.Run("disabled", func(t *testing.T) {
		_, v := login(t, "disabled")
		if err := s.client.User.Update().Where(user.Username("disabled")).SetDisabled(true).Exec(sys); err != nil {
			t.Fatal(err)
		}
		want(t, v, xroad.CodeForbidden)
		if _, err := s.SessionDeadline(ctx, v.SessionID); !xroad.IsCode(err, xroad.CodeForbidden) {
			t.Fatalf("SessionDeadline of a disabled user's session = %v, want FORBIDDEN", err)
		}
	})
	t.Run("disabled, sessions ended", func(t *testing.T) {
		_, v := login(t, "disabledended")
		if _, err := s.SetUserDisabled(sys, v.UserID, true); err != nil {
			t.Fatal(err)
		}
		want(t, v, xroad.CodeForbidden)
		if _, err := s.SessionDeadline(ctx, v.SessionID); !xroad.IsCode(err, xroad.CodeUnauthenticated) {
			t.Fatalf("SessionDeadline of a session ended with its user = %v, want UNAUTHENTICATED", err)
		}
	})
	t.Run("roles changed", func(t *testing.T) {
		_, v := login(t, "roles")
		if err := s.client.User.Update().Where(user.Username("roles")).SetRoles([]string{"SECURITY_OFFICER", "SYSTEM_ADMINISTRATOR"}).Exec(sys); err != nil {
			t.Fatal(err)
		}
		want(t, v, xroad.CodeForbidden)
	})
	t.Run("API key revoked", func(t *testing.T) {
		key, _, err := s.CreateAPIKey(sys, "k", []string{"SECURITYSERVER_OBSERVER"})
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.APIKey(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		want(t, v, "")
		if err := s.client.APIKey.Update().Where(apikey.ID(v.APIKeyID)).SetRevokedAt(time.Now()).Exec(sys); err != nil {
			t.Fatal(err)
		}
		want(t, v, xroad.CodeUnauthenticated)
	})
	t.Run("the server itself", func(t *testing.T) {
		want(t, viewer.FromContext(sys), "")
	})
}

// TestLogoutPublishesSessionEnded: logging out announces the session's end
// (open websockets of the session close on it).
func TestLogoutPublishesSessionEnded(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, viewer.Security)
	s.Events = events.NewBroker()
	ended := s.Events.Subscribe(ctx, events.SessionEnded)
	if _, err := s.AddUser(viewer.SystemContext(ctx, viewer.Security), "u", "a long password", []string{"SECURITY_OFFICER"}, false); err != nil {
		t.Fatal(err)
	}
	token, v, err := s.Login(ctx, "u", "a long password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Logout(ctx, token); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-ended:
		if e.ID != v.SessionID {
			t.Fatalf("SessionEnded for session %d, want %d", e.ID, v.SessionID)
		}
	default:
		t.Fatal("Logout published no SessionEnded")
	}
}
