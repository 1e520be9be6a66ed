package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
)

// TestWebsocketRefusals: on both kinds of server a websocket from a
// foreign browser origin is refused at the upgrade (403), and one without
// valid credentials is closed with 4403 at connection_init.
func TestWebsocketRefusals(t *testing.T) {
	t.Parallel()
	for _, role := range []viewer.ServerRole{viewer.Central, viewer.Security} {
		t.Run(strings.ToLower(string(role)), func(t *testing.T) {
			srv := startServer(t, role)
			officer := srv.user(t, "officer", viewer.SecurityOfficer)
			t.Run("foreign origin", func(t *testing.T) {
				for _, origin := range []string{"http://evil.example", "null", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)} {
					_, resp, err := officer.dialWS(t, wsOptions{useCookie: true, origin: origin})
					if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
						t.Errorf("origin %s: %v %v, want HTTP 403", origin, err, resp)
					}
				}
			})
			for _, c := range []struct {
				name string
				o    wsOptions
			}{
				{"no credentials", wsOptions{}},
				{"unknown API key", wsOptions{bearer: "rr_this-key-does-not-exist"}},
				{"cookie of a logged-out session", wsOptions{useCookie: true}},
			} {
				t.Run(c.name, func(t *testing.T) {
					client := srv.anonymous()
					if c.o.useCookie {
						// Log out, then present the old session cookie.
						client = srv.user(t, "gone", viewer.SecurityOfficer)
						u, _ := url.Parse(srv.URL)
						old := client.http.Jar.Cookies(u)
						if status, body := postJSON(t, client, "/auth/logout"); status >= 300 {
							t.Fatalf("logout: %d %s", status, body)
						}
						client.http.Jar.SetCookies(u, old)
					}
					s, _, err := client.dialWS(t, c.o)
					if err != nil {
						t.Fatal(err)
					}
					if err := s.waitAck(t); !isClose(err, 4403) {
						t.Errorf("got %v, want close 4403", err)
					}
				})
			}
		})
	}
}

// TestWebsocketSlowSubscriber: a subscriber that never reads its socket
// (with a tiny receive buffer) falls behind and loses events, while
// another subscriber of the same subscription (and so of the same
// execution) receives every event, and publishing never waits for either.
func TestWebsocketSlowSubscriber(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	tok := e.token(t, "SOFTWARE")
	cert := e.certify(t, e.generateKey(t, tok.ID, "sign", "EC").ID, "SIGNING")
	// About 100 kB per event: 100 aliases of the certificate's PEM.
	var fields []string
	for i := range 100 {
		fields = append(fields, fmt.Sprintf("p%d: pem", i))
	}
	query := `subscription($c: ID) { certificateStatusChanged(certificateId: $c) { id ` + strings.Join(fields, " ") + ` } }`
	vars := map[string]any{"c": cert.ID}

	slow := dialStalled(t, e, query, vars)
	defer slow.Close()
	fast, _, err := e.officer.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := fast.waitAck(t); err != nil {
		t.Fatal(err)
	}
	fast.start(t, query, vars)
	broker, groups := e.srv.app.events, e.srv.app.subscriptions
	// The two identical subscriptions of one role share one execution.
	waitFor(t, 10*time.Second, "both subscriptions to start", func() bool {
		return groups.Executions() == 1 && e.srv.app.wsConns.subscriptions.Load() == 2 && broker.Subscribers(events.CertificateChanged) == 1
	})

	const n = 300
	for i := range n {
		done := make(chan struct{})
		go func() { broker.Publish(events.Event{Topic: events.CertificateChanged, ID: int(cert.ID)}); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("publishing event %d blocked", i+1)
		}
		data, errs := fast.next(t, 20*time.Second)
		if len(errs) > 0 || !strings.Contains(string(data), "BEGIN CERTIFICATE") {
			t.Fatalf("event %d to the reading subscriber: %.200s %v", i+1, data, errs)
		}
	}
	if broker.Dropped() != 0 {
		t.Errorf("the broker dropped %d events: the group's execution fell behind", broker.Dropped())
	}
	if groups.Dropped() == 0 {
		t.Errorf("the stalled subscriber lost no events: it was not slow (%d events of ~100 kB)", n)
	}
	t.Logf("the stalled subscriber lost %d of %d events", groups.Dropped(), n)
}

// stalledConn is a subscription whose socket is never read.
type stalledConn struct{ *websocket.Conn }

// dialStalled subscribes with a 4 kB receive buffer and then stops
// reading.
func dialStalled(t *testing.T, e *ssEnv, query string, vars map[string]any) stalledConn {
	t.Helper()
	d := websocket.Dialer{
		Subprotocols: []string{"graphql-transport-ws"},
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return c, c.(*net.TCPConn).SetReadBuffer(4096)
		},
	}
	h := http.Header{"Cookie": {e.officer.cookieHeader()}}
	conn, _, err := d.DialContext(context.Background(), strings.Replace(e.srv.URL, "http", "ws", 1)+"/graphql", h)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	var ack map[string]any
	if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		t.Fatalf("connection_ack: %v %v", ack, err)
	}
	if err := conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatal(err)
	}
	return stalledConn{conn}
}

// postJSON posts an empty JSON object to path with the client's session.
func postJSON(t *testing.T, c *gqlClient, path string) (int, string) {
	t.Helper()
	resp, err := c.http.Post(c.base+path, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = fmt.Fprint(&b, resp.Status)
	return resp.StatusCode, b.String()
}

// TestWebsocketGroupsKeepRolesApart: identical subscriptions share one
// execution only among viewers with the same roles. A role without
// view_keys asking for what two officers are subscribed to is refused
// (FORBIDDEN), not let into their execution, and the officers keep
// receiving. /metrics counts the subscriptions and the executions.
func TestWebsocketGroupsKeepRolesApart(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	tok := e.token(t, "SOFTWARE")
	const q = `subscription { tokenChanged { id name } }`
	app := e.srv.app
	open := func(c *gqlClient) *subscription {
		s, _, err := c.dialWS(t, wsOptions{useCookie: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.waitAck(t); err != nil {
			t.Fatal(err)
		}
		s.start(t, q, nil)
		return s
	}
	running := func(executions, subscriptions int) func() bool {
		return func() bool {
			return app.subscriptions.Executions() == executions && app.wsConns.subscriptions.Load() == int64(subscriptions)
		}
	}
	officers := []*subscription{open(e.officer), open(e.srv.user(t, "officer2", viewer.SecurityOfficer))}
	waitFor(t, 10*time.Second, "the officers' execution", running(1, 2))

	refused := open(e.srv.user(t, "services", viewer.ServiceAdministrator))
	if data, errs := refused.next(t, 10*time.Second); len(errs) == 0 || !strings.Contains(fmt.Sprint(errs), "FORBIDDEN") {
		t.Errorf("service administrator: data %s, errors %v; want FORBIDDEN", data, errs)
	}
	waitFor(t, 10*time.Second, "the refused subscription to end", running(1, 2))
	metrics := getMetrics(t, e.srv.URL)
	for _, want := range []string{"\nroadreg_subscriptions 2\n", "\nroadreg_subscription_executions 1\n"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", strings.TrimSpace(want))
		}
	}

	app.events.Publish(events.Event{Topic: events.TokenChanged, ID: int(tok.ID)})
	for i, s := range officers {
		data, errs := s.next(t, 10*time.Second)
		if len(errs) > 0 || !strings.Contains(string(data), tok.Name) {
			t.Errorf("officer %d: data %s, errors %v; want the token", i+1, data, errs)
		}
	}
}

// getMetrics returns the text of base/metrics.
func getMetrics(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
