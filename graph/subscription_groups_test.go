package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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

// recordingWriter is a connection's ResponseWriter that records what it
// is asked to write, failing once fail is set.
type recordingWriter struct {
	mu      sync.Mutex
	written []string // "<id> <response>"
	fail    bool
}

func (w *recordingWriter) WriteResponse(id string, response []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail {
		return fmt.Errorf("connection closed")
	}
	w.written = append(w.written, id+" "+string(response))
	return nil
}

func (w *recordingWriter) seen() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.written...)
}

// withID is op as started by websocket subscription id.
func withID(oc *graphql.OperationContext, id string) *graphql.OperationContext {
	oc.Extensions = map[string]any{SubscriptionIDExtension: id}
	return oc
}

func TestSubscriptionGroupsDirectDelivery(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	w := &recordingWriter{}
	ctx := WithResponseWriter(viewerCtx(t, "alice"), w)

	// Two subscriptions of one connection and one of another connection
	// whose transport writes nothing itself: one execution.
	a := join(t, exec, ctx, withID(op(ast.Subscription, nil), "a"))
	b := join(t, exec, ctx, withID(op(ast.Subscription, nil), "b"))
	plain := join(t, exec, viewerCtx(t, "alice"), op(ast.Subscription, nil))
	noID := join(t, exec, ctx, op(ast.Subscription, nil))
	if n := fake.dispatched(); n != 1 {
		t.Fatalf("%d executions, want 1", n)
	}
	ends := map[string]chan *graphql.Response{}
	for name, m := range map[string]subscriber{"a": a, "b": b} {
		end := make(chan *graphql.Response, 1)
		ends[name] = end
		go func() { end <- m.h(m.ctx) }()
	}

	r := &graphql.Response{
		Data:   json.RawMessage(`{"globalConfigurationChanged":{"version":"<3>"}}`),
		Errors: gqlerror.List{{Message: "partly"}},
	}
	send(t, fake.stream(0), r)
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, func() (bool, string) {
		got := w.seen()
		return len(got) == 2, fmt.Sprintf("written %q", got)
	})
	for _, got := range w.seen() {
		if got != "a "+string(want) && got != "b "+string(want) {
			t.Errorf("written %q, want the response as gqlgen renders it: %s", got, want)
		}
	}
	// The others get the response from their handlers, as before.
	if got := plain.next(t); got != r {
		t.Errorf("a subscriber without a writer got %v", got)
	}
	if got := noID.next(t); got != r {
		t.Errorf("a subscription without an id got %v", got)
	}

	// Completing one subscription ends its handler; the other stays.
	// A handler that ends returns nil: the transport then completes.
	ended := func(name, why string) {
		t.Helper()
		select {
		case got := <-ends[name]:
			if got != nil {
				t.Errorf("%s: the handler returned %v", why, got)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the handler does not return", why)
		}
	}
	a.cancel()
	ended("a", "a completed subscription")
	waitGroups(t, groups, 1, 3)

	// A write that fails ends that subscription (its member leaves).
	w.mu.Lock()
	w.fail = true
	w.mu.Unlock()
	send(t, fake.stream(0), data(`{"globalConfigurationChanged":{"version":"4"}}`))
	ended("b", "after a failed write")
	waitGroups(t, groups, 1, 2)
	if got := plain.next(t); string(got.Data) != `{"globalConfigurationChanged":{"version":"4"}}` {
		t.Errorf("the others miss the event: %v", got)
	}
}

// tryWriter is a recordingWriter that can also write without waiting,
// unless its connection is full; writes block while hold is set.
type tryWriter struct {
	recordingWriter
	full    bool
	tried   int
	hold    chan struct{}
	writing chan struct{} // a WriteResponse began
}

func (w *tryWriter) TryWriteResponse(id string, response []byte) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tried++
	if w.full {
		return false
	}
	w.written = append(w.written, "try "+id+" "+string(response))
	return true
}

func (w *tryWriter) WriteResponse(id string, response []byte) error {
	w.writing <- struct{}{}
	<-w.hold
	return w.recordingWriter.WriteResponse(id, response)
}

func TestSubscriptionGroupsTryWrite(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	w := &tryWriter{hold: make(chan struct{}), writing: make(chan struct{}, 10)}
	a := join(t, exec, WithResponseWriter(viewerCtx(t, "alice"), w), withID(op(ast.Subscription, nil), "a"))
	go a.h(a.ctx)
	v := func(n int) *graphql.Response {
		return data(fmt.Sprintf(`{"globalConfigurationChanged":{"version":%d}}`, n))
	}
	rendered := func(n int) string {
		return fmt.Sprintf(`{"data":{"globalConfigurationChanged":{"version":%d}}}`, n)
	}

	// The connection takes it at once: the group writes it.
	send(t, fake.stream(0), v(1))
	eventually(t, func() (bool, string) {
		got := w.seen()
		return len(got) == 1, fmt.Sprintf("written %q", got)
	})
	// Full: the member's goroutine writes it (held here), and while it
	// holds a response nothing is tried, so the order stays.
	w.mu.Lock()
	w.full = true
	w.mu.Unlock()
	send(t, fake.stream(0), v(2))
	select {
	case <-w.writing: // the handler took it and waits in WriteResponse
	case <-time.After(5 * time.Second):
		t.Fatal("a response the connection could not take did not reach the member's handler")
	}
	w.mu.Lock()
	w.full = false
	tried := w.tried
	w.mu.Unlock()
	send(t, fake.stream(0), v(3))
	waitBuffered(t, groups, 1)
	w.mu.Lock()
	if w.tried != tried {
		t.Errorf("tried to write while the member held a response")
	}
	w.mu.Unlock()
	close(w.hold)
	eventually(t, func() (bool, string) {
		got := w.seen()
		return len(got) == 3, fmt.Sprintf("written %q", got)
	})
	send(t, fake.stream(0), v(4))
	want := []string{"try a " + rendered(1), "a " + rendered(2), "a " + rendered(3), "try a " + rendered(4)}
	eventually(t, func() (bool, string) {
		got := w.seen()
		return fmt.Sprint(got) == fmt.Sprint(want), fmt.Sprintf("written %q\nwant %q", got, want)
	})
	if atOnce, queued := groups.Delivered(); atOnce != 2 || queued != 2 {
		t.Errorf("delivered %d at once and %d queued, want 2 and 2", atOnce, queued)
	}
}

// TestSubscriptionGroupsManyMembers: with enough members that several
// goroutines deliver, every member gets each response once, whether its
// connection takes it at once or through its handler; members who left
// (the first, the last, and some between) get nothing more.
func TestSubscriptionGroupsManyMembers(t *testing.T) {
	fake := &fakeExec{}
	groups := NewSubscriptionGroups()
	exec := groups.Executor(fake)
	const n = 4*membersPerWorker + 3
	writers := make([]*tryWriter, n)
	members := make([]subscriber, n)
	for i := range writers {
		w := &tryWriter{full: i%3 == 0, hold: make(chan struct{}), writing: make(chan struct{}, 10)}
		close(w.hold)
		writers[i] = w
		members[i] = join(t, exec, WithResponseWriter(viewerCtx(t, "alice"), w), withID(op(ast.Subscription, nil), fmt.Sprint(i)))
		go members[i].h(members[i].ctx)
	}
	leaves := func(i int) bool { return i == 0 || i == n-1 || i%7 == 3 }
	want := func(i, v int) []string {
		if leaves(i) {
			v = 1
		}
		var out []string
		for k := 1; k <= v; k++ {
			out = append(out, fmt.Sprintf(`{"data":{"v":%d}}`, k))
		}
		return out
	}
	check := func(v int) {
		eventually(t, func() (bool, string) {
			for i, w := range writers {
				got := w.seen()
				ok := len(got) == len(want(i, v))
				for k := 0; ok && k < len(got); k++ {
					ok = strings.HasSuffix(got[k], want(i, v)[k])
				}
				if !ok {
					return false, fmt.Sprintf("member %d: written %q, want %q", i, got, want(i, v))
				}
			}
			return true, ""
		})
	}
	send(t, fake.stream(0), data(`{"v":1}`))
	check(1)
	left, fullLeft := 0, 0
	for i, m := range members {
		if leaves(i) {
			m.cancel()
			left++
			if i%3 == 0 {
				fullLeft++
			}
		}
	}
	waitGroups(t, groups, 1, n-left)
	for v := 2; v <= 3; v++ {
		send(t, fake.stream(0), data(fmt.Sprintf(`{"v":%d}`, v)))
	}
	check(3)
	full := (n + 2) / 3
	wantAtOnce, wantQueued := 3*(n-full)-2*(left-fullLeft), 3*full-2*fullLeft
	if atOnce, queued := groups.Delivered(); atOnce != int64(wantAtOnce) || queued != int64(wantQueued) {
		t.Errorf("delivered %d at once and %d queued, want %d and %d", atOnce, queued, wantAtOnce, wantQueued)
	}
}

// TestSubGroupOrder: members stay in the order they joined, but for the
// last one taking the place of one who leaves.
func TestSubGroupOrder(t *testing.T) {
	g := &subGroup{members: map[*groupMember]int{}}
	ms := make([]*groupMember, 5)
	for i := range ms {
		ms[i] = &groupMember{}
		g.add(ms[i])
	}
	order := func(want ...int) {
		t.Helper()
		var got []int
		for i, m := range g.list {
			got = append(got, slices.Index(ms, m))
			if g.members[m] != i {
				t.Errorf("member %d is at %d of the list but its index says %d", got[i], i, g.members[m])
			}
		}
		if !slices.Equal(got, want) || len(g.members) != len(want) {
			t.Errorf("members %v (%d in the index), want %v", got, len(g.members), want)
		}
	}
	order(0, 1, 2, 3, 4)
	if !g.remove(ms[1]) {
		t.Fatal("remove: not a member")
	}
	order(0, 4, 2, 3)
	g.remove(ms[3]) // the last
	order(0, 4, 2)
	if g.remove(ms[1]) {
		t.Error("removed a member twice")
	}
	g.add(ms[1])
	order(0, 4, 2, 1)
	for _, m := range []*groupMember{ms[0], ms[4], ms[2], ms[1]} {
		g.remove(m)
	}
	order()
}
