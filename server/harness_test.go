package main

// The GraphQL-level test harness: real servers on 127.0.0.1:0 (SQLite, or
// PostgreSQL under ROADREG_TEST_DB=postgres), users with roles, a client
// with a cookie jar or an API key, and graphql-ws subscriptions over
// gorilla/websocket.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gqlclient "github.com/99designs/gqlgen/client"
	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

const testPassword = "correct horse battery"

func init() {
	// Password hashes at test cost: at argon2id's real cost (which
	// internal/auth's tests check) they take most of this package's time.
	auth.UseTestPasswordCost()
}

type testServer struct {
	t    testing.TB
	app  *app
	URL  string
	stop func(t testing.TB)
}

// startServer runs a server of the given role until the test ends.
func startServer(t testing.TB, role viewer.ServerRole, opts ...func(*config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	cfg := &config{
		Role: role, Listen: "127.0.0.1:0", DataDir: dir, DB: testenv.DB(t).URL,
		LogFormat: "text", LogLevel: "warn", Introspection: true,
		FrontendDir: filepath.Join(dir, "no-frontend"), ConfInterval: time.Minute, ConfExpire: 10 * time.Minute,
		RateLimitPerMin: 1000, ConfPoll: time.Minute, Watch: true,
	}
	for _, o := range opts {
		o(cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listen = l.Addr().String()
	a, err := newApp(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("starting %s server: %v", role, err)
	}
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, l) }()
	var once sync.Once
	stop := func(t testing.TB) {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("server: %v", err)
			}
			a.close()
		})
	}
	t.Cleanup(func() { stop(t) })
	return &testServer{t: t, app: a, URL: "http://" + l.Addr().String(), stop: stop}
}

// user creates a user with the roles and returns a client logged in as it.
func (s *testServer) user(t testing.TB, name string, roles ...viewer.Role) *gqlClient {
	t.Helper()
	var rs []string
	for _, r := range roles {
		rs = append(rs, string(r))
	}
	if _, err := s.app.auth.AddUser(viewer.SystemContext(context.Background(), s.app.cfg.Role), name, testPassword, rs, false); err != nil {
		t.Fatalf("adding user %s: %v", name, err)
	}
	c := s.anonymous()
	if status, body := c.login(t, name, testPassword); status != http.StatusOK {
		t.Fatalf("login %s: %d %s", name, status, body)
	}
	return c
}

// apiKeyClient returns a client authenticating with a new API key.
func (s *testServer) apiKeyClient(t testing.TB, roles ...viewer.Role) *gqlClient {
	t.Helper()
	var rs []string
	for _, r := range roles {
		rs = append(rs, string(r))
	}
	key, _, err := s.app.auth.CreateAPIKey(viewer.SystemContext(context.Background(), s.app.cfg.Role), "test", rs)
	if err != nil {
		t.Fatal(err)
	}
	c := s.anonymous()
	c.bearer = key
	return c
}

// anonymous returns a client that is not logged in. On a server running in
// this process its GraphQL operations run in process, through gqlgen's
// client on the server's whole handler (authentication, origin checks and
// limits included) without a network round trip; logging in, websockets and
// the tests' own HTTP requests use the listener.
func (s *testServer) anonymous() *gqlClient {
	jar, _ := cookiejar.New(nil)
	c := &gqlClient{base: s.URL, http: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
	if s.app != nil {
		// The request names the server's own address, as one over the
		// listener does (the host check answers only known names).
		host := strings.TrimPrefix(s.URL, "http://")
		c.inProcess = gqlclient.New(s.app.handler, gqlclient.Path("/graphql"),
			func(r *gqlclient.Request) { r.HTTP.Host = host })
	}
	return c
}

type gqlClient struct {
	base      string
	http      *http.Client
	bearer    string
	inProcess *gqlclient.Client // nil: operations go over HTTP
}

func (c *gqlClient) login(t testing.TB, user, password string) (int, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := c.http.Post(c.base+"/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	raw    string
}

// code is the extensions.code of the first error ("" when none).
func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do runs an operation and returns the decoded response.
func (c *gqlClient) do(t testing.TB, query string, vars map[string]any) gqlResponse {
	t.Helper()
	if c.inProcess != nil {
		return c.doInProcess(t, query, vars)
	}
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.base+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var r gqlResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, body)
	}
	r.Status, r.raw = resp.StatusCode, string(body)
	return r
}

// doInProcess runs an operation through gqlgen's client with the client's
// credentials (session cookie, API key).
func (c *gqlClient) doInProcess(t testing.TB, query string, vars map[string]any) gqlResponse {
	t.Helper()
	var opts []gqlclient.Option
	for k, v := range vars {
		opts = append(opts, gqlclient.Var(k, v))
	}
	if c.bearer != "" {
		opts = append(opts, gqlclient.AddHeader("Authorization", "Bearer "+c.bearer))
	}
	if ck := c.cookieHeader(); ck != "" {
		opts = append(opts, gqlclient.AddHeader("Cookie", ck))
	}
	r := gqlResponse{Status: http.StatusOK}
	resp, err := c.inProcess.RawPost(query, opts...)
	var body []byte
	if err != nil {
		// gqlgen's client reports a status of 400 and above as "http N: body".
		msg := err.Error()
		i := strings.Index(msg, ": ")
		if _, serr := fmt.Sscanf(msg, "http %d:", &r.Status); serr != nil || i < 0 {
			t.Fatalf("POST /graphql in process: %v", err)
		}
		body = []byte(msg[i+2:])
	} else {
		body, _ = json.Marshal(map[string]any{"data": resp.Data, "errors": resp.Errors, "extensions": resp.Extensions})
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("response is not JSON (%d): %s", r.Status, body)
	}
	r.raw = string(body)
	return r
}

// ok runs an operation that must succeed and decodes data into v.
func (c *gqlClient) ok(t testing.TB, query string, vars map[string]any, v any) {
	t.Helper()
	r := c.do(t, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("operation failed: %s\n%s", r.raw, query)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			t.Fatalf("decoding %s: %v", r.Data, err)
		}
	}
}

// fails runs an operation that must fail with code.
func (c *gqlClient) fails(t testing.TB, code, query string, vars map[string]any) gqlResponse {
	t.Helper()
	r := c.do(t, query, vars)
	if r.code() != code {
		t.Fatalf("want error %s, got %s", code, r.raw)
	}
	return r
}

// cookieHeader returns the Cookie header the client would send.
func (c *gqlClient) cookieHeader() string {
	u, _ := url.Parse(c.base)
	var parts []string
	for _, ck := range c.http.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// subscription is a graphql-ws subscription (either subprotocol).
type subscription struct {
	conn     *websocket.Conn
	protocol string
	msgs     chan map[string]any
	closeErr chan error
}

// waitSubscriptions waits until the server has exactly n open GraphQL
// subscriptions: a subscription started over a websocket receives the
// events published after it is counted.
func (s *testServer) waitSubscriptions(t testing.TB, n int) {
	t.Helper()
	testenv.WaitFor(t, 10*time.Second, fmt.Sprintf("%d open subscriptions", n), func() bool {
		return s.app.wsConns.subscriptions.Load() == int64(n)
	})
}

// wsOptions say how a websocket authenticates.
type wsOptions struct {
	protocol  string // "graphql-transport-ws" (default) or "graphql-ws"
	useCookie bool   // send the session cookie on the upgrade request
	bearer    string // connectionParams.Authorization = "Bearer …"
	origin    string
}

// dialWS opens a websocket to /graphql and sends connection_init.
func (c *gqlClient) dialWS(t testing.TB, o wsOptions) (*subscription, *http.Response, error) {
	t.Helper()
	if o.protocol == "" {
		o.protocol = "graphql-transport-ws"
	}
	h := http.Header{}
	if o.useCookie {
		h.Set("Cookie", c.cookieHeader())
	}
	if o.origin != "" {
		h.Set("Origin", o.origin)
	}
	d := websocket.Dialer{Subprotocols: []string{o.protocol}, HandshakeTimeout: 10 * time.Second}
	conn, resp, err := d.Dial(strings.Replace(c.base, "http", "ws", 1)+"/graphql", h)
	if err != nil {
		return nil, resp, err
	}
	s := &subscription{conn: conn, protocol: o.protocol, msgs: make(chan map[string]any, 100), closeErr: make(chan error, 1)}
	go s.readLoop()
	payload := map[string]any{}
	if o.bearer != "" {
		payload["Authorization"] = "Bearer " + o.bearer
	}
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { conn.Close() })
	return s, resp, nil
}

func (s *subscription) readLoop() {
	for {
		var m map[string]any
		if err := s.conn.ReadJSON(&m); err != nil {
			s.closeErr <- err
			close(s.msgs)
			return
		}
		s.msgs <- m
	}
}

// waitAck waits for connection_ack; it returns the close error if the
// server closed the socket instead.
func (s *subscription) waitAck(t testing.TB) error {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m, ok := <-s.msgs:
			if !ok {
				return <-s.closeErr
			}
			if m["type"] == "connection_ack" {
				return nil
			}
		case <-timeout:
			t.Fatal("no connection_ack within 10 s")
		}
	}
}

// start subscribes with id "1".
func (s *subscription) start(t testing.TB, query string, vars map[string]any) {
	t.Helper()
	typ := "subscribe"
	if s.protocol == "graphql-ws" {
		typ = "start"
	}
	if err := s.conn.WriteJSON(map[string]any{"id": "1", "type": typ, "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatal(err)
	}
}

// next returns the data of the next event, failing after timeout.
func (s *subscription) next(t testing.TB, timeout time.Duration) (data json.RawMessage, errs []any) {
	t.Helper()
	s.until(t, timeout, "event", func(m map[string]any) bool {
		switch m["type"] {
		case "next", "data":
			p, _ := m["payload"].(map[string]any)
			errs, _ = p["errors"].([]any)
			data, _ = json.Marshal(p["data"])
			return true
		case "error":
			b, _ := json.Marshal(m["payload"])
			errs = []any{string(b)}
			return true
		}
		return false
	})
	return data, errs
}

// until reads messages until done says so, failing if the socket closes
// or nothing done accepts (what it waits for) arrives within timeout.
func (s *subscription) until(t testing.TB, timeout time.Duration, what string, done func(m map[string]any) bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-s.msgs:
			if !ok {
				t.Fatalf("socket closed: %v", <-s.closeErr)
			}
			if done(m) {
				return
			}
		case <-deadline:
			t.Fatalf("no %s within %s", what, timeout)
		}
	}
}

// quiet asserts no event arrives within d.
func (s *subscription) quiet(t testing.TB, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case m, ok := <-s.msgs:
			if !ok {
				return
			}
			if m["type"] == "next" || m["type"] == "data" {
				t.Fatalf("unexpected event %v", m)
			}
		case <-deadline:
			return
		}
	}
}
