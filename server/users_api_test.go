package main

// GraphQL-level tests of user, session and API-key administration on both
// kinds of server (SQLite, or PostgreSQL under ROADREG_TEST_DB=postgres).

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const (
	qUsers       = `{ users { id username roles disabled createdAt updatedAt } }`
	qSessions    = `{ sessions { id userId username clientAddress createdAt lastSeenAt expiresAt current } }`
	qAddUser     = `mutation($u: String!, $p: String!, $r: [Role!]!) { addUser(input: {username: $u, password: $p, roles: $r}) { id username roles disabled } }`
	qDisableUser = `mutation($id: ID!) { disableUser(id: $id) { id disabled } }`
	qEnableUser  = `mutation($id: ID!) { enableUser(id: $id) { id disabled } }`
	qSetRoles    = `mutation($id: ID!, $r: [Role!]!) { setUserRoles(id: $id, roles: $r) { id roles } }`
	qResetPw     = `mutation($id: ID!, $p: String!) { resetUserPassword(id: $id, password: $p) { id } }`
	qChangePw    = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`
	qEndSession  = `mutation($id: ID!) { endSession(id: $id) }`
	qAPIKeys     = `query($all: Boolean) { apiKeys(includeRevoked: $all) { id name roles createdAt updatedAt revokedAt } }`
	qCreateKey   = `mutation($n: String, $r: [Role!]!) { createApiKey(name: $n, roles: $r) { key apiKey { id name roles revokedAt } } }`
	qUpdateKey   = `mutation($id: ID!, $r: [Role!]!) { updateApiKey(id: $id, roles: $r) { id roles } }`
	qRevokeKey   = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`
)

type userRow struct {
	ID       gid
	Username string
	Roles    []string
	Disabled bool
}

type sessionRow struct {
	ID            gid
	UserID        gid
	Username      string
	ClientAddress *string
	ExpiresAt     time.Time
	Current       bool
}

type apiKeyRow struct {
	ID        gid
	Name      *string
	Roles     []string
	RevokedAt *time.Time
}

// eventLog records the credential events a server publishes.
type eventLog chan events.Event

func recordCredentialEvents(t *testing.T, srv *testServer) eventLog {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := make(eventLog, 100)
	for _, topic := range []string{events.SessionEnded, events.UserChanged, events.APIKeyRevoked} {
		ch := srv.app.events.Subscribe(ctx, topic)
		go func() {
			for e := range ch {
				log <- e
			}
		}()
	}
	return log
}

// expect waits for the events (topic and id) in any order.
func (l eventLog) expect(t *testing.T, want ...events.Event) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for len(want) > 0 {
		select {
		case e := <-l:
			if i := slices.IndexFunc(want, func(w events.Event) bool { return w.Topic == e.Topic && w.ID == e.ID }); i >= 0 {
				want = slices.Delete(want, i, i+1)
			} else {
				t.Errorf("unexpected event %s %d", e.Topic, e.ID)
			}
		case <-deadline:
			t.Fatalf("events not published: %v", want)
		}
	}
}

func ev(topic string, id gid) events.Event { return events.Event{Topic: topic, ID: int(id)} }

func (c *gqlClient) users(t *testing.T) []userRow {
	t.Helper()
	var r struct{ Users []userRow }
	c.ok(t, qUsers, nil, &r)
	return r.Users
}

func (c *gqlClient) sessionsOf(t *testing.T, username string) []sessionRow {
	t.Helper()
	var r struct{ Sessions []sessionRow }
	c.ok(t, qSessions, nil, &r)
	var out []sessionRow
	for _, s := range r.Sessions {
		if s.Username == username {
			out = append(out, s)
		}
	}
	return out
}

// loggedIn reports whether the client's session still works.
func (c *gqlClient) loggedIn(t *testing.T) bool {
	t.Helper()
	var me struct{ Me *struct{ Username string } }
	c.ok(t, `{ me { username } }`, nil, &me)
	return me.Me != nil
}

// login logs in a new client as user.
func (s *testServer) login(t *testing.T, user, password string) *gqlClient {
	t.Helper()
	c := s.anonymous()
	if status, body := c.login(t, user, password); status != http.StatusOK {
		t.Fatalf("login %s: %d %s", user, status, body)
	}
	return c
}

// auditActors returns the actors of the audit entries with an event name.
func (c *gqlClient) auditActors(t *testing.T, event string) []string {
	t.Helper()
	var r struct {
		AuditEvents struct {
			Edges []struct {
				Node struct{ Event, Actor, Data string }
			}
		}
	}
	c.ok(t, `query($e: String!) { auditEvents(first: 50, where: {event: $e}) { edges { node { event actor data } } } }`, map[string]any{"e": event}, &r)
	var out []string
	for _, e := range r.AuditEvents.Edges {
		if strings.Contains(e.Node.Data, "argon2") || strings.Contains(e.Node.Data, testPassword) {
			t.Errorf("audit entry %s holds a password or hash: %s", event, e.Node.Data)
		}
		out = append(out, e.Node.Actor)
	}
	return out
}

func TestUserAdministration(t *testing.T) {
	t.Parallel()
	for _, role := range []viewer.ServerRole{viewer.Central, viewer.Security} {
		t.Run(strings.ToLower(string(role)), func(t *testing.T) {
			srv := startServer(t, role)
			root := srv.user(t, "root", viewer.SystemAdministrator)
			events := recordCredentialEvents(t, srv)

			// Adding: roles of this server only, a real password, a new name.
			var added struct{ AddUser userRow }
			root.ok(t, qAddUser, map[string]any{"u": "bob", "p": testPassword, "r": []string{"SECURITY_OFFICER"}}, &added)
			bob := added.AddUser
			if bob.Username != "bob" || !slices.Equal(bob.Roles, []string{"SECURITY_OFFICER"}) || bob.Disabled {
				t.Fatalf("added %+v", bob)
			}
			if role == viewer.Central {
				r := root.fails(t, xroad.CodeBadUserInput, qAddUser, map[string]any{"u": "eve", "p": testPassword, "r": []string{"SERVICE_ADMINISTRATOR"}})
				if r.Errors[0].Extensions["field"] != "role" {
					t.Errorf("role refusal: %s", r.raw)
				}
			} else {
				root.ok(t, qAddUser, map[string]any{"u": "eve", "p": testPassword, "r": []string{"SERVICE_ADMINISTRATOR"}}, nil)
			}
			root.fails(t, xroad.CodeBadUserInput, qAddUser, map[string]any{"u": "carol", "p": "short", "r": []string{"SECURITY_OFFICER"}})
			root.fails(t, auth.CodeUserExists, qAddUser, map[string]any{"u": "bob", "p": testPassword, "r": []string{"SECURITY_OFFICER"}})
			var raw struct{ Users json.RawMessage }
			root.ok(t, qUsers, nil, &raw)
			if strings.Contains(string(raw.Users), "argon2") || !strings.Contains(string(raw.Users), `"bob"`) {
				t.Fatalf("users: %s", raw.Users)
			}

			// Sessions: each login is one, the caller's own is marked.
			bob1 := srv.login(t, "bob", testPassword)
			s1 := root.sessionsOf(t, "bob")
			bob2 := srv.login(t, "bob", testPassword)
			both := root.sessionsOf(t, "bob")
			if len(s1) != 1 || len(both) != 2 || s1[0].UserID != bob.ID || s1[0].ClientAddress == nil || *s1[0].ClientAddress != "127.0.0.1" {
				t.Fatalf("bob's sessions: %+v then %+v", s1, both)
			}
			if mine := root.sessionsOf(t, "root"); len(mine) != 1 || !mine[0].Current || !mine[0].ExpiresAt.After(time.Now()) {
				t.Fatalf("root's own session: %+v", mine)
			}

			// New roles apply to the next request at once.
			root.ok(t, qSetRoles, map[string]any{"id": bob.ID, "r": []string{"REGISTRATION_OFFICER"}}, nil)
			events.expect(t, ev(evUserChanged, bob.ID))
			var me struct{ Me struct{ Roles []string } }
			bob2.ok(t, `{ me { roles } }`, nil, &me)
			if !slices.Equal(me.Me.Roles, []string{"REGISTRATION_OFFICER"}) {
				t.Fatalf("bob's roles after the change: %v", me.Me.Roles)
			}

			// Ending one session leaves the other.
			if r := root.do(t, qEndSession, map[string]any{"id": s1[0].ID}); len(r.Errors) > 0 {
				t.Fatal(r.raw)
			}
			events.expect(t, ev(evSessionEnded, s1[0].ID))
			if bob1.loggedIn(t) || !bob2.loggedIn(t) {
				t.Fatal("ending bob's first session: wrong sessions ended")
			}
			root.fails(t, xroad.CodeNotFound, qEndSession, map[string]any{"id": s1[0].ID})

			// A reset password ends every session of the user.
			bob2Session := root.sessionsOf(t, "bob")[0]
			root.ok(t, qResetPw, map[string]any{"id": bob.ID, "p": "a new password 2"}, nil)
			events.expect(t, ev(evUserChanged, bob.ID), ev(evSessionEnded, bob2Session.ID))
			if bob2.loggedIn(t) {
				t.Fatal("bob is still logged in after the reset")
			}
			if status, _ := srv.anonymous().login(t, "bob", testPassword); status != http.StatusUnauthorized {
				t.Fatalf("the old password still works: %d", status)
			}
			bob3 := srv.login(t, "bob", "a new password 2")

			// Disabling ends the sessions and refuses logins; enabling allows
			// them again.
			bob3Session := root.sessionsOf(t, "bob")[0]
			root.ok(t, qDisableUser, map[string]any{"id": bob.ID}, nil)
			events.expect(t, ev(evUserChanged, bob.ID), ev(evSessionEnded, bob3Session.ID))
			if left := root.sessionsOf(t, "bob"); len(left) != 0 || bob3.loggedIn(t) {
				t.Fatalf("a disabled user's sessions remain: %+v", left)
			}
			if status, _ := srv.anonymous().login(t, "bob", "a new password 2"); status != http.StatusUnauthorized {
				t.Fatalf("a disabled user logged in: %d", status)
			}
			var enabled struct{ EnableUser userRow }
			root.ok(t, qEnableUser, map[string]any{"id": bob.ID}, &enabled)
			if enabled.EnableUser.Disabled {
				t.Fatal("still disabled")
			}

			// Changing one's own password needs the current one and ends the
			// user's other sessions, not this one.
			bob4 := srv.login(t, "bob", "a new password 2")
			bob4Session := root.sessionsOf(t, "bob")[0]
			bob5 := srv.login(t, "bob", "a new password 2")
			sessions := root.sessionsOf(t, "bob")
			other := sessions[slices.IndexFunc(sessions, func(s sessionRow) bool { return s.ID != bob4Session.ID })]
			r := bob4.fails(t, xroad.CodeBadUserInput, qChangePw, map[string]any{"c": "wrong password", "n": "the third password"})
			if r.Errors[0].Extensions["field"] != "currentPassword" {
				t.Errorf("wrong current password: %s", r.raw)
			}
			bob4.fails(t, xroad.CodeBadUserInput, qChangePw, map[string]any{"c": "a new password 2", "n": "short"})
			bob4.ok(t, qChangePw, map[string]any{"c": "a new password 2", "n": "the third password"}, nil)
			events.expect(t, ev(evUserChanged, bob.ID), ev(evSessionEnded, other.ID))
			if !bob4.loggedIn(t) || bob5.loggedIn(t) {
				t.Fatal("changing the password: wrong sessions ended")
			}
			srv.login(t, "bob", "the third password")
			key := srv.apiKeyClient(t, viewer.SystemAdministrator)
			key.fails(t, xroad.CodeForbidden, qChangePw, map[string]any{"c": "x", "n": "the fourth password"})

			// Nobody may leave the server without an enabled system
			// administrator: not root itself, not an API key.
			users := root.users(t)
			rootID := users[slices.IndexFunc(users, func(u userRow) bool { return u.Username == "root" })].ID
			root.fails(t, auth.CodeLastSystemAdministrator, qDisableUser, map[string]any{"id": rootID})
			root.fails(t, auth.CodeLastSystemAdministrator, qSetRoles, map[string]any{"id": rootID, "r": []string{"SECURITY_OFFICER"}})
			key.fails(t, auth.CodeLastSystemAdministrator, qDisableUser, map[string]any{"id": rootID})
			if !root.loggedIn(t) {
				t.Fatal("a refused change ended root's session")
			}
			// With a second administrator, root may step down.
			root.ok(t, qSetRoles, map[string]any{"id": bob.ID, "r": []string{"SYSTEM_ADMINISTRATOR"}}, nil)
			root.ok(t, qSetRoles, map[string]any{"id": rootID, "r": []string{"SECURITY_OFFICER"}}, nil)
			root.fails(t, xroad.CodeForbidden, qUsers, nil)

			// Every change is in the audit log under the acting user.
			admin := srv.login(t, "bob", "the third password")
			for event, actor := range map[string]string{
				"Add user": "root", "Add user failed": "root", "Update user roles": "root", "End session": "root",
				"Reset user password": "root", "Disable user": "root", "Enable user": "root", "Change password": "bob",
				"Change password failed": "bob", "Disable user failed": "root",
			} {
				if actors := admin.auditActors(t, event); !slices.Contains(actors, actor) {
					t.Errorf("audit %q: actors %v, want %s", event, actors, actor)
				}
			}
			if actors := admin.auditActors(t, "Disable user failed"); !slices.ContainsFunc(actors, func(a string) bool { return strings.HasPrefix(a, "apikey:") }) {
				t.Errorf("the API key's refused change is not audited: %v", actors)
			}
		})
	}
}

const (
	evSessionEnded = events.SessionEnded
	evUserChanged  = events.UserChanged
	evKeyRevoked   = events.APIKeyRevoked
)

func TestAPIKeyAdministration(t *testing.T) {
	t.Parallel()
	for _, role := range []viewer.ServerRole{viewer.Central, viewer.Security} {
		t.Run(strings.ToLower(string(role)), func(t *testing.T) {
			srv := startServer(t, role)
			root := srv.user(t, "root", viewer.SystemAdministrator)
			events := recordCredentialEvents(t, srv)

			// The key is in the answer once; it works at once with its roles.
			var created struct {
				CreateAPIKey struct {
					Key    string
					APIKey apiKeyRow
				}
			}
			root.ok(t, qCreateKey, map[string]any{"n": "monitoring", "r": []string{"SECURITY_OFFICER"}}, &created)
			k := created.CreateAPIKey
			if !strings.HasPrefix(k.Key, auth.APIKeyPrefix) || k.APIKey.Name == nil || *k.APIKey.Name != "monitoring" || k.APIKey.RevokedAt != nil {
				t.Fatalf("created %+v", k)
			}
			client := srv.anonymous()
			client.bearer = k.Key
			var me struct{ Me struct{ Roles []string } }
			client.ok(t, `{ me { roles } }`, nil, &me)
			if !slices.Equal(me.Me.Roles, []string{"SECURITY_OFFICER"}) {
				t.Fatalf("the key's roles: %v", me.Me.Roles)
			}
			if role == viewer.Central {
				root.fails(t, xroad.CodeBadUserInput, qCreateKey, map[string]any{"r": []string{"SECURITYSERVER_OBSERVER"}})
			}
			root.fails(t, xroad.CodeBadUserInput, qCreateKey, map[string]any{"r": []string{}})

			// Listed without the key or its hash.
			var list struct{ APIKeys json.RawMessage }
			root.ok(t, qAPIKeys, nil, &list)
			if strings.Contains(string(list.APIKeys), k.Key) || !strings.Contains(string(list.APIKeys), `"monitoring"`) {
				t.Fatalf("list: %s", list.APIKeys)
			}

			// New roles take effect; open connections hear about it.
			root.ok(t, qUpdateKey, map[string]any{"id": k.APIKey.ID, "r": []string{"SYSTEM_ADMINISTRATOR"}}, nil)
			events.expect(t, ev(evKeyRevoked, k.APIKey.ID))
			client.ok(t, qUsers, nil, nil)

			// Revoked, it authenticates nobody, and the list hides it unless
			// asked.
			var revoked struct{ RevokeAPIKey apiKeyRow }
			root.ok(t, qRevokeKey, map[string]any{"id": k.APIKey.ID}, &revoked)
			if revoked.RevokeAPIKey.RevokedAt == nil {
				t.Fatal("no revokedAt")
			}
			events.expect(t, ev(evKeyRevoked, k.APIKey.ID))
			if r := client.do(t, `{ me { username } }`, nil); r.Status != http.StatusUnauthorized || r.code() != xroad.CodeUnauthenticated {
				t.Fatalf("revoked key: %d %s", r.Status, r.raw)
			}
			var keys struct{ APIKeys []apiKeyRow }
			root.ok(t, qAPIKeys, nil, &keys)
			if slices.ContainsFunc(keys.APIKeys, func(a apiKeyRow) bool { return a.ID == k.APIKey.ID }) {
				t.Fatal("a revoked key is listed")
			}
			root.ok(t, qAPIKeys, map[string]any{"all": true}, &keys)
			if !slices.ContainsFunc(keys.APIKeys, func(a apiKeyRow) bool { return a.ID == k.APIKey.ID && a.RevokedAt != nil }) {
				t.Fatal("includeRevoked does not list the revoked key")
			}
			root.fails(t, auth.CodeAPIKeyRevoked, qRevokeKey, map[string]any{"id": k.APIKey.ID})
			root.fails(t, auth.CodeAPIKeyRevoked, qUpdateKey, map[string]any{"id": k.APIKey.ID, "r": []string{"SECURITY_OFFICER"}})
			root.fails(t, xroad.CodeNotFound, qRevokeKey, map[string]any{"id": 999999})

			for _, event := range []string{"Create API key", "Update API key", "Revoke API key", "Revoke API key failed"} {
				if actors := root.auditActors(t, event); !slices.Contains(actors, "root") {
					t.Errorf("audit %q: actors %v", event, actors)
				}
			}
		})
	}
}
