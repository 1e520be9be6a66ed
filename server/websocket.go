package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/graph"
)

// groupedWebsocket is gqlgen's websocket transport with identical
// subscriptions executed once per group (graph.SubscriptionGroups), whose
// rendered responses the connection writes itself (graph's direct
// delivery): gqlgen keeps the protocol, the connection's lifecycle and
// everything but the "next" messages of grouped subscriptions.
type groupedWebsocket struct {
	transport.Websocket
	impl   gorillaWebsocket
	groups *graph.SubscriptionGroups
}

// Do serves one websocket connection.
func (t groupedWebsocket) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	conn := &connWriter{}
	ws := t.Websocket
	ws.Implementation = acceptInto{gorillaWebsocket: t.impl, conn: conn}
	ws.Do(w, r.WithContext(graph.WithResponseWriter(r.Context(), conn)), t.groups.Executor(exec))
}

// acceptInto accepts a connection and records it in conn.
type acceptInto struct {
	gorillaWebsocket
	conn *connWriter
}

func (a acceptInto) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := a.gorillaWebsocket.Accept(w, r, opts)
	if err == nil {
		a.conn.c = c.(*gorillaConn)
	}
	return c, err
}

// connWriter is the graph.ResponseTryWriter of one connection; it is set
// when the connection is accepted, before any operation starts.
type connWriter struct{ c *gorillaConn }

var errNotAccepted = errors.New("websocket not accepted")

func (w *connWriter) WriteResponse(id string, response []byte) error {
	if w.c == nil {
		return errNotAccepted
	}
	return w.c.WriteResponse(id, response)
}

func (w *connWriter) TryWriteResponse(id string, response []byte) bool {
	return w.c != nil && w.c.TryWriteResponse(id, response)
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
	c := &gorillaConn{conn: conn, pongWait: g.pongWait, done: make(chan struct{}), nextType: "data", writeWait: 10 * time.Second}
	if conn.Subprotocol() == "graphql-transport-ws" {
		c.nextType = "next"
	}
	if g.readLimit > 0 {
		conn.SetReadLimit(g.readLimit)
	}
	if g.pongWait > 0 {
		_ = conn.SetReadDeadline(time.Now().Add(g.pongWait))
		conn.SetPongHandler(func(string) error { return c.extendDeadline() })
	}
	// TryWriteResponse writes frames under gorilla, so every other write
	// (gorilla's answers to pings and close frames included) takes writeMu.
	conn.SetPingHandler(c.answerPing)
	conn.SetCloseHandler(c.answerClose)
	if tcp, ok := conn.NetConn().(*net.TCPConn); ok {
		c.raw, _ = tcp.SyscallConn()
	}
	if g.pingInterval > 0 {
		go c.keepAlive(g.pingInterval)
	}
	return c, nil
}

type gorillaConn struct {
	conn     *websocket.Conn
	pongWait time.Duration

	// nextType is the type of a message carrying a response: "next"
	// (graphql-transport-ws) or "data" (legacy graphql-ws).
	nextType string

	// raw writes frames without waiting (TryWriteResponse); nil when the
	// connection is not plain TCP.
	raw syscall.RawConn

	writeMu sync.Mutex // one writer at a time (gorilla's rule)
	// writeWait bounds a write through gorilla.
	writeWait time.Duration
	// closeSent: a close frame went out, after which no message may
	// (gorilla refuses its own writes then; TryWriteResponse checks it).
	closeSent bool
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
			if c.ping() != nil {
				return
			}
		}
	}
}

// ping sends a websocket ping.
func (c *gorillaConn) ping() error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	defer c.unsetDeadline()
	return c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.writeWait))
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
	b, err := io.ReadAll(r)
	if err != nil {
		return mt, nil, err
	}
	return mt, bytes.NewReader(withSubscriptionID(b)), nil
}

// withSubscriptionID returns msg, and for a message that starts an
// operation ("subscribe", or "start" in graphql-ws) the same message with
// its id in the payload's extensions (graph.SubscriptionIDExtension,
// replacing whatever the client put there), which lets the operation's
// responses be written by WriteResponse. Anything it cannot read is left
// to gqlgen to refuse.
func withSubscriptionID(msg []byte) []byte {
	var env map[string]json.RawMessage
	var typ, id string
	if json.Unmarshal(msg, &env) != nil || json.Unmarshal(env["type"], &typ) != nil ||
		(typ != "subscribe" && typ != "start") || json.Unmarshal(env["id"], &id) != nil || id == "" {
		return msg
	}
	var payload map[string]json.RawMessage
	if json.Unmarshal(env["payload"], &payload) != nil || payload == nil {
		return msg
	}
	var ext map[string]json.RawMessage
	if raw, ok := payload["extensions"]; ok && json.Unmarshal(raw, &ext) != nil {
		return msg
	}
	if ext == nil {
		ext = map[string]json.RawMessage{}
	}
	var err error
	if ext[graph.SubscriptionIDExtension], err = json.Marshal(id); err != nil {
		return msg
	}
	if payload["extensions"], err = json.Marshal(ext); err != nil {
		return msg
	}
	if env["payload"], err = json.Marshal(payload); err != nil {
		return msg
	}
	out, err := json.Marshal(env)
	if err != nil {
		return msg
	}
	return out
}

// WriteResponse writes response (a rendered graphql.Response) as the next
// message of subscription id: the message gqlgen would write for it, byte
// for byte, without encoding the response again.
func (c *gorillaConn) WriteResponse(id string, response []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	buf := messageBuffers.Get().(*[]byte)
	msg := c.message((*buf)[:0], id, response)
	defer putMessageBuffer(buf, msg)
	return c.writeText(msg)
}

// writeText writes b as one text message through gorilla, waiting at most
// writeWait. Call with writeMu held.
func (c *gorillaConn) writeText(b []byte) error {
	defer c.unsetDeadline()
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.writeWait))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

// TryWriteResponse is WriteResponse if the socket takes the whole frame
// without waiting; it reports whether it wrote (graph.ResponseTryWriter).
// The frame goes to the socket in one non-blocking write, past gorilla,
// which holds nothing between messages; every other write takes writeMu.
// Should the socket take only part of the frame, the rest follows from a
// goroutine that holds writeMu until it is written, so nothing else gets
// in between. (The one write outside writeMu is the close frame gorilla
// sends itself when the peer breaks the protocol; the connection ends
// then anyway.)
func (c *gorillaConn) TryWriteResponse(id string, response []byte) bool {
	if c.raw == nil || !c.writeMu.TryLock() {
		return false
	}
	if c.closeSent {
		c.writeMu.Unlock()
		return false
	}
	// The message goes after room for the longest header; its header is
	// written right in front of it.
	var room, header [maxFrameHeader]byte
	buf := messageBuffers.Get().(*[]byte)
	msg := c.message(append((*buf)[:0], room[:]...), id, response)
	h := appendTextFrameHeader(header[:0], len(msg)-maxFrameHeader)
	frame := msg[maxFrameHeader-len(h):]
	copy(frame, h)
	n := 0
	err := c.raw.Write(func(fd uintptr) bool {
		n, _ = syscall.Write(int(fd), frame)
		return true // never wait for the socket
	})
	switch {
	case err != nil || n <= 0:
		c.writeMu.Unlock()
		putMessageBuffer(buf, msg)
		return false
	case n < len(frame):
		rest := frame[n:]
		go func() {
			defer putMessageBuffer(buf, msg)
			defer c.writeMu.Unlock()
			nc := c.conn.NetConn()
			_ = nc.SetWriteDeadline(time.Now().Add(c.writeWait))
			if _, err := nc.Write(rest); err != nil {
				nc.Close() // half a frame: the connection is unusable
			}
			c.unsetDeadline()
		}()
		return true
	}
	c.writeMu.Unlock()
	putMessageBuffer(buf, msg)
	return true
}

// message appends the message carrying response for subscription id to
// dst (nothing, or room for a frame header).
func (c *gorillaConn) message(dst []byte, id string, response []byte) []byte {
	f := append(dst, `{"payload":`...)
	f = append(f, response...)
	f = append(f, `,"id":`...)
	f = appendJSONString(f, id)
	f = append(f, `,"type":"`...)
	f = append(f, c.nextType...)
	return append(f, `"}`...)
}

// appendJSONString appends s encoded as encoding/json encodes it (the
// encoding gqlgen's messages use). Subscription ids are mostly short and
// plain, and need no escaping and no allocation.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b > 0x7e || b == '"' || b == '\\' || b == '<' || b == '>' || b == '&' {
			js, _ := json.Marshal(s) // a string always encodes
			return append(dst, js...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// messageBuffers holds the buffers messages are built in, one per write
// under way. Sharing them (rather than a buffer per connection) keeps the
// few in use warm in the writing processor's cache and costs an idle
// connection nothing.
var messageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// putMessageBuffer returns buf, grown to msg, to messageBuffers; one grown
// past maxKeptFrame by a large response is left to the collector.
func putMessageBuffer(buf *[]byte, msg []byte) {
	if cap(msg) > maxKeptFrame {
		return
	}
	*buf = msg[:0]
	messageBuffers.Put(buf)
}

// maxFrameHeader is the longest header of an unmasked websocket frame.
const maxFrameHeader = 10

// appendTextFrameHeader appends the header of a final, unmasked websocket
// text frame (a server's) of n payload bytes (RFC 6455, section 5.2).
func appendTextFrameHeader(dst []byte, n int) []byte {
	const finText = 0x81
	switch {
	case n <= 125:
		return append(dst, finText, byte(n))
	case n <= 0xffff:
		return append(dst, finText, 126, byte(n>>8), byte(n))
	default:
		return binary.BigEndian.AppendUint64(append(dst, finText, 127), uint64(n))
	}
}

// unsetDeadline removes the deadline the last write through gorilla left
// on the socket (gorilla sets one before each write), so that no expired
// deadline fails TryWriteResponse's write, which never waits and needs
// none, and no timer stays behind for an idle connection. Call with
// writeMu held, after the write.
func (c *gorillaConn) unsetDeadline() { _ = c.conn.NetConn().SetWriteDeadline(time.Time{}) }

// maxKeptFrame is the largest message buffer kept for the next message.
const maxKeptFrame = 4 << 10

// answerPing is gorilla's default ping handler (a pong with the same
// data) under writeMu.
func (c *gorillaConn) answerPing(data string) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	defer c.unsetDeadline()
	err := c.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	var ne net.Error
	if errors.Is(err, websocket.ErrCloseSent) || errors.As(err, &ne) && ne.Timeout() {
		return nil
	}
	return err
}

// answerClose is gorilla's default close handler (echo the close code)
// under writeMu.
func (c *gorillaConn) answerClose(code int, _ string) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	defer c.unsetDeadline()
	c.closeSent = true
	_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(time.Second))
	return nil
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
	return c.writeText(b)
}

// WriteClose sends a close frame with the code and reason.
func (c *gorillaConn) WriteClose(code int, message string) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	defer c.unsetDeadline()
	c.closeSent = true
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
