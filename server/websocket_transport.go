package main

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/roadreg/roadreg/graph/fanout"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// maxOperationsPerConnection bounds the operations (subscriptions, and
// queries and mutations while they run) one websocket runs at once; more
// are refused with codeTooManySubscriptions.
const maxOperationsPerConnection = 100

const codeTooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS"

// websocketTransport is gqlgen's websocket transport on gorillaWebsocket.
// Each connection's state (wsConn) travels in the context of its
// connection_init and operations, where wsConns finds it: the InitFunc
// records the connection under its credentials, and the connection's
// operations go through wsExecutor. Identical subscriptions share one
// execution (fanout).
type websocketTransport struct {
	transport.Websocket
	impl   gorillaWebsocket
	conns  *wsConns
	groups *fanout.Groups
	// present turns a refusal into the error sent for the operation.
	present graphql.ErrorPresenterFunc
}

// Do serves one websocket connection.
func (t websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	c := &wsConn{}
	t.Implementation = acceptInto{t.impl, c}
	t.Websocket.Do(w, r.WithContext(context.WithValue(r.Context(), wsConnKey{}, c)), wsExecutor{t.groups.Executor(exec), t.conns, t.present})
}

// acceptInto accepts a connection and records it in c.
type acceptInto struct {
	gorillaWebsocket
	c *wsConn
}

func (a acceptInto) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := a.gorillaWebsocket.Accept(w, r, opts)
	a.c.ws = conn
	return conn, err
}

// wsConn is one websocket connection.
type wsConn struct {
	ws transport.WebsocketConn // set when accepted
	// operations counts the operations running (maxOperationsPerConnection).
	operations atomic.Int32
	endOnce    sync.Once

	mu     sync.Mutex
	viewer *viewer.Viewer // set at connection_init
	timer  *time.Timer    // the session's deadline
	gone   bool           // closed: no timer any more
}

type wsConnKey struct{}

func wsConnFrom(ctx context.Context) *wsConn {
	c, _ := ctx.Value(wsConnKey{}).(*wsConn)
	return c
}

// wsExecutor runs the operations of one websocket: at most
// maxOperationsPerConnection at once, each only while the connection's
// credential stands (checked as an HTTP request's is, when it starts).
type wsExecutor struct {
	graphql.GraphExecutor
	conns   *wsConns
	present graphql.ErrorPresenterFunc
}

func (e wsExecutor) DispatchOperation(ctx context.Context, opCtx *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	c := wsConnFrom(ctx)
	if c == nil {
		return e.GraphExecutor.DispatchOperation(ctx, opCtx)
	}
	for {
		n := c.operations.Load()
		if n >= maxOperationsPerConnection {
			return e.refuse(ctx, xroad.Errorf(codeTooManySubscriptions,
				"a websocket runs at most %d operations at once; complete one before starting another", maxOperationsPerConnection))
		}
		if c.operations.CompareAndSwap(n, n+1) {
			break
		}
	}
	if v := viewer.FromContext(ctx); v != nil {
		if err := e.conns.auth.Recheck(ctx, v); err != nil {
			c.operations.Add(-1)
			if _, ended := closeCode(err); ended {
				go c.end(err)
			}
			return e.refuse(ctx, err)
		}
	}
	context.AfterFunc(ctx, func() { c.operations.Add(-1) })
	handler, ctx := e.GraphExecutor.DispatchOperation(ctx, opCtx)
	if opCtx.Operation != nil && opCtx.Operation.Operation == ast.Subscription {
		// Counted once it listens: the executions that share its
		// responses have subscribed by the time a subscription of the
		// same connection is dispatched.
		e.conns.subscriptions.Add(1)
		context.AfterFunc(ctx, func() { e.conns.subscriptions.Add(-1) })
	}
	return handler, ctx
}

// refuse answers an operation with err (gqlgen sends it as the
// operation's error message) and runs nothing.
func (e wsExecutor) refuse(ctx context.Context, err error) (graphql.ResponseHandler, context.Context) {
	transport.AddSubscriptionError(ctx, e.present(ctx, err))
	return func(context.Context) *graphql.Response { return nil }, ctx
}
