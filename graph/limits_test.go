package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/roadreg/roadreg/internal/viewer"
)

type answer struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
	size    int
	elapsed time.Duration
}

func (a answer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// ask runs query on a security server's GraphQL handler (no services
// behind it: the operations here are refused or need none) as v.
func ask(t *testing.T, l Limits, v *viewer.Viewer, query string) answer {
	t.Helper()
	srv := handler.New(NewSchema(&Resolver{Role: viewer.Security}))
	srv.AddTransport(transport.POST{})
	Configure(srv, viewer.Security, l)
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if v != nil {
		req = req.WithContext(viewer.NewContext(context.Background(), v))
	}
	rec := httptest.NewRecorder()
	start := time.Now()
	srv.ServeHTTP(rec, req)
	a := answer{size: rec.Body.Len(), elapsed: time.Since(start)}
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("answer is not JSON: %v\n%.300s", err, rec.Body.String())
	}
	return a
}

func repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
	}
	return b.String()
}

var observer = &viewer.Viewer{Username: "observer", Roles: []viewer.Role{viewer.SecurityServerObserver}, Server: viewer.Security}

// TestDocumentLimits sends documents built to make parsing, validation or
// execution expensive, anonymously and as a logged-in observer with
// introspection allowed: each is refused before it runs, with a stable
// code, in a small answer, at once. (Before the limits counted
// introspection fields, the 1,000-alias introspection document took 6 s
// and answered 39 MB; the other shapes took seconds in validation.)
func TestDocumentLimits(t *testing.T) {
	deep := "__schema { types { fields { args { name } } } }"
	cases := []struct {
		name, query, code string
	}{
		{"1,000 aliases of an introspection selection (bytes)", "{" + repeat(1000, func(i int) string { return fmt.Sprintf(" a%d: %s", i, deep) }) + " }", CodeQueryTooComplex},
		{"120 aliases of it (fields)", "{" + repeat(120, func(i int) string { return fmt.Sprintf(" a%d: %s", i, deep) }) + " }", CodeQueryTooComplex},
		{"11 aliases of __schema", "{" + repeat(11, func(i int) string { return fmt.Sprintf(" a%d: __schema { queryType { name } }", i) }) + " }", CodeQueryTooComplex},
		{"11 aliases of __type", "{" + repeat(11, func(i int) string { return fmt.Sprintf(` a%d: __type(name: "Query") { name }`, i) }) + " }", CodeQueryTooComplex},
		{"1,001 aliases of __typename", "{" + repeat(1001, func(i int) string { return fmt.Sprintf(" a%d: __typename", i) }) + " }", CodeQueryTooComplex},
		{"a fragment bomb", "{ ...F0 }" + repeat(40, func(i int) string {
			return fmt.Sprintf(" fragment F%d on Query { a: __schema { queryType { name } } ...F%d ...F%d }", i, i+1, i+1)
		}) + " fragment F40 on Query { __typename }", CodeQueryTooComplex},
		{"fields named alike (validation compares every two)", "{" + repeat(999, func(int) string { return " __typename" }) + " }", CodeQueryTooComplex},
		{"conflicting fields of one response name", "{" + repeat(400, func(i int) string { return fmt.Sprintf(` a: node(id: "%d") { id }`, i) }) + " }", CodeQueryTooComplex},
		{"many fragment spreads in one selection set", "{" + repeat(300, func(i int) string { return fmt.Sprintf(" ...F%d", i) }) + " }" +
			repeat(300, func(i int) string { return fmt.Sprintf(" fragment F%d on Query { a%d: __typename }", i, i) }), CodeQueryTooComplex},
		{"many unused fragments", repeat(1100, func(i int) string { return fmt.Sprintf(" fragment F%d on Query { __typename }", i) }) + " { __typename }", CodeQueryTooComplex},
		{"many operations", repeat(1100, func(i int) string { return fmt.Sprintf(" query Q%d { __typename }", i) }), CodeQueryTooComplex},
		{"1,500 directives (tokens)", "{ __typename" + repeat(1500, func(int) string { return " @skip(if: false)" }) + " }", CodeQueryTooComplex},
		{"16 levels", "{ __schema { types { fields { type {" + strings.Repeat(" ofType {", 11) + " name" + strings.Repeat(" }", 15) + " }", CodeQueryTooDeep},
		{"1,200 unused variables (errors capped)", "query(" + repeat(1200, func(i int) string { return fmt.Sprintf(" $v%d: Int", i) }) + ") { __typename }", "GRAPHQL_VALIDATION_FAILED"},
	}
	l := DefaultLimits
	l.Introspection = true
	for _, c := range cases {
		for _, v := range []*viewer.Viewer{nil, observer} {
			t.Run(fmt.Sprintf("%s/%s", c.name, map[bool]string{true: "anonymous", false: "observer"}[v == nil]), func(t *testing.T) {
				a := ask(t, l, v, c.query)
				if a.code() != c.code {
					t.Fatalf("code %q, want %s: %+v", a.code(), c.code, a.Errors)
				}
				if a.size > 8<<10 {
					t.Errorf("answered %d bytes", a.size)
				}
				// A generous bound: refusals take milliseconds; without
				// the limits these took seconds.
				if a.elapsed > time.Second {
					t.Errorf("took %s", a.elapsed)
				}
			})
		}
	}
}

// TestDocumentLimitsLetOrdinaryDocumentsThrough: documents up to the limits
// run, the usual introspection query of GraphQL tools included.
func TestDocumentLimitsLetOrdinaryDocumentsThrough(t *testing.T) {
	l := DefaultLimits
	l.Introspection = true
	for name, q := range map[string]string{
		"1,000 aliases of __typename": "{" + repeat(1000, func(i int) string { return fmt.Sprintf(" a%d: __typename", i) }) + " }",
		"20 fields of one name":       "{" + repeat(20, func(int) string { return " __typename" }) + " }",
		"9 aliases of __schema":       "{" + repeat(9, func(i int) string { return fmt.Sprintf(" a%d: __schema { queryType { name } }", i) }) + " }",
		"the introspection query":     introspectionQuery,
		"fragments spread twice":      "{ ...A ...B } fragment A on Query { ...C } fragment B on Query { ...C } fragment C on Query { __typename }",
	} {
		if a := ask(t, l, observer, q); len(a.Errors) > 0 || len(a.Data) < 10 {
			t.Errorf("%s: %+v %s", name, a.Errors, a.Data)
		}
	}
}

// TestIntrospectionNeedsLogin: __schema and __type are refused to anonymous
// callers wherever they hide (fragments included) and to everybody when
// introspection is off; __typename is always allowed.
func TestIntrospectionNeedsLogin(t *testing.T) {
	on, off := DefaultLimits, DefaultLimits
	on.Introspection = true
	for _, q := range []string{
		"{ __schema { queryType { name } } }",
		`{ __type(name: "Query") { name } }`,
		"{ __typename ...F } fragment F on Query { ... on Query { __schema { queryType { name } } } }",
	} {
		if a := ask(t, on, nil, q); a.code() != "UNAUTHENTICATED" || a.size > 2048 {
			t.Errorf("anonymous %s: %s %+v", q, a.code(), a.Errors)
		}
		if a := ask(t, off, observer, q); a.code() != "FORBIDDEN" {
			t.Errorf("introspection off, %s: %s %+v", q, a.code(), a.Errors)
		}
		if a := ask(t, on, observer, q); len(a.Errors) > 0 {
			t.Errorf("logged in, %s: %+v", q, a.Errors)
		}
	}
	for _, l := range []Limits{on, off} {
		if a := ask(t, l, nil, "{ __typename }"); len(a.Errors) > 0 || string(a.Data) != `{"__typename":"Query"}` {
			t.Errorf("__typename: %+v %s", a.Errors, a.Data)
		}
	}
}

// TestPersistedQueriesNotSupported: a hash instead of the document gets the
// code on which clients of automatic persisted queries send the document.
func TestPersistedQueriesNotSupported(t *testing.T) {
	srv := handler.New(NewSchema(&Resolver{Role: viewer.Security}))
	srv.AddTransport(transport.POST{})
	Configure(srv, viewer.Security, DefaultLimits)
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(
		`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"code":"PERSISTED_QUERY_NOT_SUPPORTED"`) {
		t.Errorf("answer: %s", rec.Body)
	}
}

// introspectionQuery is the introspection query GraphQL tools send
// (GraphiQL, graphql-js getIntrospectionQuery()).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
