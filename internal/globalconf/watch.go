package globalconf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Watcher defaults.
const (
	DefaultMinBackoff  = 500 * time.Millisecond
	DefaultMaxBackoff  = 30 * time.Second
	DefaultIdleTimeout = 2*DefaultPingInterval + 15*time.Second
)

// WatchURL derives the push-channel URL from an anchor download URL:
// http://cs/internalconf → ws://cs/internalconf/watch (https → wss).
func WatchURL(downloadURL string) (string, error) {
	u, err := url.Parse(downloadURL)
	if err != nil {
		return "", fmt.Errorf("download URL %q: %w", downloadURL, err)
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("download URL %q is not an http(s) URL", downloadURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/watch"
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	return u.String(), nil
}

// Watcher keeps one push channel to a central server open and reports
// every notification. Given the watch URLs of several addresses of the
// central server (its replicas), it connects to the first that answers;
// when that connection ends it moves to the next address within
// MinBackoff (with jitter, so that the watchers of a replica that went away
// do not all arrive at the next one at the same moment), and backs off
// exponentially, with jitter, only once every address has failed in a row.
// On connecting, the central server sends the current version, so a
// version announced while the watcher was moving is not missed.
type Watcher struct {
	// URLs are the ws:// or wss:// watch URLs (see WatchURL), tried in
	// order.
	URLs []string
	// OnNotify is called for every notification, from the watcher's
	// goroutine; it should return quickly (e.g. signal a channel).
	OnNotify func(Notification)
	// OnError, when set, is told why a connection attempt or connection ended.
	OnError func(error)
	// Dialer is the websocket dialer (nil: 10 s handshake timeout and the
	// environment's proxy settings). Set TLSClientConfig for wss.
	Dialer *websocket.Dialer
	// MinBackoff and MaxBackoff bound the reconnect delay (defaults 0.5 s, 30 s).
	MinBackoff, MaxBackoff time.Duration
	// IdleTimeout drops a connection on which nothing (not even a ping)
	// arrived for this long (default 75 s).
	IdleTimeout time.Duration
}

// Watch keeps the watch channel at watchURL open until ctx is done, calling
// onNotify for every announced version. It returns ctx's error.
func Watch(ctx context.Context, watchURL string, onNotify func(version int, hash string)) error {
	w := &Watcher{URLs: []string{watchURL}, OnNotify: func(n Notification) { onNotify(n.Version, n.Hash) }}
	return w.Run(ctx)
}

// Run connects and reconnects until ctx is done, then returns ctx's error.
func (w *Watcher) Run(ctx context.Context) error {
	if len(w.URLs) == 0 {
		<-ctx.Done()
		return ctx.Err()
	}
	minB, maxB := w.MinBackoff, w.MaxBackoff
	if minB <= 0 {
		minB = DefaultMinBackoff
	}
	if maxB < minB {
		maxB = max(DefaultMaxBackoff, minB)
	}
	delay, next, misses := minB, 0, 0
	for {
		connected, err := w.session(ctx, w.URLs[next])
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && w.OnError != nil {
			w.OnError(err)
		}
		next = (next + 1) % len(w.URLs)
		var wait time.Duration
		switch {
		case connected:
			delay, misses = minB, 0
			wait = rand.N(minB)
		case (misses+1)%len(w.URLs) != 0:
			misses++ // the next address at once
		default:
			misses++
			// Full jitter in [delay/2, delay].
			wait = delay/2 + rand.N(delay/2+1)
			delay = min(2*delay, maxB)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// session runs one connection; connected reports whether the handshake
// succeeded.
func (w *Watcher) session(ctx context.Context, url string) (connected bool, err error) {
	d := w.Dialer
	if d == nil {
		d = &websocket.Dialer{HandshakeTimeout: 10 * time.Second, Proxy: websocket.DefaultDialer.Proxy}
	}
	conn, resp, err := d.DialContext(ctx, url, nil)
	if err != nil {
		if resp != nil {
			return false, fmt.Errorf("watch %s: %w (HTTP %s)", url, err, resp.Status)
		}
		return false, fmt.Errorf("watch %s: %w", url, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	idle := w.IdleTimeout
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	conn.SetReadLimit(4096)
	_ = conn.SetReadDeadline(time.Now().Add(idle))
	conn.SetPingHandler(func(data string) error {
		_ = conn.SetReadDeadline(time.Now().Add(idle))
		err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(hubWriteWait))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return true, fmt.Errorf("watch %s: %w", url, err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(idle))
		var n Notification
		if err := json.Unmarshal(msg, &n); err != nil || n.Hash == "" {
			continue // not ours; the channel may grow other messages
		}
		if w.OnNotify != nil {
			w.OnNotify(n)
		}
	}
}
