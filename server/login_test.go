package main

// Signing in to the admin API: login, me, logout and the login rate limit.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
)

func TestLoginMeAndLogout(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	anon := srv.anonymous()
	var me struct{ Me *struct{ Username string } }
	anon.ok(t, `{ me { username } }`, nil, &me)
	if me.Me != nil {
		t.Fatalf("anonymous me = %+v", me.Me)
	}
	if status, _ := anon.login(t, "nobody", "wrong"); status != http.StatusUnauthorized {
		t.Fatalf("unknown user: %d", status)
	}
	c := srv.user(t, "alice", viewer.RegistrationOfficer, viewer.SecurityOfficer)
	var got struct {
		Me struct {
			Username string
			Roles    []string
		}
		ServerInfo struct {
			Role        string
			Initialized bool
		}
	}
	c.ok(t, `{ me { username roles } serverInfo { role initialized } }`, nil, &got)
	if got.Me.Username != "alice" || len(got.Me.Roles) != 2 || got.ServerInfo.Role != "CENTRAL" || got.ServerInfo.Initialized {
		t.Fatalf("me/serverInfo: %+v", got)
	}
	// The session cookie is HttpOnly and SameSite=Strict.
	b, _ := json.Marshal(map[string]string{"username": "alice", "password": testPassword})
	resp, err := http.Post(srv.URL+"/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ck := resp.Header.Get("Set-Cookie")
	if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Strict") || strings.Contains(ck, "Secure") {
		t.Fatalf("cookie attributes: %s", ck)
	}
	// Logging out ends the session on the server.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/auth/logout", nil)
	resp, err = c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c.ok(t, `{ me { username } }`, nil, &me)
	if me.Me != nil {
		t.Fatal("still logged in after logout")
	}
	// Login only takes JSON (no form posts from other sites).
	resp, err = http.Post(srv.URL+"/auth/login", "application/x-www-form-urlencoded", strings.NewReader("username=alice&password=x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("form login: %d", resp.StatusCode)
	}
}

func TestMePermissions(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	c := srv.user(t, "ro", viewer.RegistrationOfficer)
	var me struct {
		Me struct{ Permissions []string }
	}
	c.ok(t, `{ me { permissions } }`, nil, &me)
	p := me.Me.Permissions
	if !slices.Contains(p, "ADD_NEW_MEMBER") || !slices.Contains(p, "APPROVE_AUTH_CERT_REGISTRATION_REQUEST") ||
		slices.Contains(p, "ADD_MEMBER_CLASS") || slices.Contains(p, "ADD_APPROVED_CA") {
		t.Fatalf("registration officer's permissions: %v", p)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	c := srv.anonymous()
	var last int
	for i := 0; i < 8; i++ {
		last, _ = c.login(t, "mallory", "guess")
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("8th failed login: %d, want 429", last)
	}
}
