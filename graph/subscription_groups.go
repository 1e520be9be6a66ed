package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// SubscriptionGroups runs identical subscriptions once. Subscriptions with
// the same operation (query text, operation name, variables) whose viewers
// have the same server and roles get the same responses: the privacy
// rules and @allowed decide by those alone (see viewerKey). The first
// subscriber of such a group starts one execution; every response it
// produces is rendered once and handed to all members, instead of each
// subscriber loading, resolving and rendering every event itself. A
// member that does not keep up loses responses (counted in Dropped), as a
// slow broker subscriber loses events; it never delays the others.
//
// Queries and mutations pass through untouched.
type SubscriptionGroups struct {
	mu      sync.Mutex
	groups  map[string]*subGroup
	dropped atomic.Int64
	// atOnce and queued count the responses handed to members: written
	// at once by the group, or to the member's channel.
	atOnce, queued atomic.Int64
}

// memberBuffer is how many responses a member may fall behind.
const memberBuffer = 16

// maxReplay bounds the error responses a group keeps for late joiners.
const maxReplay = 4

type subGroup struct {
	key    string
	cancel context.CancelFunc

	// Guarded by SubscriptionGroups.mu. members holds each member's place
	// in list, which keeps them in the order they joined (but for the
	// last one moving into the place of one who leaves): deliveries walk
	// the members' connections in the order they were made, which is
	// the order of their memory.
	members map[*groupMember]int
	list    []*groupMember
	// replay holds the error-only responses sent so far (an @allowed
	// refusal, say), so that a member joining after them gets them too.
	replay []*rendered
	ended  bool
}

type groupMember struct {
	ch chan *rendered // closed when the member leaves or the group's stream ends

	// try writes a rendered response at once if the member's connection
	// can take it without waiting (direct delivery; nil otherwise).
	// pending counts the responses handed to ch and not yet written: the
	// group tries only when it is zero, so responses keep their order.
	try     func(response []byte) bool
	pending atomic.Int32
}

// rendered is one response of a group with its JSON encoding, made once
// for all members (nil when it cannot be encoded: the transport then
// reports the response its own way).
type rendered struct {
	r    *graphql.Response
	json []byte
}

func render(r *graphql.Response) *rendered {
	b, err := json.Marshal(r)
	if err != nil {
		b = nil
	}
	return &rendered{r: r, json: b}
}

// Direct delivery. gqlgen's websocket transport encodes each response for
// each subscriber again (the response, then the message around it, under
// its connection lock). A transport that can write a rendered response
// itself says so with a ResponseWriter in the connection's context
// (WithResponseWriter) and the subscription's id in the operation's
// extensions (SubscriptionIDExtension, which it sets from the message and
// never takes from the client). A member with both writes the group's
// rendered responses from its handler; the transport then sees only the
// end of the stream, and completes the subscription as usual.

// SubscriptionIDExtension is the operation extension carrying the id of
// the websocket subscription an operation was started by.
const SubscriptionIDExtension = "roadreg.subscriptionId"

// A ResponseWriter writes a rendered response (the JSON of a
// graphql.Response) as the next message of subscription id on its
// connection.
type ResponseWriter interface {
	WriteResponse(id string, response []byte) error
}

// A ResponseTryWriter is a ResponseWriter that can also write without
// waiting. The group then writes each response to such members itself
// (from one goroutine per processor) instead of waking a goroutine per
// subscriber; a member whose connection cannot take the response at once
// (a slow reader, say) gets it on its channel as before, and nothing is
// tried for it until it has written what it holds.
type ResponseTryWriter interface {
	ResponseWriter
	// TryWriteResponse writes as WriteResponse does if the connection can
	// take the message now, and reports whether it did; false means
	// nothing was written. It must not block.
	TryWriteResponse(id string, response []byte) bool
}

type responseWriterKey struct{}

// WithResponseWriter returns ctx carrying w for the subscriptions of one
// connection.
func WithResponseWriter(ctx context.Context, w ResponseWriter) context.Context {
	return context.WithValue(ctx, responseWriterKey{}, w)
}

// directWriter returns how to deliver the responses of the operation
// straight to its connection, if its transport offered that.
func directWriter(ctx context.Context, opCtx *graphql.OperationContext) (ResponseWriter, string, bool) {
	w, _ := ctx.Value(responseWriterKey{}).(ResponseWriter)
	id, _ := opCtx.Extensions[SubscriptionIDExtension].(string)
	return w, id, w != nil && id != ""
}

// NewSubscriptionGroups returns an empty set of groups; one serves a
// whole GraphQL handler.
func NewSubscriptionGroups() *SubscriptionGroups {
	return &SubscriptionGroups{groups: map[string]*subGroup{}}
}

// Executor wraps exec so that its subscriptions are grouped.
func (s *SubscriptionGroups) Executor(exec graphql.GraphExecutor) graphql.GraphExecutor {
	return groupingExecutor{GraphExecutor: exec, groups: s}
}

// Groups returns the number of running groups and their members.
func (s *SubscriptionGroups) Groups() (groups, members int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.groups {
		members += len(g.members)
	}
	return len(s.groups), members
}

// Dropped returns how many responses slow members lost so far.
func (s *SubscriptionGroups) Dropped() int64 { return s.dropped.Load() }

// Delivered returns how many responses members got so far: written at
// once by the group (direct delivery), and through their channels.
func (s *SubscriptionGroups) Delivered() (atOnce, queued int64) {
	return s.atOnce.Load(), s.queued.Load()
}

type groupingExecutor struct {
	graphql.GraphExecutor
	groups *SubscriptionGroups
}

// DispatchOperation joins a subscription to its group (starting the group
// if it is the first); other operations run as they are.
func (e groupingExecutor) DispatchOperation(ctx context.Context, opCtx *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	if opCtx == nil || opCtx.Operation == nil || opCtx.Operation.Operation != ast.Subscription {
		return e.GraphExecutor.DispatchOperation(ctx, opCtx)
	}
	key, ok := groupKey(ctx, opCtx)
	if !ok {
		return e.GraphExecutor.DispatchOperation(ctx, opCtx)
	}
	w, id, direct := directWriter(ctx, opCtx)
	m := &groupMember{ch: make(chan *rendered, memberBuffer)}
	if tw, ok := w.(ResponseTryWriter); ok && direct {
		m.try = func(response []byte) bool { return tw.TryWriteResponse(id, response) }
	}
	e.groups.join(ctx, key, m, func(gctx context.Context) (graphql.ResponseHandler, context.Context) {
		return e.GraphExecutor.DispatchOperation(gctx, opCtx)
	})
	// Leaving closes the member's channel, so the handler waits on that
	// channel alone (the transport calls it with the context returned
	// here); a response taken after the subscription ended is dropped.
	stop := context.AfterFunc(ctx, func() { e.groups.leave(key, m) })
	return func(hctx context.Context) *graphql.Response {
		for hctx.Err() == nil {
			d, ok := <-m.ch
			if !ok || hctx.Err() != nil {
				break
			}
			if !direct || d.json == nil {
				// The transport writes it. (A direct member then keeps
				// a pending response for good: the group no longer
				// tries, and its responses stay in order behind it.)
				return d.r
			}
			err := w.WriteResponse(id, d.json)
			m.pending.Add(-1)
			if err != nil {
				break // the connection is gone; the transport notices too
			}
		}
		if stop() {
			e.groups.leave(key, m)
		}
		return nil
	}, ctx
}

// groupKey identifies the subscriptions that get the same responses.
// Variables that cannot be encoded opt out of grouping.
func groupKey(ctx context.Context, opCtx *graphql.OperationContext) (string, bool) {
	vars, err := json.Marshal(opCtx.Variables) // maps encode with sorted keys
	if err != nil {
		return "", false
	}
	k, err := json.Marshal([]string{viewerKey(ctx), opCtx.OperationName, opCtx.RawQuery, string(vars)})
	return string(k), err == nil
}

// join adds a member to the group of key, starting the group with start
// when there is none. The group's execution runs in a context that keeps
// the first member's values (viewer, operation) but not its cancellation:
// it ends when the last member leaves or the stream ends.
func (s *SubscriptionGroups) join(ctx context.Context, key string, m *groupMember, start func(context.Context) (graphql.ResponseHandler, context.Context)) {
	s.mu.Lock()
	if g := s.groups[key]; g != nil {
		for _, r := range g.replay {
			m.pending.Add(1)
			m.ch <- r
		}
		g.add(m)
		s.mu.Unlock()
		return
	}
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &subGroup{key: key, cancel: cancel, members: map[*groupMember]int{}}
	g.add(m)
	s.groups[key] = g
	s.mu.Unlock()

	// The execution subscribes (or refuses) as it would for a single
	// subscriber, outside the lock; members joining meanwhile miss
	// nothing, since responses flow only once run starts.
	defer func() {
		if r := recover(); r != nil {
			s.end(g)
			panic(r)
		}
	}()
	next, rctx := start(gctx)
	go s.run(g, next, rctx)
}

// add makes m a member (at the end of the list).
func (g *subGroup) add(m *groupMember) {
	g.members[m] = len(g.list)
	g.list = append(g.list, m)
}

// remove takes m out of the group, reporting whether it was a member.
func (g *subGroup) remove(m *groupMember) bool {
	i, ok := g.members[m]
	if !ok {
		return false
	}
	last := g.list[len(g.list)-1]
	g.list[i], g.members[last] = last, i
	g.list[len(g.list)-1] = nil
	g.list = g.list[:len(g.list)-1]
	delete(g.members, m)
	return true
}

// leave removes a member and closes its channel; the last one to leave
// ends the group.
func (s *SubscriptionGroups) leave(key string, m *groupMember) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[key]
	if g == nil {
		return
	}
	if !g.remove(m) {
		return
	}
	// Responses it has not taken yet are not for it any more: its
	// subscription is over (the transport may already have sent complete).
	for len(m.ch) > 0 {
		<-m.ch
	}
	close(m.ch)
	if len(g.members) == 0 {
		delete(s.groups, key)
		g.ended = true
		g.cancel()
	}
}

// run hands each response of the group's execution to its members and,
// when the stream ends, closes their channels (each then completes).
func (s *SubscriptionGroups) run(g *subGroup, next graphql.ResponseHandler, ctx context.Context) {
	for {
		r := next(ctx)
		if r == nil {
			break
		}
		s.broadcast(g, render(r)) // outside the lock
	}
	s.end(g)
}

// end removes the group and closes its members' channels (each member's
// subscription then completes).
func (s *SubscriptionGroups) end(g *subGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.groups[g.key] == g {
		delete(s.groups, g.key)
	}
	g.ended = true
	for _, m := range g.list {
		close(m.ch)
	}
	g.members, g.list = nil, nil
	g.cancel()
}

func (s *SubscriptionGroups) broadcast(g *subGroup, d *rendered) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g.ended {
		return
	}
	if isErrorOnly(d.r) && len(g.replay) < maxReplay {
		g.replay = append(g.replay, d)
	}
	// Writing to a socket is mostly kernel work (on loopback it includes
	// the receiver's side): share the members among the processors, each
	// taking a stretch of them.
	members := g.list
	workers := min(runtime.GOMAXPROCS(0), 1+len(members)/membersPerWorker)
	var wg sync.WaitGroup
	for w := range workers {
		part := members[w*len(members)/workers : (w+1)*len(members)/workers]
		wg.Go(func() {
			for _, m := range part {
				s.deliver(m, d)
			}
		})
	}
	wg.Wait()
}

// membersPerWorker is how many members make it worth another goroutine
// to deliver a response.
const membersPerWorker = 256

// deliver writes d to m's connection if it takes it at once, else hands
// it to m's channel (dropping it if m is too far behind).
func (s *SubscriptionGroups) deliver(m *groupMember, d *rendered) {
	if m.try != nil && d.json != nil && m.pending.Load() == 0 && m.try(d.json) {
		s.atOnce.Add(1)
		return
	}
	m.pending.Add(1)
	select {
	case m.ch <- d:
		s.queued.Add(1)
	default:
		m.pending.Add(-1)
		if s.dropped.Add(1) == 1 {
			slog.Warn("a subscriber does not keep up; it loses events")
		}
	}
}

func isErrorOnly(r *graphql.Response) bool {
	return len(r.Errors) > 0 && (len(r.Data) == 0 || string(r.Data) == "null")
}
