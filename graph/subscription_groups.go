package graph

import (
	"context"
	"encoding/json"
	"log/slog"
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
}

// memberBuffer is how many responses a member may fall behind.
const memberBuffer = 16

// maxReplay bounds the error responses a group keeps for late joiners.
const maxReplay = 4

type subGroup struct {
	key    string
	cancel context.CancelFunc

	// Guarded by SubscriptionGroups.mu.
	members map[*groupMember]struct{}
	// replay holds the error-only responses sent so far (an @allowed
	// refusal, say), so that a member joining after them gets them too.
	replay []*graphql.Response
	ended  bool
}

type groupMember struct {
	ch chan *graphql.Response // closed when the member leaves or the group's stream ends
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
	m := e.groups.join(ctx, key, func(gctx context.Context) (graphql.ResponseHandler, context.Context) {
		return e.GraphExecutor.DispatchOperation(gctx, opCtx)
	})
	// Leaving closes the member's channel, so the handler waits on that
	// channel alone (the transport calls it with the context returned
	// here); a response taken after the subscription ended is dropped.
	stop := context.AfterFunc(ctx, func() { e.groups.leave(key, m) })
	return func(hctx context.Context) *graphql.Response {
		if hctx.Err() == nil {
			if r, ok := <-m.ch; ok && hctx.Err() == nil {
				return r
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
func (s *SubscriptionGroups) join(ctx context.Context, key string, start func(context.Context) (graphql.ResponseHandler, context.Context)) *groupMember {
	m := &groupMember{ch: make(chan *graphql.Response, memberBuffer)}
	s.mu.Lock()
	if g := s.groups[key]; g != nil {
		for _, r := range g.replay {
			m.ch <- r
		}
		g.members[m] = struct{}{}
		s.mu.Unlock()
		return m
	}
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &subGroup{key: key, cancel: cancel, members: map[*groupMember]struct{}{m: {}}}
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
	return m
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
	if _, ok := g.members[m]; !ok {
		return
	}
	delete(g.members, m)
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
		s.broadcast(g, r)
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
	for m := range g.members {
		close(m.ch)
	}
	g.members = nil
	g.cancel()
}

func (s *SubscriptionGroups) broadcast(g *subGroup, r *graphql.Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g.ended {
		return
	}
	if isErrorOnly(r) && len(g.replay) < maxReplay {
		g.replay = append(g.replay, r)
	}
	for m := range g.members {
		select {
		case m.ch <- r:
		default:
			if s.dropped.Add(1) == 1 {
				slog.Warn("a subscriber does not keep up; it loses events")
			}
		}
	}
}

func isErrorOnly(r *graphql.Response) bool {
	return len(r.Errors) > 0 && (len(r.Data) == 0 || string(r.Data) == "null")
}
