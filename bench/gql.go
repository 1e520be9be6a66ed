package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Client is a GraphQL client of one server: a session cookie (Login) or an
// API key (Bearer).
type Client struct {
	Base   string
	HTTP   *http.Client
	Bearer string
}

// NewClient returns a client of the server at base (http://host:port).
func NewClient(base string) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Base: base, HTTP: &http.Client{Jar: jar, Timeout: 120 * time.Second}}
}

// Login starts a session.
func (c *Client) Login(ctx context.Context, user, password string) error {
	b, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+"/auth/login", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("login %s at %s: %s %s", user, c.Base, resp.Status, body)
	}
	return nil
}

// Error is a GraphQL error answer.
type Error struct {
	Code    string
	Message string
	Raw     string
}

func (e *Error) Error() string { return fmt.Sprintf("GraphQL error %s: %s", e.Code, e.Message) }

// CodeOf returns the extensions.code of a GraphQL error ("" otherwise).
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Do runs an operation and decodes its data into out (when not nil). A
// GraphQL error comes back as *Error.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+"/graphql", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("%s answered %s: %s", c.Base, resp.Status, body)
	}
	if len(r.Errors) > 0 {
		code, _ := r.Errors[0].Extensions["code"].(string)
		return &Error{Code: code, Message: r.Errors[0].Message, Raw: string(body)}
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

// cookieHeader is the Cookie header the client sends to its server.
func (c *Client) cookieHeader() string {
	if c.HTTP == nil || c.HTTP.Jar == nil {
		return ""
	}
	u, _ := url.Parse(c.Base)
	var parts []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// Event is one subscription event and when it arrived.
type Event struct {
	At     time.Time
	Data   json.RawMessage
	Errors json.RawMessage
}

// Subscription is one graphql-transport-ws subscription.
type Subscription struct {
	conn *websocket.Conn
	// events receives the events, unless they go to slot of rec.
	events chan Event
	rec    *Arrivals
	slot   int
	err    error
	done   chan struct{}
	once   sync.Once
}

// Dialer dials the websockets of subscriptions; tests with many
// subscribers share one with small buffers.
var Dialer = &websocket.Dialer{
	Subprotocols:     []string{"graphql-transport-ws"},
	HandshakeTimeout: 30 * time.Second,
	ReadBufferSize:   1024,
	WriteBufferSize:  1024,
}

// Subscribe opens a websocket, authenticates with the client's session
// cookie or API key, waits for connection_ack and starts the subscription.
// Events arrive on Events until Close or the connection ends.
func (c *Client) Subscribe(ctx context.Context, query string, vars map[string]any) (*Subscription, error) {
	s, err := c.subscribe(ctx, query, vars)
	if err != nil {
		return nil, err
	}
	s.events = make(chan Event, 16)
	go s.read()
	return s, nil
}

// SubscribeRecorded is Subscribe recording the events in slot of rec.
func (c *Client) SubscribeRecorded(ctx context.Context, query string, vars map[string]any, rec *Arrivals, slot int) (*Subscription, error) {
	s, err := c.subscribe(ctx, query, vars)
	if err != nil {
		return nil, err
	}
	s.rec, s.slot = rec, slot
	go s.read()
	return s, nil
}

// subscribe opens the websocket and starts the subscription.
func (c *Client) subscribe(ctx context.Context, query string, vars map[string]any) (*Subscription, error) {
	h := http.Header{}
	if ck := c.cookieHeader(); ck != "" {
		h.Set("Cookie", ck)
	}
	conn, resp, err := Dialer.DialContext(ctx, strings.Replace(c.Base, "http", "ws", 1)+"/graphql", h)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("websocket: %v (HTTP %s)", err, resp.Status)
		}
		return nil, fmt.Errorf("websocket: %w", err)
	}
	payload := map[string]any{}
	if c.Bearer != "" {
		payload["Authorization"] = "Bearer " + c.Bearer
	}
	fail := func(err error) (*Subscription, error) { conn.Close(); return nil, err }
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		return fail(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		var m struct{ Type string }
		if err := conn.ReadJSON(&m); err != nil {
			return fail(fmt.Errorf("waiting for connection_ack: %w", err))
		}
		if m.Type == "connection_ack" {
			break
		}
	}
	_ = conn.SetReadDeadline(time.Time{})
	if err := conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		return fail(err)
	}
	return &Subscription{conn: conn, done: make(chan struct{})}, nil
}

func (s *Subscription) read() {
	if s.events != nil {
		defer close(s.events)
	}
	// Decoding one message before the first event grows this goroutine's
	// stack to what events need (with ClientsGODEBUG it stays so), and
	// the message buffer to its working size, in memory touched now
	// rather than during the first event.
	var buf bytes.Buffer
	buf.Grow(bytes.MinRead)
	buf.WriteString(`{"type":"next","payload":{"data":{"x":{"y":1}},"errors":null}}`)
	_, _ = decodeMessage(buf.Bytes())
	for {
		_, r, err := s.conn.NextReader()
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		at := time.Now()
		if err != nil {
			s.err = err
			return
		}
		b := buf.Bytes()
		m, ok := decodeMessage(b)
		if !ok {
			continue
		}
		switch m.Type {
		case "next":
			s.deliver(Event{At: at, Data: m.Payload.Data, Errors: m.Payload.Errors})
		case "error":
			s.deliver(Event{At: at, Errors: bytes.Clone(b)})
		case "ping":
			_ = s.conn.WriteJSON(map[string]string{"type": "pong"})
		case "complete":
			return
		}
	}
}

// message is a graphql-transport-ws message as a subscriber reads it.
type message struct {
	Type    string
	Payload struct {
		Data   json.RawMessage
		Errors json.RawMessage
	}
}

func decodeMessage(b []byte) (message, bool) {
	var m message
	err := json.Unmarshal(b, &m)
	return m, err == nil
}

func (s *Subscription) deliver(e Event) {
	if s.rec != nil {
		s.rec.record(s.slot, e)
		return
	}
	select {
	case s.events <- e:
	case <-s.done:
	}
}

// Events delivers the subscription's events (nil with SubscribeRecorded); it
// is closed when the connection ends.
func (s *Subscription) Events() <-chan Event { return s.events }

// Next waits for the next event.
func (s *Subscription) Next(ctx context.Context) (Event, error) {
	select {
	case e, ok := <-s.events:
		if !ok {
			return Event{}, fmt.Errorf("subscription ended: %v", s.err)
		}
		if len(e.Errors) > 0 && string(e.Errors) != "null" {
			return e, fmt.Errorf("subscription error: %s", e.Errors)
		}
		return e, nil
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

// Close closes the websocket.
func (s *Subscription) Close() {
	s.once.Do(func() { close(s.done); s.conn.Close() })
}

// jsonRaw keeps a response's data as it came.
type jsonRaw []byte

// UnmarshalJSON keeps a copy of b.
func (r *jsonRaw) UnmarshalJSON(b []byte) error { *r = append((*r)[:0], b...); return nil }

func (r jsonRaw) decode(v any) error { return json.Unmarshal(r, v) }
