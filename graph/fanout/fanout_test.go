package fanout

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
	streams []*stream
}

type stream struct {
	ctx context.Context
	ch  chan *graphql.Response // close to end the stream
}

func (f *fakeExec) CreateOperationContext(context.Context, *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	return nil, nil
}

func (f *fakeExec) DispatchError(context.Context, gqlerror.List) *graphql.Response { return nil }

func (f *fakeExec) DispatchOperation(ctx context.Context, _ *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	st := &stream{ctx: ctx, ch: make(chan *graphql.Response)}
	f.mu.Lock()
	f.streams = append(f.streams, st)
	f.mu.Unlock()
	return func(hctx context.Context) *graphql.Response {
		select {
		case r := <-st.ch:
			return r
		case <-hctx.Done():
			return nil
		}
	}, ctx
}

func (f *fakeExec) dispatched() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.streams)
}

func (f *fakeExec) stream(i int) *stream {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streams[i]
}

// send hands r to the group reading st.
func (st *stream) send(t *testing.T, r *graphql.Response) {
	t.Helper()
	select {
	case st.ch <- r:
	case <-time.After(5 * time.Second):
		t.Fatal("the group does not read its execution's responses")
	}
}

const query = `subscription { globalConfigurationChanged { version } }`

func operation(kind ast.Operation, vars map[string]any) *graphql.OperationContext {
	return &graphql.OperationContext{RawQuery: query, Variables: vars, Operation: &ast.OperationDefinition{Operation: kind}}
}

func as(roles ...viewer.Role) context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{Username: "u", Roles: roles, Server: viewer.Security})
}

// subscriber is one subscription: its handler and context.
type subscriber struct {
	h      graphql.ResponseHandler
	ctx    context.Context
	cancel context.CancelFunc
}

func subscribe(t *testing.T, exec graphql.GraphExecutor, ctx context.Context, oc *graphql.OperationContext) subscriber {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	h, hctx := exec.DispatchOperation(ctx, oc)
	return subscriber{h: h, ctx: hctx, cancel: cancel}
}

// next calls the handler as the websocket transport does.
func (s subscriber) next(t *testing.T) *graphql.Response {
	t.Helper()
	got := make(chan *graphql.Response, 1)
	go func() { got <- s.h(s.ctx) }()
	select {
	case r := <-got:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no response within 5 s")
		return nil
	}
}

func data(s string) *graphql.Response { return &graphql.Response{Data: json.RawMessage(s)} }

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 5 s", what)
		}
	}
}

// TestIdenticalSubscriptionsShareOneExecution: subscriptions with the same
// operation and variables whose viewers have the same roles run once and
// all get each response; other roles, other variables run apart, and
// queries pass through.
func TestIdenticalSubscriptionsShareOneExecution(t *testing.T) {
	inner := &fakeExec{}
	groups := New()
	exec := groups.Executor(inner)
	officers := []subscriber{
		subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, map[string]any{"a": 1, "b": 2})),
		subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, map[string]any{"b": 2, "a": 1})),
		subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, map[string]any{"a": 1, "b": 2})),
	}
	if n := inner.dispatched(); n != 1 || groups.Executions() != 1 {
		t.Fatalf("three identical subscriptions: %d executions dispatched, %d running; want 1", n, groups.Executions())
	}
	subscribe(t, exec, as(viewer.SecurityOfficer, viewer.SystemAdministrator), operation(ast.Subscription, map[string]any{"a": 1, "b": 2}))
	subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, map[string]any{"a": 2, "b": 2}))
	if n := inner.dispatched(); n != 3 || groups.Executions() != 3 {
		t.Fatalf("other roles, other variables: %d executions dispatched, %d running; want 3", n, groups.Executions())
	}
	q := subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Query, nil))
	if n := inner.dispatched(); n != 4 || groups.Executions() != 3 {
		t.Fatalf("a query: %d dispatched, %d groups; want it dispatched on its own", n, groups.Executions())
	}
	go func() { inner.stream(3).ch <- data(`{"q":1}`) }()
	if r := q.next(t); string(r.Data) != `{"q":1}` {
		t.Fatalf("query response %s", r.Data)
	}

	for i := range 2 {
		want := fmt.Sprintf(`{"n":%d}`, i)
		inner.stream(0).send(t, data(want))
		for j, s := range officers {
			if r := s.next(t); r == nil || string(r.Data) != want {
				t.Fatalf("response %d to subscriber %d: %v", i+1, j+1, r)
			}
		}
	}
}

// TestLastSubscriberEndsTheExecution: the execution runs while anyone is
// subscribed; one leaving stops nothing for the others, the last one
// leaving cancels it, and the next subscription starts a new one.
func TestLastSubscriberEndsTheExecution(t *testing.T) {
	inner := &fakeExec{}
	groups := New()
	exec := groups.Executor(inner)
	a := subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil))
	b := subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil))
	a.cancel()
	if r := a.next(t); r != nil {
		t.Fatalf("a cancelled subscription got %v", r)
	}
	inner.stream(0).send(t, data(`{"n":1}`))
	if r := b.next(t); r == nil || string(r.Data) != `{"n":1}` {
		t.Fatalf("the remaining subscriber got %v", r)
	}
	b.cancel()
	select {
	case <-inner.stream(0).ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the execution runs on with nobody subscribed")
	}
	waitFor(t, "end of the group", func() bool { return groups.Executions() == 0 })
	subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil))
	if inner.dispatched() != 2 {
		t.Fatalf("a subscription after the group ended: %d executions, want 2", inner.dispatched())
	}
}

// TestStreamEndCompletesEveryone: when the execution's stream ends, every
// subscription of the group completes (its handler returns nil).
func TestStreamEndCompletesEveryone(t *testing.T) {
	inner := &fakeExec{}
	groups := New()
	exec := groups.Executor(inner)
	subs := []subscriber{
		subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil)),
		subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil)),
	}
	close(inner.stream(0).ch)
	for i, s := range subs {
		if r := s.next(t); r != nil {
			t.Fatalf("subscriber %d got %v after the end", i+1, r)
		}
	}
	waitFor(t, "end of the group", func() bool { return groups.Executions() == 0 })
}

// TestSlowSubscriberLosesResponses: a subscriber that does not take its
// responses loses those beyond its buffer (counted); the execution never
// waits for it and the other subscriber gets every response.
func TestSlowSubscriberLosesResponses(t *testing.T) {
	inner := &fakeExec{}
	groups := New()
	exec := groups.Executor(inner)
	fast := subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil))
	subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil)) // never reads
	const n = memberBuffer + 5
	for i := range n {
		inner.stream(0).send(t, data(`{"n":1}`))
		if r := fast.next(t); r == nil {
			t.Fatalf("response %d: the reading subscriber got nothing", i+1)
		}
	}
	waitFor(t, "the stalled subscriber's losses to be counted", func() bool { return groups.Dropped() == n-memberBuffer })
}

// TestRefusalIsNotShared: an answer with errors only (an @allowed
// refusal) goes to the subscriptions that were there, but a later
// subscription starts its own execution instead of joining one that only
// refuses.
func TestRefusalIsNotShared(t *testing.T) {
	inner := &fakeExec{}
	groups := New()
	exec := groups.Executor(inner)
	first := subscribe(t, exec, as(viewer.ServiceAdministrator), operation(ast.Subscription, nil))
	inner.stream(0).send(t, &graphql.Response{Errors: gqlerror.List{{Message: "no"}}})
	if r := first.next(t); r == nil || len(r.Errors) != 1 {
		t.Fatalf("refusal: %v", r)
	}
	subscribe(t, exec, as(viewer.ServiceAdministrator), operation(ast.Subscription, nil))
	if inner.dispatched() != 2 {
		t.Fatalf("after a refusal, %d executions; want the next subscription to start its own", inner.dispatched())
	}
}

// TestResponsesKeepTheirData: the execution renders each response into
// the buffer of the one before (gqlgen's does); what subscribers got stays
// as it was.
func TestResponsesKeepTheirData(t *testing.T) {
	inner := &fakeExec{}
	exec := New().Executor(inner)
	s := subscribe(t, exec, as(viewer.SecurityOfficer), operation(ast.Subscription, nil))
	buf := []byte(`{"n":1}`)
	inner.stream(0).send(t, &graphql.Response{Data: buf})
	r := s.next(t)
	copy(buf, `{"n":2}`)
	if string(r.Data) != `{"n":1}` {
		t.Fatalf("the response changed with the execution's buffer: %s", r.Data)
	}
}
