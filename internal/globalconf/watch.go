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

// Watcher keeps the push channel to a central server open and reports every
// notification. It reconnects with exponential backoff and jitter.
type Watcher struct {
	// URL is the ws:// or wss:// watch URL (see WatchURL).
	URL string
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
	w := &Watcher{URL: watchURL, OnNotify: func(n Notification) { onNotify(n.Version, n.Hash) }}
	return w.Run(ctx)
}

// Run connects and reconnects until ctx is done, then returns ctx's error.
func (w *Watcher) Run(ctx context.Context) error {
	minB, maxB := w.MinBackoff, w.MaxBackoff
	if minB <= 0 {
		minB = DefaultMinBackoff
	}
	if maxB < minB {
		maxB = max(DefaultMaxBackoff, minB)
	}
	delay := minB
	for {
		connected, err := w.session(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && w.OnError != nil {
			w.OnError(err)
		}
		if connected {
			delay = minB
		}
		// Full jitter in [delay/2, delay].
		wait := delay/2 + rand.N(delay/2+1)
		delay = min(2*delay, maxB)
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
func (w *Watcher) session(ctx context.Context) (connected bool, err error) {
	d := w.Dialer
	if d == nil {
		d = &websocket.Dialer{HandshakeTimeout: 10 * time.Second, Proxy: websocket.DefaultDialer.Proxy}
	}
	conn, resp, err := d.DialContext(ctx, w.URL, nil)
	if err != nil {
		if resp != nil {
			return false, fmt.Errorf("watch %s: %w (HTTP %s)", w.URL, err, resp.Status)
		}
		return false, fmt.Errorf("watch %s: %w", w.URL, err)
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
			return true, fmt.Errorf("watch %s: %w", w.URL, err)
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
