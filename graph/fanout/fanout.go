// Package fanout runs identical GraphQL subscriptions once. Subscriptions
// with the same operation (query text, operation name, variables) whose
// viewers have the same server and roles get the same responses — the
// privacy rules and @allowed decide by those alone — so the first of them
// starts one execution, and every response it produces goes to all of
// them: each event is loaded and resolved once, not once per subscriber.
//
// It is a graphql.GraphExecutor wrapper: a transport dispatches the
// operation as usual and writes the responses the handler returns.
// Queries and mutations pass through.
package fanout

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/roadreg/roadreg/internal/viewer"
)

// memberBuffer is how many responses a subscriber may fall behind; one
// that falls further loses responses (Dropped), as a slow broker
// subscriber loses events, and never delays the others.
const memberBuffer = 16

// Groups are the running executions of one GraphQL handler.
type Groups struct {
	mu      sync.Mutex
	groups  map[string]*group
	dropped atomic.Int64
}

type group struct {
	key    string
	cancel context.CancelFunc
	// members, guarded by Groups.mu, are in the order they joined (but for
	// the last one taking the place of one who leaves): responses reach
	// the connections in the order they were made, which is the order of
	// their memory.
	members []*member
}

type member struct {
	ch chan *graphql.Response // closed when the group's stream ends
	i  int                    // place in group.members
}

// add appends m to the members. Call with Groups.mu held.
func (g *group) add(m *member) {
	m.i = len(g.members)
	g.members = append(g.members, m)
}

// remove takes m out of the members. Call with Groups.mu held.
func (g *group) remove(m *member) {
	if m.i >= len(g.members) || g.members[m.i] != m {
		return // gone with the group
	}
	last := g.members[len(g.members)-1]
	g.members[m.i], last.i = last, m.i
	g.members[len(g.members)-1] = nil
	g.members = g.members[:len(g.members)-1]
}

// New returns an empty set of groups.
func New() *Groups { return &Groups{groups: map[string]*group{}} }

// Executor returns exec with its subscriptions grouped.
func (s *Groups) Executor(exec graphql.GraphExecutor) graphql.GraphExecutor {
	return executor{GraphExecutor: exec, groups: s}
}

// Executions returns how many executions run.
func (s *Groups) Executions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.groups)
}

// Dropped returns how many responses slow subscribers lost so far.
func (s *Groups) Dropped() int64 { return s.dropped.Load() }

type executor struct {
	graphql.GraphExecutor
	groups *Groups
}

// DispatchOperation joins a subscription to its group, starting the group
// if there is none; the handler returns the group's responses.
func (e executor) DispatchOperation(ctx context.Context, opCtx *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	if opCtx == nil || opCtx.Operation == nil || opCtx.Operation.Operation != ast.Subscription {
		return e.GraphExecutor.DispatchOperation(ctx, opCtx)
	}
	key, ok := groupKey(ctx, opCtx)
	if !ok {
		return e.GraphExecutor.DispatchOperation(ctx, opCtx)
	}
	m := &member{ch: make(chan *graphql.Response, memberBuffer)}
	g := e.groups.join(ctx, key, m, func(gctx context.Context) (graphql.ResponseHandler, context.Context) {
		return e.GraphExecutor.DispatchOperation(gctx, opCtx)
	})
	context.AfterFunc(ctx, func() { e.groups.leave(g, m) })
	return func(ctx context.Context) *graphql.Response {
		select {
		case r := <-m.ch:
			return r // nil once the stream ended
		case <-ctx.Done():
			return nil
		}
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

// viewerKey is what decides what a viewer may see: its server, whether it
// is the system, and its roles.
func viewerKey(ctx context.Context) string {
	v := viewer.FromContext(ctx)
	if v == nil {
		return "anonymous"
	}
	roles := make([]string, len(v.Roles))
	for i, r := range v.Roles {
		roles[i] = string(r)
	}
	slices.Sort(roles)
	sys := ""
	if v.System {
		sys = "system"
	}
	return string(v.Server) + "|" + sys + "|" + strings.Join(roles, ",")
}

// join adds m to the group of key, starting the group with start when
// there is none. The execution runs in a context that keeps the first
// member's values (viewer, operation) but not its cancellation: it ends
// when the last member leaves or its stream ends.
func (s *Groups) join(ctx context.Context, key string, m *member, start func(context.Context) (graphql.ResponseHandler, context.Context)) *group {
	s.mu.Lock()
	if g := s.groups[key]; g != nil {
		g.add(m)
		s.mu.Unlock()
		return g
	}
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &group{key: key, cancel: cancel}
	g.add(m)
	s.groups[key] = g
	s.mu.Unlock()

	// Members joining while the execution subscribes miss nothing:
	// responses flow only once run starts.
	defer func() {
		if r := recover(); r != nil {
			s.end(g)
			panic(r)
		}
	}()
	next, rctx := start(gctx)
	go s.run(g, next, rctx)
	return g
}

// leave removes m; the last member to leave stops the execution.
func (s *Groups) leave(g *group, m *member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g.remove(m)
	if len(g.members) == 0 {
		s.retire(g)
		g.cancel()
	}
}

// retire takes g out of the groups new subscriptions join. Call with mu
// held.
func (s *Groups) retire(g *group) {
	if s.groups[g.key] == g {
		delete(s.groups, g.key)
	}
}

// run hands each response of the execution to the members and, when the
// stream ends, ends the group.
func (s *Groups) run(g *group, next graphql.ResponseHandler, ctx context.Context) {
	defer s.end(g)
	for {
		r := next(ctx)
		if r == nil {
			return
		}
		// The execution renders every response into the same buffer.
		r.Data = bytes.Clone(r.Data)
		s.mu.Lock()
		if len(r.Errors) > 0 && (len(r.Data) == 0 || string(r.Data) == "null") {
			// An answer with errors only (a refusal, say) is not for
			// subscriptions yet to come: they start their own execution.
			s.retire(g)
		}
		members := slices.Clone(g.members)
		s.mu.Unlock()
		for _, m := range members {
			select {
			case m.ch <- r:
			default:
				if s.dropped.Add(1) == 1 {
					slog.Warn("a subscriber does not keep up; it loses events")
				}
			}
		}
	}
}

// end retires g and closes its members' channels: their subscriptions
// complete.
func (s *Groups) end(g *group) {
	s.mu.Lock()
	s.retire(g)
	members := g.members
	g.members = nil
	s.mu.Unlock()
	g.cancel()
	for _, m := range members {
		close(m.ch)
	}
}
