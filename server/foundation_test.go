package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestLoginMeAndLogout(t *testing.T) {
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

func TestLoginRateLimit(t *testing.T) {
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

func TestRoleGatedOperation(t *testing.T) {
	srv := startServer(t, viewer.Central)
	q := `mutation { addMemberClass(code: "GOV", description: "Government") { code } }`
	srv.anonymous().fails(t, xroad.CodeUnauthenticated, q, nil)
	srv.user(t, "ro", viewer.RegistrationOfficer).fails(t, xroad.CodeForbidden, q, nil)
	// An API key with the right role gets past authorisation (the server is
	// not initialised yet, which is the next error).
	key := srv.apiKeyClient(t, viewer.SecurityOfficer)
	key.fails(t, xroad.CodeCentralServerNotInitialized, q, nil)
	// A wrong API key is refused outright.
	bad := srv.anonymous()
	bad.bearer = "rr_not-a-key"
	if r := bad.do(t, `{ me { username } }`, nil); r.Status != http.StatusUnauthorized || r.code() != xroad.CodeUnauthenticated {
		t.Fatalf("bad key: %d %s", r.Status, r.raw)
	}
	// node(id) honours the privacy rules too.
	srv.anonymous().fails(t, xroad.CodeUnauthenticated, `{ node(id: "4294967297") { id } }`, nil)
}

func TestWebsocketSubscriptions(t *testing.T) {
	e := newCentral(t)
	const sub = `subscription { globalConfigurationChanged { version instanceIdentifier } }`
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		for _, auth := range []string{"cookie", "connectionParams"} {
			t.Run(proto+"/"+auth, func(t *testing.T) {
				o := wsOptions{protocol: proto}
				client := e.secoff
				if auth == "cookie" {
					o.useCookie = true
				} else {
					key := e.srv.apiKeyClient(t, viewer.SecurityOfficer)
					o.bearer = key.bearer
					client = key
				}
				s, resp, err := client.dialWS(t, o)
				if err != nil {
					t.Fatal(err)
				}
				if resp.Header.Get("Sec-Websocket-Protocol") != proto {
					t.Fatalf("negotiated %q", resp.Header.Get("Sec-Websocket-Protocol"))
				}
				if err := s.waitAck(t); err != nil {
					t.Fatal(err)
				}
				s.start(t, sub, nil)
				time.Sleep(100 * time.Millisecond)
				e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
				data, errs := s.next(t, 5*time.Second)
				if len(errs) > 0 || !bytes.Contains(data, []byte(`"instanceIdentifier":"DEV"`)) {
					t.Fatalf("event %s %v", data, errs)
				}
			})
		}
	}
	t.Run("no credentials: closed with 4403", func(t *testing.T) {
		s, _, err := e.srv.anonymous().dialWS(t, wsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		err = s.waitAck(t)
		var ce *websocket.CloseError
		if !asCloseError(err, &ce) || ce.Code != 4403 {
			t.Fatalf("want close 4403, got %v", err)
		}
	})
	t.Run("foreign origin refused", func(t *testing.T) {
		_, resp, err := e.secoff.dialWS(t, wsOptions{useCookie: true, origin: "http://evil.example"})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("foreign origin: %v %v", err, resp)
		}
	})
	t.Run("own origin accepted", func(t *testing.T) {
		s, _, err := e.secoff.dialWS(t, wsOptions{useCookie: true, origin: e.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.waitAck(t); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("subscription needs the permission", func(t *testing.T) {
		s, _, err := e.secoff.dialWS(t, wsOptions{useCookie: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.waitAck(t); err != nil {
			t.Fatal(err)
		}
		s.start(t, `subscription { managementRequestChanged { id } }`, nil)
		_, errs := s.next(t, 5*time.Second)
		if len(errs) == 0 || !strings.Contains(strings.ToUpper(toJSON(errs)), "FORBIDDEN") {
			t.Fatalf("security officer subscribed to management requests: %v", errs)
		}
	})
}

func asCloseError(err error, target **websocket.CloseError) bool {
	ce, ok := err.(*websocket.CloseError)
	if ok {
		*target = ce
	}
	return ok
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCrossOriginPOSTRefused(t *testing.T) {
	srv := startServer(t, viewer.Central)
	c := srv.user(t, "alice", viewer.SecurityOfficer)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { username } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://evil.example")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d", resp.StatusCode)
	}
	// A text/plain body (a "simple" cross-site request) is not executed.
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { username } }"}`))
	req.Header.Set("Content-Type", "text/plain")
	resp, err = c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("text/plain POST executed: %d", resp.StatusCode)
	}
}

func TestQueryLimits(t *testing.T) {
	srv := startServer(t, viewer.Central)
	c := srv.user(t, "alice", viewer.RegistrationOfficer)
	deep := "memberCode"
	for i := 0; i < 10; i++ {
		deep = "ownedServers { owner { " + deep + " } }"
	}
	deep = "{ members(first: 1) { edges { node { " + deep + " } } } }"
	if r := c.do(t, deep, nil); r.code() != "QUERY_TOO_DEEP" {
		t.Fatalf("deep query: %s", r.raw)
	}
}
