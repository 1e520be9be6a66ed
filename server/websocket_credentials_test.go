package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/apikey"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/ent/user"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
)

// A websocket lives as long as the credential it was opened with: when the
// session or API key ends it is closed with 4401, when its user is
// disabled or given other roles with 4403 — within a second — and nothing
// sent on it afterwards runs.

// credentialSocket opens a websocket as c (its session cookie, or its API
// key) with a running subscription.
func credentialSocket(t *testing.T, c *gqlClient) *subscription {
	t.Helper()
	o := wsOptions{useCookie: c.bearer == "", bearer: c.bearer}
	s, _, err := c.dialWS(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.waitAck(t); err != nil {
		t.Fatal(err)
	}
	s.start(t, `subscription { globalConfigurationChanged { version } }`, nil)
	return s
}

// closedWith waits until the server closes s, at most within of since,
// and fails unless it closes with code.
func closedWith(t *testing.T, s *subscription, code int, since time.Time, within time.Duration) {
	t.Helper()
	timeout := time.After(time.Until(since.Add(within)))
	for {
		select {
		case _, ok := <-s.msgs:
			if ok {
				continue
			}
			if err := <-s.closeErr; !isClose(err, code) {
				t.Fatalf("socket ended with %v, want close %d", err, code)
			}
			return
		case <-timeout:
			t.Fatalf("socket still open %s after its credential ended, want close %d", within, code)
		}
	}
}

// addClassOver sends addMemberClass(code) on the socket.
func addClassOver(s *subscription, code string) {
	_ = s.conn.WriteJSON(map[string]any{"id": "m-" + code, "type": "subscribe", "payload": map[string]any{
		"query":     `mutation($c: String!) { addMemberClass(code: $c, description: "sent after the credential ended") { id } }`,
		"variables": map[string]any{"c": code},
	}})
}

// noClass fails if the member class exists.
func noClass(t *testing.T, srv *testServer, code string) {
	t.Helper()
	sys := viewer.SystemContext(context.Background(), viewer.Central)
	if found, err := srv.app.db.Client.MemberClass.Query().Where(memberclass.Code(code)).Exist(sys); err != nil || found {
		t.Fatalf("member class %s added over a websocket whose credential had ended: %v %v", code, found, err)
	}
}

// TestWebsocketEndsAtLogout: logging out closes every websocket of the
// session with 4401, the idle one as well as one that sends a mutation
// right after the logout, which does not run.
func TestWebsocketEndsAtLogout(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	srv := e.srv
	officer := srv.user(t, "leaving", viewer.SecurityOfficer)
	idle, busy := credentialSocket(t, officer), credentialSocket(t, officer)
	other := credentialSocket(t, e.secoff) // another user's session stays
	// While the session stands, the mutation runs.
	addClassOver(busy, "BEFORELOGOUT")
	sys := viewer.SystemContext(context.Background(), viewer.Central)
	waitFor(t, 10*time.Second, "the mutation sent before the logout", func() bool {
		found, err := srv.app.db.Client.MemberClass.Query().Where(memberclass.Code("BEFORELOGOUT")).Exist(sys)
		return err == nil && found
	})
	out := time.Now()
	if status, body := postJSON(t, officer, "/auth/logout"); status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", status, body)
	}
	addClassOver(busy, "AFTERLOGOUT")
	closedWith(t, idle, closeUnauthorized, out, time.Second)
	closedWith(t, busy, closeUnauthorized, out, time.Second)
	addClassOver(idle, "AFTERCLOSE")
	noClass(t, srv, "AFTERLOGOUT")
	noClass(t, srv, "AFTERCLOSE")
	srv.app.events.Publish(events.Event{Topic: events.GlobalConfChanged})
	if _, errs := other.next(t, 5*time.Second); len(errs) > 0 {
		t.Fatalf("another user's websocket: %v", errs)
	}
}

// TestWebsocketEndsWhenSessionExpires: a websocket of a session closes
// with 4401 when the session's idle timeout passes (within a second of
// it, not before).
func TestWebsocketEndsWhenSessionExpires(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	srv := e.srv
	const idle = 2 * time.Second
	srv.app.auth.IdleTimeout = idle // no request of this session has been served yet
	before := time.Now()
	officer := srv.user(t, "idler", viewer.SecurityOfficer)
	loggedIn := time.Now()
	s := credentialSocket(t, officer)
	closedWith(t, s, closeUnauthorized, loggedIn, idle+time.Second)
	if d := time.Since(before); d < idle {
		t.Fatalf("closed %s after the login, before the %s idle timeout", d, idle)
	}
	addClassOver(s, "AFTEREXPIRY")
	noClass(t, srv, "AFTEREXPIRY")
}

// TestWebsocketEndsWhenAPIKeyRevoked: revoking an API key closes its
// websockets with 4401; a mutation sent once it is revoked does not run.
func TestWebsocketEndsWhenAPIKeyRevoked(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	srv := e.srv
	client := srv.apiKeyClient(t, viewer.SecurityOfficer)
	s := credentialSocket(t, client)
	v, err := srv.app.auth.APIKey(context.Background(), client.bearer)
	if err != nil {
		t.Fatal(err)
	}
	sys := viewer.SystemContext(context.Background(), viewer.Central)
	if err := srv.app.db.Client.APIKey.Update().Where(apikey.ID(v.APIKeyID)).SetRevokedAt(time.Now()).Exec(sys); err != nil {
		t.Fatal(err)
	}
	revoked := time.Now()
	addClassOver(s, "AFTERREVOKE") // before the server announces it
	srv.app.events.Publish(events.Event{Topic: events.APIKeyRevoked, ID: v.APIKeyID})
	closedWith(t, s, closeUnauthorized, revoked, time.Second)
	noClass(t, srv, "AFTERREVOKE")
}

// TestWebsocketEndsWhenUserChanges: disabling a user, or changing their
// roles, closes their websockets with 4403, also when the end of the
// user's sessions is announced first. A mutation sent once the user is
// disabled, before the server announces it, does not run.
func TestWebsocketEndsWhenUserChanges(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	srv := e.srv
	sys := viewer.SystemContext(context.Background(), viewer.Central)
	disable := func(u *ent.UserUpdate) *ent.UserUpdate { return u.SetDisabled(true) }
	for _, c := range []struct {
		name          string
		client        *gqlClient
		change        func(*ent.UserUpdate) *ent.UserUpdate
		sessionsEnded bool
	}{
		{"disabled", e.secoff, disable, false},
		{"roles changed", e.regoff, func(u *ent.UserUpdate) *ent.UserUpdate { return u.SetRoles([]string{"SECURITY_OFFICER"}) }, false},
		{"disabled, sessions ended", e.sysadmin, disable, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := credentialSocket(t, c.client)
			v := viewerOf(t, srv, c.client)
			if err := c.change(srv.app.db.Client.User.Update().Where(user.ID(v.UserID))).Exec(sys); err != nil {
				t.Fatal(err)
			}
			changed := time.Now()
			addClassOver(s, "AFTERCHANGE")
			if c.sessionsEnded {
				if err := srv.app.db.Client.Session.DeleteOneID(v.SessionID).Exec(sys); err != nil {
					t.Fatal(err)
				}
				srv.app.events.Publish(events.Event{Topic: events.SessionEnded, ID: v.SessionID})
			}
			srv.app.events.Publish(events.Event{Topic: events.UserChanged, ID: v.UserID})
			closedWith(t, s, closeForbidden, changed, time.Second)
			noClass(t, srv, "AFTERCHANGE")
		})
	}
}

// viewerOf returns the viewer of c's session.
func viewerOf(t *testing.T, srv *testServer, c *gqlClient) *viewer.Viewer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base, nil)
	req.Header.Set("Cookie", c.cookieHeader())
	ck, err := req.Cookie(srv.app.authn.cookie)
	if err != nil {
		t.Fatal(err)
	}
	v, err := srv.app.auth.Session(context.Background(), ck.Value)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
