package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/graph"
)

func TestWithSubscriptionID(t *testing.T) {
	const key = graph.SubscriptionIDExtension
	ext := func(t *testing.T, msg string) map[string]any {
		t.Helper()
		var m struct {
			Payload struct {
				Query      string         `json:"query"`
				Variables  map[string]any `json:"variables"`
				Extensions map[string]any `json:"extensions"`
			} `json:"payload"`
		}
		if err := json.Unmarshal([]byte(msg), &m); err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		if m.Payload.Query != "subscription { x }" {
			t.Errorf("query changed: %s", msg)
		}
		return m.Payload.Extensions
	}
	t.Run("operations get their id", func(t *testing.T) {
		for _, in := range []string{
			`{"id":"7","type":"subscribe","payload":{"query":"subscription { x }"}}`,
			`{"type":"start","id":"7","payload":{"query":"subscription { x }","extensions":null}}`,
			`{"id":"7","type":"subscribe","payload":{"query":"subscription { x }","variables":{"n":1},"extensions":{"persistedQuery":{"version":1}}}}`,
			// The client cannot choose it.
			`{"id":"7","type":"subscribe","payload":{"query":"subscription { x }","extensions":{"` + key + `":"other"}}}`,
		} {
			out := string(withSubscriptionID([]byte(in)))
			e := ext(t, out)
			if e[key] != "7" {
				t.Errorf("%s -> %s: extension %v, want the message's id", in, out, e[key])
			}
			if strings.Contains(in, "persistedQuery") && e["persistedQuery"] == nil {
				t.Errorf("%s -> %s: other extensions lost", in, out)
			}
			if strings.Contains(in, `"n":1`) && !strings.Contains(out, `"variables":{"n":1}`) {
				t.Errorf("%s -> %s: variables changed", in, out)
			}
		}
	})
	t.Run("everything else is left alone", func(t *testing.T) {
		for _, in := range []string{
			`{"type":"connection_init","payload":{"Authorization":"Bearer x"}}`,
			`{"type":"complete","id":"7"}`,
			`{"type":"ping"}`,
			`{"id":"","type":"subscribe","payload":{"query":"subscription { x }"}}`,
			`{"id":7,"type":"subscribe","payload":{"query":"subscription { x }"}}`,
			`{"id":"7","type":"subscribe","payload":"subscription { x }"}`,
			`{"id":"7","type":"subscribe","payload":{"query":"subscription { x }","extensions":[1]}}`,
			`{"id":"7","type":"subscribe"}`,
			`not json`,
			``,
		} {
			if out := string(withSubscriptionID([]byte(in))); out != in {
				t.Errorf("%q rewritten to %q", in, out)
			}
		}
	})
}

// acceptPair accepts one websocket with gorillaWebsocket on a test server
// and dials it with proto; serverConn is called with the accepted
// connection (its own goroutine). dial may adjust the client's TCP
// connection.
func acceptPair(t *testing.T, proto string, dial func(*net.TCPConn), serverConn func(*gorillaConn)) *websocket.Conn {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		impl := gorillaWebsocket{checkOrigin: func(*http.Request) bool { return true }}
		c, err := impl.Accept(w, r, transport.WebsocketAcceptOptions{ResponseHeader: http.Header{}, Subprotocols: []string{"graphql-transport-ws", "graphql-ws"}})
		if err != nil {
			t.Error(err)
			return
		}
		serverConn(c.(*gorillaConn))
	}))
	t.Cleanup(srv.Close)
	d := websocket.Dialer{
		Subprotocols: []string{proto}, HandshakeTimeout: 5 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err == nil && dial != nil {
				dial(c.(*net.TCPConn))
			}
			return c, err
		},
	}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// gqlgenMessage mirrors the message struct of gqlgen's websocket
// transports (both subprotocols), whose encoding WriteResponse matches.
type gqlgenMessage struct {
	Payload json.RawMessage `json:"payload,omitempty"`
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
}

func readMessage(t *testing.T, conn *websocket.Conn) string {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, got, err := conn.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	return string(got)
}

// TestWriteResponseFrame: a response the connection writes itself, with
// WriteResponse or, past gorilla, TryWriteResponse, is the message
// gqlgen's transports write for it, for both subprotocols; ids that need
// escaping and frames of all three length encodings included.
func TestWriteResponseFrame(t *testing.T) {
	small := []byte(`{"data":{"globalConfigurationChanged":{"version":"20261127"}},"errors":[{"message":"x \u003c y"}]}`)
	large := []byte(`{"data":{"x":"` + strings.Repeat("y", 70000) + `"}}`)
	for proto, typ := range map[string]string{"graphql-transport-ws": "next", "graphql-ws": "data"} {
		t.Run(proto, func(t *testing.T) {
			type write struct {
				id       string
				response []byte
			}
			writes := []write{{"1", small}, {`a"b<c>\é`, small}, {"1", small}, {strings.Repeat("z", 200), small}, {"2", large}}
			written := make(chan error, 1)
			conn := acceptPair(t, proto, nil, func(c *gorillaConn) {
				for _, w := range writes {
					if err := c.WriteResponse(w.id, w.response); err != nil {
						written <- err
						return
					}
					// The socket may still be full of the frame before (the
					// reader is this test): then it is busy, not broken.
					for start := time.Now(); !c.TryWriteResponse(w.id, w.response); time.Sleep(time.Millisecond) {
						if time.Since(start) > 5*time.Second {
							written <- fmt.Errorf("TryWriteResponse(%q) wrote nothing for 5 s", w.id)
							return
						}
					}
				}
				written <- nil
			})
			for _, w := range writes {
				want, err := json.Marshal(gqlgenMessage{Payload: w.response, ID: w.id, Type: typ})
				if err != nil {
					t.Fatal(err)
				}
				for _, how := range []string{"WriteResponse", "TryWriteResponse"} {
					if got := readMessage(t, conn); got != string(want) {
						t.Errorf("%s wrote %.200s\nwant %.200s", how, got, want)
					}
				}
			}
			if err := <-written; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestTryWriteResponseFullSocket: against a peer that does not read,
// TryWriteResponse fills the socket and then reports false without
// waiting; what it accepted (a frame the socket took only part of
// included) arrives whole and in order, before anything written after it.
func TestTryWriteResponseFullSocket(t *testing.T) {
	for _, size := range []int{1000, 70000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) { tryWriteFullSocket(t, size) })
	}
}

func tryWriteFullSocket(t *testing.T, size int) {
	response := []byte(`{"data":{"x":"` + strings.Repeat("y", size) + `"}}`)
	accepted := make(chan int, 1)
	conn := acceptPair(t, "graphql-transport-ws", func(c *net.TCPConn) { _ = c.SetReadBuffer(4096) }, func(c *gorillaConn) {
		_ = c.conn.NetConn().(*net.TCPConn).SetWriteBuffer(4096)
		n := 0
		for ; n < 100000 && c.TryWriteResponse(fmt.Sprint(n), response); n++ {
		}
		accepted <- n
		// A blocking write waits for a partly written frame to finish.
		_ = c.WriteResponse("last", response)
	})
	var n int
	select {
	case n = <-accepted:
	case <-time.After(10 * time.Second):
		t.Fatal("TryWriteResponse waited for a peer that does not read")
	}
	if n == 0 || n == 100000 {
		t.Fatalf("the socket took %d frames", n)
	}
	for i := range n {
		var m gqlgenMessage
		if err := json.Unmarshal([]byte(readMessage(t, conn)), &m); err != nil || m.ID != fmt.Sprint(i) || string(m.Payload) != string(response) {
			t.Fatalf("message %d of %d: id %q, %v", i, n, m.ID, err)
		}
	}
	var m gqlgenMessage
	if err := json.Unmarshal([]byte(readMessage(t, conn)), &m); err != nil || m.ID != "last" {
		t.Fatalf("after the %d frames: id %q, %v", n, m.ID, err)
	}
}

// TestWebsocketSubscriptionIDs: on one connection, each subscription gets
// its own responses under its own id, whatever the client puts in the
// extensions; completing one leaves the other, and nothing arrives for
// the completed one after the server's complete.
func TestWebsocketSubscriptionIDs(t *testing.T) {
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
				return func() bool { _, m := e.srv.app.subscriptions.Groups(); return m == n }
			}
			waitFor(t, 10*time.Second, "the last subtest's subscriptions to end", members(0))
			for _, id := range []string{"one", "two"} {
				err := s.conn.WriteJSON(map[string]any{"id": id, "type": start, "payload": map[string]any{
					"query": sub, "extensions": map[string]any{graph.SubscriptionIDExtension: "evil"},
				}})
				if err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, 10*time.Second, "both subscriptions", members(2))
			// The central server may generate on its own too: wait for
			// this generation's version under both ids.
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

// isNext tells whether m is a response (of version v, unless v is -1)
// and for which id.
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
	return id, g["version"] == v
}

// TestTryWriteResponseAfterDeadline: writes through gorilla (gqlgen's
// messages, WriteResponse, pings) leave no deadline on the socket that
// could pass and fail TryWriteResponse later. (Nothing else writes on the
// connection meanwhile, so TryWriteResponse never finds it busy.)
func TestTryWriteResponseAfterDeadline(t *testing.T) {
	response := []byte(`{"data":{"x":1}}`)
	done := make(chan error, 1)
	conn := acceptPair(t, "graphql-transport-ws", nil, func(c *gorillaConn) {
		c.writeWait = 20 * time.Millisecond
		later := func(id string) error {
			time.Sleep(50 * time.Millisecond) // past writeWait
			if !c.TryWriteResponse(id, response) {
				return fmt.Errorf("TryWriteResponse(%s) wrote nothing after the last write's deadline passed", id)
			}
			return nil
		}
		if err := c.WriteJSON(map[string]string{"type": "connection_ack"}); err != nil {
			done <- fmt.Errorf("WriteJSON: %w", err)
			return
		}
		if err := later("1"); err != nil {
			done <- err
			return
		}
		if err := c.WriteResponse("2", response); err != nil {
			done <- fmt.Errorf("WriteResponse: %w", err)
			return
		}
		if err := later("3"); err != nil {
			done <- err
			return
		}
		if err := c.ping(); err != nil {
			done <- fmt.Errorf("ping: %w", err)
			return
		}
		done <- later("4")
	})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := readMessage(t, conn); got != `{"type":"connection_ack"}` {
		t.Fatalf("first message %s", got)
	}
	for _, id := range []string{"1", "2", "3", "4"} {
		var m gqlgenMessage
		if err := json.Unmarshal([]byte(readMessage(t, conn)), &m); err != nil || m.ID != id {
			t.Fatalf("message %s: %+v %v", id, m, err)
		}
	}
}

// TestWriteResponseAfterClose: once the close frame is out, no response
// follows it, written at once or not.
func TestWriteResponseAfterClose(t *testing.T) {
	done := make(chan error, 1)
	conn := acceptPair(t, "graphql-transport-ws", nil, func(c *gorillaConn) {
		if err := c.WriteClose(4400, "bye"); err != nil {
			done <- err
			return
		}
		if c.TryWriteResponse("1", []byte(`{"data":{}}`)) {
			done <- fmt.Errorf("TryWriteResponse wrote after the close frame")
			return
		}
		if c.WriteResponse("1", []byte(`{"data":{}}`)) == nil {
			done <- fmt.Errorf("WriteResponse wrote after the close frame")
			return
		}
		done <- nil
	})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := conn.ReadMessage()
	var ce *websocket.CloseError
	if !asCloseError(err, &ce) || ce.Code != 4400 {
		t.Fatalf("read %q, %v; want the close frame (4400)", msg, err)
	}
}

// TestAppendJSONString: subscription ids are encoded as encoding/json
// encodes them (gqlgen's messages), escapes included.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "1", "sub-42_x.y", `a"b`, `back\slash`, "<script>&", "tab\tnew\nline\x00", "é", "\u2028\u2029", "bad\xffutf8", "~\x7f"} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendJSONString(%q) = %s, want x%s", s, got, want)
		}
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = appendJSONString(buf[:0], "17") }); n != 0 {
		t.Errorf("a plain id costs %v allocations, want none", n)
	}
}
