package main

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// acceptPair accepts one websocket with impl on a test server and dials
// it; serverConn is called with the accepted connection (its own
// goroutine).
func acceptPair(t *testing.T, impl gorillaWebsocket, serverConn func(*gorillaConn)) *websocket.Conn {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := impl.Accept(w, r, transport.WebsocketAcceptOptions{ResponseHeader: http.Header{}, Subprotocols: []string{"graphql-transport-ws", "graphql-ws"}})
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		serverConn(c.(*gorillaConn))
	}))
	t.Cleanup(srv.Close)
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readUntilClosed reads from the server side until the connection fails.
func readUntilClosed(c *gorillaConn) <-chan error {
	done := make(chan error, 1)
	go func() {
		for {
			if _, _, err := c.NextReader(); err != nil {
				done <- err
				return
			}
		}
	}()
	return done
}

// TestWebsocketKeepAlive: the server pings; a peer that answers (gorilla
// answers pings while it reads) stays connected through many times the
// silence allowed, and one that never answers is dropped once that
// silence has passed. Its pings are 20 ms apart: it does not run in parallel
// with the slower tests.
func TestWebsocketKeepAlive(t *testing.T) {
	impl := gorillaWebsocket{checkOrigin: func(*http.Request) bool { return true }, pingInterval: 20 * time.Millisecond, pongWait: 400 * time.Millisecond}
	t.Run("answering peer", func(t *testing.T) {
		ended := make(chan error, 1)
		conn := acceptPair(t, impl, func(c *gorillaConn) { ended <- <-readUntilClosed(c) })
		pings := make(chan struct{}, 100)
		conn.SetPingHandler(func(data string) error {
			pings <- struct{}{}
			return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		go func() {
			for {
				if _, _, err := conn.NextReader(); err != nil {
					return
				}
			}
		}()
		// 50 pings take 2.5 times the silence a peer is allowed.
		for i := range 50 {
			select {
			case <-pings:
			case err := <-ended:
				t.Fatalf("dropped after %d pings: %v", i, err)
			case <-time.After(5 * time.Second):
				t.Fatalf("%d pings, then none", i)
			}
		}
		// A close from the peer is the end gqlgen expects.
		if err := conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := <-ended; !errors.Is(err, transport.ErrWebsocketClosed) {
			t.Fatalf("after the peer's close: %v, want transport.ErrWebsocketClosed", err)
		}
	})
	t.Run("silent peer", func(t *testing.T) {
		ended := make(chan error, 1)
		start := time.Now()
		acceptPair(t, impl, func(c *gorillaConn) { ended <- <-readUntilClosed(c) }) // the client never reads, so never answers
		select {
		case err := <-ended:
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatalf("ended with %v, want a read timeout", err)
			}
			if d := time.Since(start); d < impl.pongWait {
				t.Fatalf("dropped after %s, before the %s allowed", d, impl.pongWait)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a peer that never answers pings is still connected after 5 s")
		}
	})
}

// TestWebsocketWriteClose: a close frame carries its code and reason, and
// nothing follows it.
func TestWebsocketWriteClose(t *testing.T) {
	t.Parallel()
	wrote := make(chan error, 1)
	conn := acceptPair(t, gorillaWebsocket{checkOrigin: func(*http.Request) bool { return true }}, func(c *gorillaConn) {
		if err := c.WriteClose(4401, "your session has ended; log in again"); err != nil {
			wrote <- err
			return
		}
		if c.WriteJSON(map[string]string{"type": "next"}) == nil {
			wrote <- errors.New("a message went out after the close frame")
			return
		}
		wrote <- nil
	})
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := conn.ReadMessage()
	var ce *websocket.CloseError
	if !asCloseError(err, &ce) || ce.Code != 4401 || ce.Text != "your session has ended; log in again" {
		t.Fatalf("read %q, %v; want the close frame 4401 with its reason", msg, err)
	}
}

// TestWebsocketSubscriptionIDs: on one connection, two identical
// subscriptions (one execution) each get every response under their own
// id; completing one leaves the other, and nothing arrives for the
// completed one after the server's complete.
func TestWebsocketSubscriptionIDs(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	const sub = `subscription { globalConfigurationChanged { version } }`
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(proto, func(t *testing.T) {
			s, _, err := e.secoff.dialWS(t, wsOptions{protocol: proto, useCookie: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.waitAck(t); err != nil {
				t.Fatal(err)
			}
			start, stop := "subscribe", "complete"
			if proto == "graphql-ws" {
				start, stop = "start", "stop"
			}
			members := func(n int) func() bool {
				return func() bool { return e.srv.app.wsConns.subscriptions.Load() == int64(n) }
			}
			waitFor(t, 10*time.Second, "the last subtest's subscriptions to end", members(0))
			for _, id := range []string{"one", "two"} {
				err := s.conn.WriteJSON(map[string]any{"id": id, "type": start, "payload": map[string]any{"query": sub}})
				if err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, 10*time.Second, "both subscriptions", members(2))
			// The central server may generate on its own too, and a
			// response carries the status when it is sent: wait for this
			// generation's version, or a later one, under both ids.
			version := func(t *testing.T) float64 {
				var out struct {
					GenerateGlobalConfiguration struct{ Version float64 }
				}
				e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, &out)
				return out.GenerateGlobalConfiguration.Version
			}
			v := version(t)
			seen := map[string]bool{}
			s.until(t, 5*time.Second, "response under both ids", func(m map[string]any) bool {
				if id, ok := isNext(m, v); ok {
					if id != "one" && id != "two" {
						t.Fatalf("a response for %q", id)
					}
					seen[id] = true
				}
				return seen["one"] && seen["two"]
			})

			if err := s.conn.WriteJSON(map[string]any{"id": "one", "type": stop}); err != nil {
				t.Fatal(err)
			}
			s.until(t, 5*time.Second, "complete of subscription one", func(m map[string]any) bool {
				if id, ok := isNext(m, -1); ok && id != "one" && id != "two" {
					t.Fatalf("a response for %q", id)
				}
				return m["type"] == "complete" && m["id"] == "one"
			})
			v = version(t)
			s.until(t, 5*time.Second, "response of the new version", func(m map[string]any) bool {
				id, ok := isNext(m, -1)
				if ok && id != "two" {
					t.Fatalf("after its complete, a response for %q: %v", id, m)
				}
				_, now := isNext(m, v)
				return now
			})
		})
	}
}

// isNext tells whether m is a response (of version v or later, unless v
// is -1) and for which id.
func isNext(m map[string]any, v float64) (string, bool) {
	if m["type"] != "next" && m["type"] != "data" {
		return "", false
	}
	id, _ := m["id"].(string)
	if v == -1 {
		return id, true
	}
	p, _ := m["payload"].(map[string]any)
	d, _ := p["data"].(map[string]any)
	g, _ := d["globalConfigurationChanged"].(map[string]any)
	got, _ := g["version"].(float64)
	return id, got >= v
}
