package globalconf_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/testenv"
)

// wait is the generous bound for events that normally take milliseconds.
const wait = 10 * time.Second

func wsURL(srv *httptest.Server) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + globalconf.PathWatch
}

// startWatch runs a Watcher of urls and returns its notifications.
func startWatch(t *testing.T, urls ...string) (<-chan globalconf.Notification, context.CancelFunc) {
	t.Helper()
	ch := make(chan globalconf.Notification, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	w := &globalconf.Watcher{URLs: urls, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, OnNotify: func(n globalconf.Notification) { ch <- n }}
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
		case <-time.After(wait):
			t.Error("Run did not return after cancel")
		}
	})
	return ch, cancel
}

func expect(t *testing.T, ch <-chan globalconf.Notification, want globalconf.Notification) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case n := <-ch:
			if n == want {
				return
			}
		case <-deadline:
			t.Fatalf("no notification %+v", want)
		}
	}
}

func waitClients(t *testing.T, hub *globalconf.Hub, n int) {
	t.Helper()
	testenv.WaitFor(t, wait, fmt.Sprintf("%d hub clients", n), func() bool { return hub.Clients() == n })
}

func TestWatchNotifiedOnPublish(t *testing.T) {
	hub := globalconf.NewHub()
	t.Cleanup(hub.Close)
	srv := serve(t, globalconf.NewHandler(newPublisher(t), hub))
	hub.Publish(1, "h1") // before the client connects: sent on connect
	ch, _ := startWatch(t, wsURL(srv))
	expect(t, ch, globalconf.Notification{Version: 1, Hash: "h1"})
	hub.Publish(2, "h2")
	expect(t, ch, globalconf.Notification{Version: 2, Hash: "h2"})
}

func TestWatchReconnectsAfterRestart(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	start := func(l net.Listener, hub *globalconf.Hub) *httptest.Server {
		srv := httptest.NewUnstartedServer(hub)
		srv.Listener.Close()
		srv.Listener = l
		srv.Start()
		return srv
	}
	hub1 := globalconf.NewHub()
	srv1 := start(l, hub1)
	ch, _ := startWatch(t, "ws://"+addr+globalconf.PathWatch)
	hub1.Publish(1, "h1")
	expect(t, ch, globalconf.Notification{Version: 1, Hash: "h1"})

	hub1.Close()
	srv1.Close()
	l2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	hub2 := globalconf.NewHub()
	t.Cleanup(hub2.Close)
	srv2 := start(l2, hub2)
	t.Cleanup(srv2.Close)
	hub2.Publish(2, "h2")
	expect(t, ch, globalconf.Notification{Version: 2, Hash: "h2"})
}

// A watcher of several replicas keeps one connection; when that replica
// goes away it is on the next one within a second (well before any
// backoff), and it skips a replica that is down without waiting.
func TestWatchMovesToAnotherReplica(t *testing.T) {
	hubA, hubB := globalconf.NewHub(), globalconf.NewHub()
	t.Cleanup(hubB.Close)
	srvA := httptest.NewServer(hubA)
	srvB := serve(t, hubB)
	hubA.Publish(1, "h1")
	hubB.Publish(1, "h1")
	ch, _ := startWatch(t, "ws"+strings.TrimPrefix(srvA.URL, "http"), "ws"+strings.TrimPrefix(srvB.URL, "http"))
	expect(t, ch, globalconf.Notification{Version: 1, Hash: "h1"})
	waitClients(t, hubA, 1)
	if hubB.Clients() != 0 {
		t.Fatalf("the watcher is connected to %d replicas, want one", 1+hubB.Clients())
	}
	// Replica A dies (its connections end); B has published version 2
	// meanwhile: the watcher gets it on connecting to B.
	hubB.Publish(2, "h2")
	start := time.Now()
	hubA.Close()
	srvA.Close()
	expect(t, ch, globalconf.Notification{Version: 2, Hash: "h2"})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("moving to replica B took %s", d)
	}
	// A watcher whose first replica is down starts on the second at once.
	dead := "ws://127.0.0.1:1" + globalconf.PathWatch
	start = time.Now()
	ch2, _ := startWatch(t, dead, "ws"+strings.TrimPrefix(srvB.URL, "http"))
	expect(t, ch2, globalconf.Notification{Version: 2, Hash: "h2"})
	if d := time.Since(start); d > time.Second {
		t.Errorf("skipping the replica that is down took %s", d)
	}
}

func TestWatchOrigin(t *testing.T) {
	hub := globalconf.NewHub("https://admin.example.org")
	t.Cleanup(hub.Close)
	srv := serve(t, hub)
	for _, tt := range []struct {
		origin string
		ok     bool
	}{{"", true}, {"https://admin.example.org", true}, {"HTTPS://Admin.Example.org", true}, {"https://evil.example.org", false}, {"null", false}} {
		t.Run(tt.origin, func(t *testing.T) {
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			conn, resp, err := websocket.DefaultDialer.Dial(wsURL(srv), h)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				conn.Close()
				return
			}
			if err == nil {
				conn.Close()
				t.Fatal("foreign origin accepted")
			}
			if resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("foreign origin: %v, want 403", err)
			}
		})
	}
}

// A client that never reads must not block Publish, nor delay others; it is
// dropped once it misses pongs. A watcher answering pings stays connected.
func TestHubSlowClientDoesNotBlockPublish(t *testing.T) {
	hub := globalconf.NewHub()
	hub.PingInterval = 50 * time.Millisecond
	t.Cleanup(hub.Close)
	srv := serve(t, hub)
	stuck, _, err := websocket.DefaultDialer.Dial(wsURL(srv), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	waitClients(t, hub, 1)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= 20000; i++ {
			hub.Publish(i, strings.Repeat("h", 64))
		}
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Publish blocked on a client that does not read")
	}
	waitClients(t, hub, 0) // dropped: queue full or no pong

	ch, _ := startWatch(t, wsURL(srv))
	expect(t, ch, globalconf.Notification{Version: 20000, Hash: strings.Repeat("h", 64)})
	// A client that does not answer pings is dropped after two ping rounds
	// without a pong; the watcher, connected all along, answers them.
	silent, _, err := websocket.DefaultDialer.Dial(wsURL(srv), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	waitClients(t, hub, 2)
	waitClients(t, hub, 1)
	hub.Publish(20001, "last")
	expect(t, ch, globalconf.Notification{Version: 20001, Hash: "last"})
	if n := hub.Clients(); n != 1 {
		t.Errorf("hub has %d clients after ping rounds, want the watcher only", n)
	}
}

func TestWatchReturnsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- globalconf.Watch(ctx, "ws://127.0.0.1:1/internalconf/watch", func(int, string) {}) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Watch returned %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Watch did not return")
	}
}

func TestWatchURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://cs/internalconf", "ws://cs/internalconf/watch"},
		{"https://cs.example.org:8443/internalconf", "wss://cs.example.org:8443/internalconf/watch"},
		{"http://cs/internalconf/?version=6", "ws://cs/internalconf/watch"},
		{"ftp://cs/internalconf", ""},
	} {
		got, err := globalconf.WatchURL(tt.in)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("WatchURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
