package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// gorillaWebsocket is gqlgen's transport.WebsocketImplementation on
// gorilla/websocket. It accepts browser origins that checkOrigin allows
// and keeps connections alive with websocket pings: a peer that sends
// nothing, not even a pong, for pongWait is dropped. gqlgen's transport
// does the rest (both subprotocols, init, operations, its own writes one
// at a time).
type gorillaWebsocket struct {
	checkOrigin func(r *http.Request) bool
	// pingInterval is how often a ping goes out; pongWait (longer) how
	// long a connection may stay silent. Zero turns either off.
	pingInterval, pongWait time.Duration
}

// writeWait bounds every write on a connection.
const writeWait = 10 * time.Second

var _ transport.WebsocketImplementation = gorillaWebsocket{}

// Accept upgrades the request, negotiating one of gqlgen's subprotocols.
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
	c := &gorillaConn{conn: conn, pongWait: g.pongWait}
	if g.pongWait > 0 {
		c.extendDeadline()
		conn.SetPongHandler(func(string) error { c.extendDeadline(); return nil })
	}
	if g.pingInterval > 0 {
		c.pingAfter(g.pingInterval)
	}
	return c, nil
}

// gorillaConn is one connection. gqlgen writes its messages one at a
// time; pings and close frames go out with WriteControl, which gorilla
// allows beside that one writer.
type gorillaConn struct {
	conn     *websocket.Conn
	pongWait time.Duration

	mu     sync.Mutex
	ping   *time.Timer // the next ping
	closed bool
}

var (
	_ transport.WebsocketConn        = (*gorillaConn)(nil)
	_ transport.WebsocketReadLimiter = (*gorillaConn)(nil)
)

// The read deadline is the connection's own (pongWait after the last
// message or pong), so gorillaConn is no transport.WebsocketReadDeadliner:
// gqlgen would clear it on a graphql-transport-ws pong.

func (c *gorillaConn) extendDeadline() {
	if c.pongWait > 0 {
		_ = c.conn.SetReadDeadline(time.Now().Add(c.pongWait))
	}
}

// pingAfter sends a ping after d, and so on every d while the connection
// takes them (a timer, not a goroutine, per connection).
func (c *gorillaConn) pingAfter(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.ping = time.AfterFunc(d, func() {
		if c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)) == nil {
			c.pingAfter(d)
		}
	})
}

// NextReader returns the next message; a close by the peer is
// transport.ErrWebsocketClosed.
func (c *gorillaConn) NextReader() (int, io.Reader, error) {
	mt, r, err := c.conn.NextReader()
	if err != nil {
		if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived, websocket.CloseGoingAway) {
			return mt, nil, transport.ErrWebsocketClosed
		}
		return mt, nil, err
	}
	c.extendDeadline() // any message proves the peer is alive
	return mt, r, nil
}

// WriteJSON writes v as one text message.
func (c *gorillaConn) WriteJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

// WriteClose sends a close frame with the code and reason.
func (c *gorillaConn) WriteClose(code int, reason string) error {
	err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeWait))
	if errors.Is(err, websocket.ErrCloseSent) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Subprotocol is the negotiated subprotocol.
func (c *gorillaConn) Subprotocol() string { return c.conn.Subprotocol() }

// SetReadLimit bounds the size of a message from the peer.
func (c *gorillaConn) SetReadLimit(limit int64) { c.conn.SetReadLimit(limit) }

// Close closes the connection.
func (c *gorillaConn) Close() error {
	c.mu.Lock()
	c.closed = true
	if c.ping != nil {
		c.ping.Stop()
	}
	c.mu.Unlock()
	return c.conn.Close()
}
