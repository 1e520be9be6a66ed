package main

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Websocket close codes for a credential that ended.
const (
	// closeUnauthorized: the session or API key is gone (logged out,
	// expired, ended by an administrator, password changed, revoked).
	closeUnauthorized = 4401
	// closeForbidden: the user was disabled or their roles changed (also
	// the code for a connection_init without valid credentials, wsInit).
	closeForbidden = 4403
)

var errSessionEnded = xroad.Errorf(xroad.CodeUnauthenticated, "your session has ended; log in again")

// wsConns knows the open websockets by the credentials they were
// authenticated with, and ends them when one ends: the session (logout,
// expiry, an administrator), the API key (revoked) or what the user may
// do (disabled, other roles, new password). It also counts the open
// subscriptions.
type wsConns struct {
	auth *auth.Service

	mu    sync.Mutex
	conns map[credential]map[*wsConn]bool

	subscriptions atomic.Int64
}

// credential is a session, a user or an API key, by id.
type credential struct {
	kind string // "session", "user", "apikey"
	id   int
}

// credentials are the credentials v stands on.
func credentials(v *viewer.Viewer) []credential {
	var out []credential
	for _, c := range []credential{{"session", v.SessionID}, {"user", v.UserID}, {"apikey", v.APIKeyID}} {
		if c.id != 0 {
			out = append(out, c)
		}
	}
	return out
}

// newWSConns returns an empty registry that follows the credential
// events of b until ctx ends.
func newWSConns(ctx context.Context, svc *auth.Service, b *events.Broker) *wsConns {
	r := &wsConns{auth: svc, conns: map[credential]map[*wsConn]bool{}}
	sessions := b.Subscribe(ctx, events.SessionEnded)
	users := b.Subscribe(ctx, events.UserChanged)
	keys := b.Subscribe(ctx, events.APIKeyRevoked)
	go func() {
		for {
			select {
			case e, ok := <-sessions:
				if !ok {
					return
				}
				// A user disabled or re-roled loses their sessions too:
				// that says 4403, whichever event comes first.
				for _, c := range r.of(credential{"session", e.ID}) {
					go r.recheck(ctx, c, errSessionEnded)
				}
			case e, ok := <-keys:
				if !ok {
					return
				}
				r.endAll(credential{"apikey", e.ID}, auth.ErrBadAPIKey)
			case e, ok := <-users:
				if !ok {
					return
				}
				// Something changed, not said what: each connection's
				// credential is checked again.
				for _, c := range r.of(credential{"user", e.ID}) {
					go r.recheck(ctx, c, nil)
				}
			}
		}
	}()
	return r
}

// initFunc is next (the websocket's authentication) recording the
// connection under its viewer's credentials.
func (r *wsConns) initFunc(next transport.WebsocketInitFunc) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		ctx, ack, err := next(ctx, p)
		if c, v := wsConnFrom(ctx), viewer.FromContext(ctx); err == nil && c != nil && c.ws != nil && v != nil {
			r.add(ctx, c, v)
		}
		return ctx, ack, err
	}
}

// add records c, authenticated as v, until ctx (the connection's) ends.
func (r *wsConns) add(ctx context.Context, c *wsConn, v *viewer.Viewer) {
	c.mu.Lock()
	c.viewer = v
	c.mu.Unlock()
	r.mu.Lock()
	for _, cr := range credentials(v) {
		if r.conns[cr] == nil {
			r.conns[cr] = map[*wsConn]bool{}
		}
		r.conns[cr][c] = true
	}
	r.mu.Unlock()
	context.AfterFunc(ctx, func() { r.remove(c, v) })
	if v.SessionID != 0 {
		r.watchSession(c, v.SessionID)
	}
}

func (r *wsConns) remove(c *wsConn, v *viewer.Viewer) {
	r.mu.Lock()
	for _, cr := range credentials(v) {
		delete(r.conns[cr], c)
		if len(r.conns[cr]) == 0 {
			delete(r.conns, cr)
		}
	}
	r.mu.Unlock()
	c.mu.Lock()
	c.gone = true
	if c.timer != nil {
		c.timer.Stop()
	}
	c.mu.Unlock()
}

// of returns the connections authenticated with cr.
func (r *wsConns) of(cr credential) []*wsConn {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*wsConn
	for c := range r.conns[cr] {
		out = append(out, c)
	}
	return out
}

// endAll ends the connections authenticated with cr, each on its own (a
// close frame may wait for a full socket).
func (r *wsConns) endAll(cr credential, err error) {
	for _, c := range r.of(cr) {
		go c.end(err)
	}
}

// recheck ends c if its credential no longer stands as it did: with
// FORBIDDEN if its user's access changed, else with ended when an event
// said the credential ended, else with what the check found.
func (r *wsConns) recheck(ctx context.Context, c *wsConn, ended error) {
	c.mu.Lock()
	v := c.viewer
	c.mu.Unlock()
	err := r.auth.Recheck(ctx, v)
	_, gone := closeCode(err)
	switch {
	case xroad.IsCode(err, xroad.CodeForbidden):
		c.end(err)
	case ended != nil:
		c.end(ended)
	case gone:
		c.end(err)
	case err != nil:
		slog.WarnContext(ctx, "checking a websocket's credential again", "err", err)
	}
}

// watchSession ends c when its session's deadline (expiry or idle
// timeout) passes; HTTP requests of the session may move the deadline
// meanwhile, so it is read again when it comes.
func (r *wsConns) watchSession(c *wsConn, id int) {
	deadline, err := r.auth.SessionDeadline(context.Background(), id)
	if _, ended := closeCode(err); ended {
		c.end(err)
		return
	} else if err != nil {
		slog.Warn("reading a websocket's session deadline", "err", err)
		deadline = time.Now().Add(time.Minute) // and read it again then
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.gone {
		c.timer = time.AfterFunc(time.Until(deadline), func() { r.watchSession(c, id) })
	}
}

// end closes the connection with the close code for err, a credential
// that ended (closeCode), err's message as the reason.
func (c *wsConn) end(err error) {
	code, _ := closeCode(err)
	c.endOnce.Do(func() {
		_ = c.ws.WriteClose(code, xroad.Message(err))
		_ = c.ws.Close()
	})
}

// closeCode is the close code for a credential that ended with err:
// closeUnauthorized for UNAUTHENTICATED, closeForbidden for FORBIDDEN; ok
// is false for any other error (the check itself failed).
func closeCode(err error) (code int, ok bool) {
	switch xroad.CodeOf(err) {
	case xroad.CodeUnauthenticated:
		return closeUnauthorized, true
	case xroad.CodeForbidden:
		return closeForbidden, true
	}
	return closeUnauthorized, false
}
