package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/roadreg/roadreg/internal/viewer"
)

// fakeExec stands in for gqlgen's executor: each dispatched operation is a
// stream the test feeds.
type fakeExec struct {
	mu      sync.Mutex
	streams []*fakeStream
}

type fakeStream struct {
	ctx context.Context
	ch  chan *graphql.Response // close to end the stream
}

func (f *fakeExec) CreateOperationContext(context.Context, *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	return nil, nil
}

func (f *fakeExec) DispatchError(context.Context, gqlerror.List) *graphql.Response { return nil }

func (f *fakeExec) DispatchOperation(ctx context.Context, _ *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	st := &fakeStream{ctx: ctx, ch: make(chan *graphql.Response)}
	f.mu.Lock()
	f.streams = append(f.streams, st)
	f.mu.Unlock()
	return func(hctx context.Context) *graphql.Response {
		select {
		case r, ok := <-st.ch:
			if ok {
				return r
			}
		case <-hctx.Done():
		}
		return nil
	}, ctx
}

func (f *fakeExec) dispatched() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.streams)
}

func (f *fakeExec) stream(i int) *fakeStream {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streams[i]
}

func op(kind ast.Operation, vars map[string]any) *graphql.OperationContext {
	return &graphql.OperationContext{
		RawQuery:  string(kind) + " { globalConfigurationChanged { version } }",
		Variables: vars,
		Operation: &ast.OperationDefinition{Operation: kind},
	}
}

func viewerCtx(t *testing.T, user string, roles ...viewer.Role) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return viewer.NewContext(ctx, &viewer.Viewer{Username: user, Roles: roles, Server: viewer.Security})
}

// member is one subscriber: its handler and context.
type subscriber struct {
	h      graphql.ResponseHandler
	ctx    context.Context
	cancel context.CancelFunc
}

func join(t *testing.T, exec graphql.GraphExecutor, ctx context.Context, oc *graphql.OperationContext) subscriber {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	h, hctx := exec.DispatchOperation(ctx, oc)
	return subscriber{h: h, ctx: hctx, cancel: cancel}
}

// next calls the member's handler as the websocket transport does, with
// a time limit.
func (m subscriber) next(t *testing.T) *graphql.Response {
	t.Helper()
	got := make(chan *graphql.Response, 1)
	go func() { got <- m.h(m.ctx) }()
	select {
	case r := <-got:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no response within 5 s")
		return nil
	}
}

func send(t *testing.T, st *fakeStream, r *graphql.Response) {
	t.Helper()
	select {
	case st.ch <- r:
	case <-time.After(5 * time.Second):
		t.Fatal("the group does not read its stream")
	}
}

func data(s string) *graphql.Response { return &graphql.Response{Data: json.RawMessage(s)} }

// eventually polls cond for up to 5 s; it reports what it saw when the
// time is up.
func eventually(t *testing.T, cond func() (ok bool, saw string)) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(saw)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitBuffered waits until n members hold a response they have not taken.
func waitBuffered(t *testing.T, g *SubscriptionGroups, n int) {
	t.Helper()
	eventually(t, func() (bool, string) {
		g.mu.Lock()
		defer g.mu.Unlock()
		got := 0
		for _, gr := range g.groups {
			for m := range gr.members {
				got += len(m.ch)
			}
		}
		return got == n, fmt.Sprintf("%d members hold a response, want %d", got, n)
	})
}

func waitGroups(t *testing.T, g *SubscriptionGroups, groups, members int) {
	t.Helper()
	eventually(t, func() (bool, string) {
		gs, ms := g.Groups()
		return gs == groups && ms == members, fmt.Sprintf("groups, members = %d, %d; want %d, %d", gs, ms, groups, members)
	})
}

func TestSubscriptionGroupsShareOneExecution(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	officer := viewer.Role("SECURITY_OFFICER")
	admin := viewer.Role("SYSTEM_ADMINISTRATOR")

	a := join(t, exec, viewerCtx(t, "alice", officer), op(ast.Subscription, nil))
	b := join(t, exec, viewerCtx(t, "apikey:7", officer), op(ast.Subscription, nil))
	if n := fake.dispatched(); n != 1 {
		t.Fatalf("two subscribers with the same roles and operation: %d executions, want 1", n)
	}
	r := data(`{"globalConfigurationChanged":{"version":"3"}}`)
	send(t, fake.stream(0), r)
	if got := a.next(t); got != r {
		t.Errorf("first member got %v", got)
	}
	if got := b.next(t); got != r {
		t.Errorf("second member got %v", got)
	}

	join(t, exec, viewerCtx(t, "bob", officer, admin), op(ast.Subscription, nil))
	join(t, exec, viewerCtx(t, "alice", officer), op(ast.Subscription, map[string]any{"c": "1"}))
	if n := fake.dispatched(); n != 3 {
		t.Errorf("other roles and other variables: %d executions in all, want 3", n)
	}
	waitGroups(t, groups, 3, 4)

	join(t, exec, viewerCtx(t, "alice", officer), op(ast.Query, nil))
	join(t, exec, viewerCtx(t, "alice", officer), op(ast.Query, nil))
	if n := fake.dispatched(); n != 5 {
		t.Errorf("queries: %d executions in all, want 5 (each runs on its own)", n)
	}
	waitGroups(t, groups, 3, 4)
}

func TestSubscriptionGroupsLeave(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	a := join(t, exec, viewerCtx(t, "alice"), op(ast.Subscription, nil))
	b := join(t, exec, viewerCtx(t, "bob"), op(ast.Subscription, nil))
	st := fake.stream(0)
	waitGroups(t, groups, 1, 2)
	r0 := data(`{"x":0}`)
	send(t, st, r0)
	waitBuffered(t, groups, 2)

	// The first member leaving does not end the execution it started, and
	// gets nothing more, not even what it had not taken yet.
	a.cancel()
	if got := a.next(t); got != nil {
		t.Errorf("a member that left got %v", got)
	}
	waitGroups(t, groups, 1, 1)
	if got := b.next(t); got != r0 {
		t.Errorf("remaining member got %v, want the response sent before", got)
	}
	r := data(`{"x":1}`)
	send(t, st, r)
	if got := b.next(t); got != r {
		t.Errorf("remaining member got %v", got)
	}
	if st.ctx.Err() != nil {
		t.Fatal("the execution was cancelled while a member remained")
	}

	// The last one ends it.
	b.cancel()
	waitGroups(t, groups, 0, 0)
	select {
	case <-st.ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the execution goes on after its last member left")
	}
	join(t, exec, viewerCtx(t, "carol"), op(ast.Subscription, nil))
	if n := fake.dispatched(); n != 2 {
		t.Errorf("joining after the group ended: %d executions, want 2 (a new one)", n)
	}
}

func TestSubscriptionGroupsStreamEnd(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	a := join(t, exec, viewerCtx(t, "alice"), op(ast.Subscription, nil))
	b := join(t, exec, viewerCtx(t, "bob"), op(ast.Subscription, nil))
	close(fake.stream(0).ch)
	for _, m := range []subscriber{a, b} {
		if got := m.next(t); got != nil {
			t.Errorf("after the end of the stream a member got %v, want the end (nil)", got)
		}
	}
	waitGroups(t, groups, 0, 0)
	join(t, exec, viewerCtx(t, "alice"), op(ast.Subscription, nil))
	if n := fake.dispatched(); n != 2 {
		t.Errorf("%d executions, want 2", n)
	}
}

func TestSubscriptionGroupsSlowMember(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	join(t, exec, viewerCtx(t, "stalled"), op(ast.Subscription, nil)) // never reads
	b := join(t, exec, viewerCtx(t, "reader"), op(ast.Subscription, nil))
	const extra = 5
	for i := range memberBuffer + extra {
		r := data(fmt.Sprintf(`{"i":%d}`, i))
		send(t, fake.stream(0), r)
		if got := b.next(t); got != r {
			t.Fatalf("response %d: the reading member got %v", i, got)
		}
	}
	if d := groups.Dropped(); d != extra {
		t.Errorf("dropped %d responses of the stalled member, want %d", d, extra)
	}
}

// A member joining after an error-only response (an @allowed refusal, say)
// gets it too; data is not replayed.
func TestSubscriptionGroupsReplayErrors(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	a := join(t, exec, viewerCtx(t, "alice"), op(ast.Subscription, nil))
	refusal := &graphql.Response{Errors: gqlerror.List{{Message: "not allowed"}}}
	send(t, fake.stream(0), refusal)
	if got := a.next(t); got != refusal {
		t.Fatalf("first member got %v", got)
	}
	d := data(`{"x":1}`)
	send(t, fake.stream(0), d)
	if got := a.next(t); got != d {
		t.Fatalf("first member got %v", got)
	}
	late := join(t, exec, viewerCtx(t, "bob"), op(ast.Subscription, nil))
	if got := late.next(t); got != refusal {
		t.Errorf("late member's first response = %v, want the refusal", got)
	}
	d2 := data(`{"x":2}`)
	send(t, fake.stream(0), d2)
	if got := late.next(t); got != d2 {
		t.Errorf("late member's second response = %v, want the next data", got)
	}
}

type panickingExec struct{ fakeExec }

func (p *panickingExec) DispatchOperation(context.Context, *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	panic("resolver bug")
}

// A panic while starting the execution reaches the subscriber's transport
// (which reports it) and leaves no group behind that others would join.
func TestSubscriptionGroupsStartPanics(t *testing.T) {
	groups := NewSubscriptionGroups()
	exec := groups.Executor(&panickingExec{})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		exec.DispatchOperation(viewerCtx(t, "alice"), op(ast.Subscription, nil))
	}()
	waitGroups(t, groups, 0, 0)
}
