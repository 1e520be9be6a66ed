package globalconf

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Notification is the push-channel message: configuration version (the
// central server's generation counter) Version with directory hash Hash
// (DirectoryHash) is out.
type Notification struct {
	Version int    `json:"version"`
	Hash    string `json:"hash"`
}

// Hub timings.
const (
	DefaultPingInterval = 30 * time.Second
	hubWriteWait        = 10 * time.Second
	hubSendQueue        = 8
	hubReadLimit        = 512
)

// Hub is the server side of the push channel GET /internalconf/watch (a
// Roadreg extension; polling alone still works). It sends the current
// notification on connect and every published one after, pings every
// PingInterval and drops a connection that does not answer within two
// intervals. Publish never blocks: a client whose send queue is full is
// dropped and will reconnect.
//
// The channel is server-to-server: requests without an Origin header are
// accepted; browser requests only from the allowed origins.
type Hub struct {
	// PingInterval is the keep-alive interval (default 30 s); set before use.
	PingInterval time.Duration

	allowed  map[string]bool
	upgrader websocket.Upgrader

	mu      sync.Mutex
	current *Notification
	clients map[*hubConn]struct{}
	closed  bool
}

type hubConn struct {
	ws   *websocket.Conn
	send chan Notification
	done chan struct{}
	once sync.Once
}

func (c *hubConn) close() {
	c.once.Do(func() { close(c.done) })
}

// NewHub returns a hub accepting browser connections only from
// allowedOrigins (scheme://host[:port]).
func NewHub(allowedOrigins ...string) *Hub {
	h := &Hub{PingInterval: DefaultPingInterval, allowed: make(map[string]bool), clients: make(map[*hubConn]struct{})}
	for _, o := range allowedOrigins {
		h.allowed[strings.ToLower(strings.TrimSuffix(o, "/"))] = true
	}
	h.upgrader = websocket.Upgrader{HandshakeTimeout: 10 * time.Second, CheckOrigin: h.checkOrigin}
	return h
}

func (h *Hub) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return h.allowed[strings.ToLower(u.Scheme+"://"+u.Host)]
}

// Publish announces a new version to every connected client and to clients
// that connect later.
func (h *Hub) Publish(version int, hash string) {
	n := Notification{Version: version, Hash: hash}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.current = &n
	for c := range h.clients {
		select {
		case c.send <- n:
		default: // too slow: drop, it reconnects and gets the current version
			delete(h.clients, c)
			c.close()
		}
	}
}

// Clients returns the number of connected clients.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Close disconnects every client and refuses new ones.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		delete(h.clients, c)
		c.close()
	}
}

// ServeHTTP upgrades GET /internalconf/watch to a websocket.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "The watch channel is a websocket (GET with Upgrade).", http.StatusMethodNotAllowed)
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered (403 for a foreign origin, 400 …)
	}
	c := &hubConn{ws: ws, send: make(chan Notification, hubSendQueue), done: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "shutting down"), time.Now().Add(time.Second))
		_ = ws.Close()
		return
	}
	if h.current != nil {
		c.send <- *h.current
	}
	h.clients[c] = struct{}{}
	ping := h.PingInterval
	h.mu.Unlock()

	go h.writeLoop(c, ping)
	h.readLoop(c, ping)
}

// readLoop discards client messages and keeps the read deadline moving with
// pongs; it ends the connection when the client goes away.
func (h *Hub) readLoop(c *hubConn, ping time.Duration) {
	defer h.remove(c)
	c.ws.SetReadLimit(hubReadLimit)
	_ = c.ws.SetReadDeadline(time.Now().Add(2 * ping))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(2 * ping)) })
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			return
		}
	}
}

func (h *Hub) writeLoop(c *hubConn, ping time.Duration) {
	ticker := time.NewTicker(ping)
	defer func() {
		ticker.Stop()
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
		_ = c.ws.Close()
		h.remove(c)
	}()
	for {
		select {
		case n := <-c.send:
			_ = c.ws.SetWriteDeadline(time.Now().Add(hubWriteWait))
			if err := c.ws.WriteJSON(n); err != nil {
				return
			}
		case <-ticker.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(hubWriteWait)); err != nil {
				return
			}
		case <-c.done:
			return
		}
	}
}

func (h *Hub) remove(c *hubConn) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
	c.close()
}
