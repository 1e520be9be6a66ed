package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/graph"
)

// groupedWebsocket is gqlgen's websocket transport with identical
// subscriptions executed once per group (graph.SubscriptionGroups).
type groupedWebsocket struct {
	transport.Websocket
	groups *graph.SubscriptionGroups
}

// Do serves one websocket connection.
func (t groupedWebsocket) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	t.Websocket.Do(w, r, t.groups.Executor(exec))
}

// gorillaWebsocket adapts github.com/gorilla/websocket to gqlgen's
// transport.WebsocketImplementation. It checks the Origin against the
// allow-list, limits message size and keeps connections alive with
// websocket pings, dropping peers whose pongs stop arriving.
type gorillaWebsocket struct {
	checkOrigin  func(r *http.Request) bool
	readLimit    int64
	pingInterval time.Duration
	// pongWait is how long a connection may stay silent (no message, no
	// pong) before it is closed. Must exceed pingInterval.
	pongWait time.Duration
}

var _ transport.WebsocketImplementation = gorillaWebsocket{}

// Accept upgrades the request, negotiating one of gqlgen's subprotocols
// (graphql-transport-ws or the legacy graphql-ws).
func (g gorillaWebsocket) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	up := websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		Subprotocols:     opts.Subprotocols,
		CheckOrigin:      g.checkOrigin,
		Error: func(w http.ResponseWriter, _ *http.Request, status int, reason error) {
			http.Error(w, reason.Error(), status)
		},
	}
	conn, err := up.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		return nil, err
	}
	c := &gorillaConn{conn: conn, pongWait: g.pongWait, done: make(chan struct{})}
	if g.readLimit > 0 {
		conn.SetReadLimit(g.readLimit)
	}
	if g.pongWait > 0 {
		_ = conn.SetReadDeadline(time.Now().Add(g.pongWait))
		conn.SetPongHandler(func(string) error { return c.extendDeadline() })
	}
	if g.pingInterval > 0 {
		go c.keepAlive(g.pingInterval)
	}
	return c, nil
}

type gorillaConn struct {
	conn     *websocket.Conn
	pongWait time.Duration

	writeMu   sync.Mutex // one writer at a time (gorilla's rule)
	closeOnce sync.Once
	done      chan struct{}
}

var (
	_ transport.WebsocketConn          = (*gorillaConn)(nil)
	_ transport.WebsocketReadLimiter   = (*gorillaConn)(nil)
	_ transport.WebsocketReadDeadliner = (*gorillaConn)(nil)
)

func (c *gorillaConn) extendDeadline() error {
	if c.pongWait > 0 {
		return c.conn.SetReadDeadline(time.Now().Add(c.pongWait))
	}
	return nil
}

func (c *gorillaConn) keepAlive(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			// WriteControl may run concurrently with other writes.
			if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(10*time.Second)); err != nil {
				return
			}
		}
	}
}

// NextReader returns the next data message; a normal close by the peer is
// transport.ErrWebsocketClosed.
func (c *gorillaConn) NextReader() (int, io.Reader, error) {
	mt, r, err := c.conn.NextReader()
	if err != nil {
		if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived, websocket.CloseGoingAway) {
			return mt, nil, transport.ErrWebsocketClosed
		}
		return mt, nil, err
	}
	// Any message proves the peer is alive.
	_ = c.extendDeadline()
	return mt, r, nil
}

// WriteJSON writes one JSON text message (gorilla's WriteMessage, which
// frames a whole message without the per-message writer of WriteJSON).
func (c *gorillaConn) WriteJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

// WriteClose sends a close frame with the code and reason.
func (c *gorillaConn) WriteClose(code int, message string) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, message), time.Now().Add(5*time.Second))
	if errors.Is(err, websocket.ErrCloseSent) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Subprotocol is the negotiated subprotocol.
func (c *gorillaConn) Subprotocol() string { return c.conn.Subprotocol() }

// SetReadLimit implements transport.WebsocketReadLimiter.
func (c *gorillaConn) SetReadLimit(limit int64) {
	if limit > 0 {
		c.conn.SetReadLimit(limit)
	}
}

// SetReadDeadline implements transport.WebsocketReadDeadliner.
func (c *gorillaConn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }

// Close closes the connection.
func (c *gorillaConn) Close() error {
	c.closeOnce.Do(func() { close(c.done) })
	return c.conn.Close()
}
