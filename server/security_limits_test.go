package main

// Hostile input refused cheaply: documents over the limits, introspection
// for anonymous callers, unbounded lists.

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/graph"
	"github.com/roadreg/roadreg/internal/viewer"
)

// TestListArgumentsBounded: lists a caller sends (nodes(ids:), the lists of
// a where filter) hold at most 100 items and an operation's arguments at
// most 1,000 values, and a connection pages at most 100 at a time (first
// or last, not both): BAD_USER_INPUT before anything runs. 40,000 ids used
// to reach SQLite's limit of variables and log one ERROR line per id. An
// anonymous caller gets UNAUTHENTICATED first.
func TestListArgumentsBounded(t *testing.T) {
	logs := captureLogs(t)
	cs := startServer(t, viewer.Central)
	regoff := cs.user(t, "regoff", viewer.RegistrationOfficer)
	anon := cs.anonymous()
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint(i + 1)
		}
		return out
	}
	nodes := `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`
	members := `query($w: MemberWhereInput, $f: Int, $l: Int) { members(where: $w, first: $f, last: $l) { totalCount } }`
	many := make([]any, 100)
	for i := range many {
		many[i] = map[string]any{"idIn": ids(10)}
	}
	for _, c := range []struct {
		who        *gqlClient
		query      string
		vars       map[string]any
		code, text string
	}{
		{regoff, nodes, map[string]any{"ids": ids(100)}, "NOT_FOUND", "Could not resolve to a node"},
		{regoff, nodes, map[string]any{"ids": ids(101)}, "BAD_USER_INPUT", "argument ids of nodes has 101 items; the limit is 100"},
		{regoff, nodes, map[string]any{"ids": ids(40000)}, "BAD_USER_INPUT", "argument ids of nodes has 40000 items"},
		{anon, nodes, map[string]any{"ids": ids(40000)}, "UNAUTHENTICATED", "log in first"},
		{regoff, members, map[string]any{"w": map[string]any{"idIn": ids(101)}, "f": 10}, "BAD_USER_INPUT", "argument where.idIn of members has 101 items"},
		{regoff, members, map[string]any{"w": map[string]any{"and": many}, "f": 10}, "BAD_USER_INPUT", "more than 1000 values"},
		{regoff, members, map[string]any{"f": 100}, "", ""},
		{regoff, members, map[string]any{"f": 101}, "BAD_USER_INPUT", "first must be between 0 and 100"},
		{regoff, members, map[string]any{"l": 1000000}, "BAD_USER_INPUT", "last must be between 0 and 100"},
		{regoff, members, map[string]any{"f": 1, "l": 1}, "BAD_USER_INPUT", "give first or last, not both"},
		{anon, members, map[string]any{"f": 1, "l": 1}, "UNAUTHENTICATED", "log in first"},
	} {
		r := c.who.do(t, c.query, c.vars)
		if r.code() != c.code || (c.code != "" && !strings.Contains(r.Errors[0].Message, c.text)) {
			t.Errorf("%s %.100v: %.300s, want %s %q", c.query, c.vars, r.raw, c.code, c.text)
		}
	}
	noErrorLines(t, logs)
}

// TestHostileIntrospectionRefusedCheaply: the 1,000-alias introspection
// document (6 s, 39 MB and 1 GB of server memory before the limits counted
// introspection fields; over the size limit of documents now) and a
// 100-alias one (within the size and token limits, over the count of
// fields) are refused with QUERY_TOO_COMPLEX in a small answer,
// anonymously and as a logged-in observer, on a server with introspection
// on.
func TestHostileIntrospectionRefusedCheaply(t *testing.T) {
	t.Parallel()
	ss := startServer(t, viewer.Security)
	observer := ss.apiKeyClient(t, viewer.SecurityServerObserver)
	alias := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: __schema { types { name fields { name args { name type { name kind ofType { name kind } } } } } }", i)
		}
		return b.String() + " }"
	}
	for _, n := range []int{1000, 100} {
		for name, c := range map[string]*gqlClient{"anonymous": ss.anonymous(), "observer": observer} {
			start := time.Now()
			r := c.do(t, alias(n), nil)
			took := time.Since(start)
			want := map[int]string{1000: "the document is longer than", 100: "the document selects"}[n]
			if r.code() != graph.CodeQueryTooComplex || !strings.Contains(r.raw, want) || len(r.raw) > 2048 {
				t.Errorf("%d aliases, %s: %d bytes: %.300s", n, name, len(r.raw), r.raw)
			}
			if took > time.Second { // milliseconds in fact (docs/BENCHMARKS.md); a generous bound
				t.Errorf("%d aliases, %s: refused after %s", n, name, took)
			}
		}
	}
}

// TestIntrospectionSwitch: `roadreg serve` has introspection off unless
// --introspection (or ROADREG_INTROSPECTION) turns it on, `roadreg dev` has
// it on; on or off, anonymous callers never get it, and __typename always
// works.
func TestIntrospectionSwitch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		env  env
		want bool
	}{
		{nil, env{}, false},
		{[]string{"--introspection"}, env{}, true},
		{nil, env{"ROADREG_INTROSPECTION": "true"}, true},
		{[]string{"--introspection=false"}, env{"ROADREG_INTROSPECTION": "true"}, false},
	} {
		cfg, err := parseServeFlags(append([]string{"--role", "central"}, c.args...), c.env, io.Discard)
		if err != nil || cfg.Introspection != c.want {
			t.Errorf("%v %v: introspection %v (%v), want %v", c.args, c.env, cfg != nil && cfg.Introspection, err, c.want)
		}
	}
	if !devConfig(viewer.Security, t.TempDir(), "127.0.0.1:0", "", "").Introspection {
		t.Error("roadreg dev has introspection off")
	}
	const schema = `{ __schema { queryType { name } } }`
	for _, on := range []bool{false, true} {
		srv := startServer(t, viewer.Central, func(c *config) { c.Introspection = on })
		user := srv.user(t, "alice", viewer.SecurityOfficer)
		if r := srv.anonymous().do(t, schema, nil); r.code() != "UNAUTHENTICATED" {
			t.Errorf("introspection %v, anonymous: %s", on, r.raw)
		}
		r := user.do(t, schema, nil)
		if on && len(r.Errors) > 0 || !on && r.code() != "FORBIDDEN" {
			t.Errorf("introspection %v, logged in: %s", on, r.raw)
		}
		if r := srv.anonymous().do(t, `{ __typename serverInfo { role } }`, nil); len(r.Errors) > 0 {
			t.Errorf("introspection %v, __typename: %s", on, r.raw)
		}
	}
}
