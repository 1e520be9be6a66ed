package main

// Bad input gets a stable code, never INTERNAL, and no ERROR log line: every
// ID, Time and enum argument of the schema fed garbage, malformed request
// bodies, bounded lists.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/roadreg/roadreg/graph"
	"github.com/roadreg/roadreg/internal/viewer"
)

// captureLogs sends the server's log (JSON lines, every level, not redacted)
// to a buffer until the test ends. The log is the process's: a test that
// captures it does not run in parallel (t.Parallel), so the parallel tests
// run after it and log elsewhere.
func captureLogs(t *testing.T) *syncBuffer {
	t.Helper()
	logs := &syncBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return logs
}

type logLine struct {
	Level, Msg string
	raw        string
}

func logLines(t *testing.T, logs *syncBuffer) []logLine {
	t.Helper()
	var out []logLine
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if l == "" {
			continue
		}
		var ll logLine
		if err := json.Unmarshal([]byte(l), &ll); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		ll.raw = l
		out = append(out, ll)
	}
	return out
}

// noErrorLines fails for every ERROR line in the log.
func noErrorLines(t *testing.T, logs *syncBuffer) {
	t.Helper()
	for _, l := range logLines(t, logs) {
		if l.Level == "ERROR" {
			t.Errorf("ERROR logged: %.600s", l.raw)
		}
	}
}

// garbageCase is one argument of the schema fed garbage.
type garbageCase struct {
	op    ast.Operation
	field *ast.FieldDefinition
	// arg is where the garbage is: ids[0], where.createdAtGT.
	arg   string
	query string
	vars  map[string]any
	// enum garbage is refused while the variables are read, before any
	// field runs, for every caller.
	enum bool
}

func (c garbageCase) name() string { return string(c.op) + "." + c.field.Name + "(" + c.arg + ")" }

// garbageCases lists, for every argument of every query, mutation and
// subscription, each place where an ID, a Time or an enum goes: the
// argument itself, or a field of its input object (one level: the where
// filters' and/or/not are the same filter again). Each case passes the
// garbage and valid values for the other required arguments as variables.
func garbageCases(t *testing.T, s *ast.Schema) []garbageCase {
	t.Helper()
	var cases []garbageCase
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		op := map[*ast.Definition]ast.Operation{s.Query: ast.Query, s.Mutation: ast.Mutation, s.Subscription: ast.Subscription}[root]
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			for _, a := range f.Arguments {
				build := func(arg string, garbage any, enum bool) {
					vars := map[string]any{}
					var decls, args []string
					for i, other := range f.Arguments {
						v := fmt.Sprintf("v%d", i)
						switch {
						case other == a:
							vars[v] = garbage
						case other.Type.NonNull && other.DefaultValue == nil:
							vars[v] = validValue(s, other.Type)
						default:
							continue
						}
						decls = append(decls, "$"+v+": "+other.Type.String())
						args = append(args, other.Name+": $"+v)
					}
					sel := ""
					if d := s.Types[f.Type.Name()]; d.Kind != ast.Scalar && d.Kind != ast.Enum {
						sel = " { __typename }"
					}
					q := fmt.Sprintf("%s(%s) { %s(%s)%s }", op, strings.Join(decls, ", "), f.Name, strings.Join(args, ", "), sel)
					cases = append(cases, garbageCase{op: op, field: f, arg: arg, query: q, vars: vars, enum: enum})
				}
				if g, enum, ok := garbageFor(s, a.Type); ok {
					build(a.Name+listIndex(a.Type), g, enum)
					continue
				}
				in := s.Types[a.Type.Name()]
				if in.Kind != ast.InputObject {
					continue
				}
				for _, fld := range in.Fields {
					if g, enum, ok := garbageFor(s, fld.Type); ok {
						obj := validValue(s, ast.NonNullNamedType(in.Name, nil)).(map[string]any)
						obj[fld.Name] = g
						val := any(obj)
						if a.Type.Elem != nil {
							val = []any{obj}
						}
						build(a.Name+listIndex(a.Type)+"."+fld.Name+listIndex(fld.Type), val, enum)
					}
				}
			}
		}
	}
	if len(cases) < 100 {
		t.Fatalf("only %d cases: the schema has more ID, Time and enum arguments", len(cases))
	}
	return cases
}

func listIndex(t *ast.Type) string {
	if t.Elem != nil {
		return "[0]"
	}
	return ""
}

// garbageFor returns a malformed value for an ID, a Time or an enum (or a
// list of them).
func garbageFor(s *ast.Schema, t *ast.Type) (any, bool, bool) {
	var g any
	enum := false
	switch name := t.Name(); {
	case name == "ID":
		g = "not-an-id"
	case name == "Time":
		g = "yesterday"
	case s.Types[name].Kind == ast.Enum:
		g, enum = "NOT_A_VALUE", true
	default:
		return nil, false, false
	}
	if t.Elem != nil {
		return []any{g}, enum, true
	}
	return g, enum, true
}

// validValue is a well-formed value of type t: required fields of input
// objects filled in.
func validValue(s *ast.Schema, t *ast.Type) any {
	if t.Elem != nil {
		return []any{validValue(s, t.Elem)}
	}
	d := s.Types[t.Name()]
	switch d.Kind {
	case ast.Enum:
		return d.EnumValues[0].Name
	case ast.InputObject:
		obj := map[string]any{}
		for _, f := range d.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				obj[f.Name] = validValue(s, f.Type)
			}
		}
		return obj
	}
	switch t.Name() {
	case "ID":
		return "1"
	case "Int", "Float":
		return 1
	case "Boolean":
		return false
	case "Time":
		return "2026-01-02T15:04:05Z"
	}
	return "x"
}

// TestGarbageArguments feeds garbage to every ID, Time and enum argument of
// the schema (and to those fields of input objects, the where filters
// included), anonymously and as a user holding every role, on both kinds
// of server. Nothing answers INTERNAL or logs at ERROR: an anonymous caller
// gets UNAUTHENTICATED whatever it sent, an operation of the other kind of
// server WRONG_SERVER_ROLE, and otherwise the answer is BAD_USER_INPUT
// naming the argument. Enum values gqlparser checks against the schema
// when it reads the variables, before any field runs: BAD_USER_INPUT for
// everybody, naming the variable.
func TestGarbageArguments(t *testing.T) {
	logs := captureLogs(t)
	schema := graph.NewSchema(&graph.Resolver{}).Schema()
	cases := garbageCases(t, schema)
	for _, role := range []viewer.ServerRole{viewer.Central, viewer.Security} {
		srv := startServer(t, role)
		admin := srv.apiKeyClient(t, viewer.RolesOf(role)...)
		anon := srv.anonymous()
		for _, c := range cases {
			server := ""
			if d := c.field.Directives.ForName("allowed"); d != nil && d.Arguments.ForName("server") != nil {
				server = d.Arguments.ForName("server").Value.Raw
			}
			want := func(anonymous bool) (string, string) {
				switch {
				case c.enum:
					return "BAD_USER_INPUT", "variable $"
				case anonymous:
					return "UNAUTHENTICATED", ""
				case server != "" && server != string(role):
					return "WRONG_SERVER_ROLE", ""
				}
				return "BAD_USER_INPUT", "argument " + c.arg + " of " + c.field.Name
			}
			if c.op == ast.Subscription {
				code, msg := subscribeOnce(t, admin, c.query, c.vars)
				if wantCode, wantText := want(false); code != wantCode || !strings.Contains(msg, wantText) {
					t.Errorf("%s on the %s server: %s %s, want %s %q", c.name(), roleName(role), code, msg, wantCode, wantText)
				}
				continue // anonymous websockets are closed at connection_init
			}
			for _, caller := range []*gqlClient{anon, admin} {
				r := caller.do(t, c.query, c.vars)
				wantCode, wantText := want(caller == anon)
				got := r.code()
				if got != wantCode || (len(r.Errors) > 0 && !strings.Contains(r.Errors[0].Message, wantText)) {
					t.Errorf("%s on the %s server, %s: %s, want %s %q\n%s", c.name(), roleName(role),
						map[bool]string{true: "anonymous", false: "all roles"}[caller == anon], r.raw, wantCode, wantText, c.query)
				}
			}
		}
	}
	noErrorLines(t, logs)
}

func roleName(r viewer.ServerRole) string { return strings.ToLower(string(r)) }

// subscribeOnce starts one subscription over graphql-ws and returns the
// code and message of the first thing it answers ("" for an event).
func subscribeOnce(t *testing.T, c *gqlClient, query string, vars map[string]any) (string, string) {
	t.Helper()
	s, _, err := c.dialWS(t, wsOptions{bearer: c.bearer})
	if err != nil {
		t.Fatal(err)
	}
	defer s.conn.Close()
	if err := s.waitAck(t); err != nil {
		t.Fatal(err)
	}
	s.start(t, query, vars)
	return firstMessage(t, s, 10*time.Second)
}

// TestMalformedIDsAndTimes: the literal forms of the garbage above, the way
// clients write them; a malformed ID without a session is UNAUTHENTICATED.
func TestMalformedIDsAndTimes(t *testing.T) {
	logs := captureLogs(t)
	ss := startServer(t, viewer.Security)
	admin := ss.user(t, "admin", viewer.RolesOf(viewer.Security)...)
	anon := ss.anonymous()
	for _, c := range []struct {
		who        *gqlClient
		query      string
		code, text string
	}{
		{anon, `mutation { loginToken(tokenId: "x", pin: "1234") { id } }`, "UNAUTHENTICATED", "log in first"},
		{anon, `{ node(id: "abc") { id } }`, "UNAUTHENTICATED", "log in first"},
		{admin, `mutation { loginToken(tokenId: "x", pin: "1234") { id } }`, "BAD_USER_INPUT", `argument tokenId of loginToken: "x" is not an id`},
		{admin, `{ node(id: "abc") { id } }`, "BAD_USER_INPUT", `argument id of node: "abc" is not an id`},
		{admin, `{ node(id: "99999999999999999999999") { id } }`, "BAD_USER_INPUT", "argument id of node"},
		{admin, `{ nodes(ids: ["1", "x"]) { id } }`, "BAD_USER_INPUT", "argument ids[1] of nodes"},
		{admin, `{ auditEvents(first: 1, where: {createdAtGT: "last week"}) { totalCount } }`, "BAD_USER_INPUT", `argument where.createdAtGT of auditEvents: "last week" is not a time`},
		{admin, `{ auditEvents(first: 1, last: 1) { totalCount } }`, "BAD_USER_INPUT", "give first or last, not both"},
		{admin, `mutation { approveManagementRequest(id: "x") { id } }`, "WRONG_SERVER_ROLE", "operation of a central server"},
	} {
		r := c.who.do(t, c.query, nil)
		if r.code() != c.code || !strings.Contains(r.Errors[0].Message, c.text) {
			t.Errorf("%s: %s, want %s %q", c.query, r.raw, c.code, c.text)
		}
	}
	noErrorLines(t, logs)
}

// rawRequest sends a request to /graphql as it is and returns the status
// and the body.
func rawRequest(t *testing.T, method, u, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestMalformedRequests: bodies and requests gqlgen's transports cannot
// read answer with a GraphQL error body, a stable code and a status that
// says what went wrong (the body over the size limit 413, where it was
// 200 and INTERNAL); a batch is refused as such. Nothing is logged at
// ERROR, each refusal at most once at INFO, and no log line holds the body.
func TestMalformedRequests(t *testing.T) {
	logs := captureLogs(t)
	ss := startServer(t, viewer.Security)
	// The server logs "listening" once it serves, which may be after the
	// harness reached it: wait for it so it counts for no request below.
	waitFor(t, 10*time.Second, "the server's listening line", func() bool {
		return slices.ContainsFunc(logLines(t, logs), func(l logLine) bool { return l.Msg == "listening" })
	})
	u := ss.URL + "/graphql"
	const marker = "Marker-PIN-80808"
	big := []byte(`{"query":"{ __typename }","variables":{"pin":"` + marker + strings.Repeat("x", maxRequestBody) + `"}}`)
	cases := []struct {
		name, method, ctype string
		body                []byte
		query               string
		status              int
		code, text          string
	}{
		{"a body over 1 MiB", "POST", "application/json", big, "", 413, "REQUEST_TOO_LARGE", "larger than 1048576 bytes"},
		{"a batch", "POST", "application/json", []byte(`[{"query":"mutation { loginToken(tokenId: \"1\", pin: \"` + marker + `\") { id } }"}]`), "", 400, "BAD_USER_INPUT", "batching is not supported: send one operation per request"},
		{"JSON cut short", "POST", "application/json", []byte(`{"query": "mutation { loginToken(tokenId: \"1\", pin: \"` + marker + `\") { id } }"`), "", 400, "BAD_USER_INPUT", "not valid JSON"},
		{"not JSON", "POST", "application/json", []byte(`query=mutation { loginToken(pin: "` + marker + `") }`), "", 400, "BAD_USER_INPUT", "not valid JSON"},
		{"a string for the query", "POST", "application/json", []byte(`{"query": 5, "variables": {"pin": "` + marker + `"}}`), "", 400, "BAD_USER_INPUT", "query must be a JSON string"},
		{"a JSON string", "POST", "application/json", []byte(`"` + marker + `"`), "", 400, "BAD_USER_INPUT", "it is a JSON string"},
		{"variables that are not an object", "POST", "application/json", []byte(`{"query": "{ __typename }", "variables": ["` + marker + `"]}`), "", 400, "BAD_USER_INPUT", "variables must be a JSON object"},
		{"a document over 32 KiB", "POST", "application/json", []byte(`{"query": "{` + strings.Repeat(" __typename", 3000) + ` }", "variables": {"pin": "` + marker + `"}}`), "", 200, "QUERY_TOO_COMPLEX", "the document is longer than 32768 bytes"},
		{"a form", "POST", "application/x-www-form-urlencoded", []byte("pin=" + marker), "", 415, "BAD_USER_INPUT", "Content-Type: application/json"},
		{"GET with variables that are not JSON", "GET", "", nil, "?query=" + url.QueryEscape("{ __typename }") + "&variables=" + url.QueryEscape("pin="+marker), 400, "BAD_USER_INPUT", "variables must be a JSON object"},
		{"an unknown enum value in a variable", "POST", "application/json", []byte(`{"query": "query($s: ManagementRequestStatus) { managementRequests(first: 1, status: $s) { totalCount } }", "variables": {"s": "NOT_A_STATUS"}}`), "", 200, "BAD_USER_INPUT", "variable $s: NOT_A_STATUS is not a valid ManagementRequestStatus"},
	}
	for _, c := range cases {
		before := len(logLines(t, logs))
		status, body := rawRequest(t, c.method, u+c.query, c.ctype, c.body)
		var r gqlResponse
		if err := json.Unmarshal(body, &r); err != nil || len(r.Errors) == 0 {
			t.Errorf("%s: %d %s is not a GraphQL error body", c.name, status, body)
			continue
		}
		if status != c.status && !(c.status == 200 && status == 422) {
			t.Errorf("%s: status %d, want %d", c.name, status, c.status)
		}
		if r.code() != c.code || !strings.Contains(r.Errors[0].Message, c.text) {
			t.Errorf("%s: %s, want %s %q", c.name, body, c.code, c.text)
		}
		if bytes.Contains(body, []byte(marker)) {
			t.Errorf("%s: the answer quotes the body: %s", c.name, body)
		}
		var infoOrAbove int
		for _, l := range logLines(t, logs)[before:] {
			if l.Level != "DEBUG" {
				infoOrAbove++
			}
			if len(l.raw) > 2048 {
				t.Errorf("%s: a log line of %d bytes", c.name, len(l.raw))
			}
		}
		if infoOrAbove > 1 {
			t.Errorf("%s: %d log lines at INFO or above: %v", c.name, infoOrAbove, logLines(t, logs)[before:])
		}
	}
	if strings.Contains(logs.String(), marker) {
		t.Errorf("the log holds a request body: %s", logs.String())
	}
	noErrorLines(t, logs)
}
