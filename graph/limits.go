package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Codes of operations refused for their size.
const (
	CodeQueryTooComplex = "QUERY_TOO_COMPLEX"
	CodeQueryTooDeep    = "QUERY_TOO_DEEP"
)

// Limits bound what one GraphQL operation may ask of a server (README.md,
// "Security"). A document over DocumentBytes, Tokens, Fields or Depth is
// refused before it is parsed or validated; arguments over ListItems,
// InputValues or PageSize before the operation runs, and only after the
// caller passed the @allowed check of the field they belong to.
type Limits struct {
	// DocumentBytes is the longest document (the query).
	DocumentBytes int
	// Tokens is the most lexical tokens (names, punctuation, values) of a
	// document.
	Tokens int
	// Fields is the most fields a document selects, fragments expanded:
	// every field counts, aliases, __typename and introspection included;
	// __schema and __type count introspectionCost each (their lists run
	// over the whole schema).
	Fields int
	// Depth is the deepest nesting of fields.
	Depth int
	// ListItems is the most items of one list in the arguments
	// (nodes(ids:), the lists of a where filter, inputs).
	ListItems int
	// InputValues is the most values (lists and objects included) that all
	// arguments of an operation hold together.
	InputValues int
	// PageSize is the largest first or last of a connection.
	PageSize int
	// Introspection allows __schema and __type to logged-in callers;
	// anonymous callers never get them.
	Introspection bool
}

// DefaultLimits are the limits of `roadreg serve` (introspection off).
var DefaultLimits = Limits{DocumentBytes: 32 << 10, Tokens: 5000, Fields: 1000, Depth: 15, ListItems: 100, InputValues: 1000, PageSize: 100}

// Parsed and validated documents are cached: at most cachedDocuments, each
// of at most cachedQueryBytes (its syntax tree takes about 25 times that).
// Longer ones are parsed each time they come, so callers cannot fill the
// server's memory with documents.
const (
	cachedDocuments  = 250
	cachedQueryBytes = 4 << 10
)

// Configure sets up the GraphQL handler of a server of the given role: the
// limits, the error presenter and the recovery from resolver panics.
func Configure(srv *handler.Server, role viewer.ServerRole, l Limits) {
	cache := queryCache{lru: lru.New[*ast.QueryDocument](cachedDocuments)}
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(l.Tokens)
	srv.Use(documentLimits{l: l, cache: cache})
	srv.Use(introspectionGate{enabled: l.Introspection})
	srv.Use(argumentLimits{l: l, role: role})
	srv.AroundResponses(capErrors)
	srv.SetErrorPresenter(ErrorPresenter(role))
	srv.SetRecoverFunc(recoverPanic)
}

// maxErrors bounds the errors of one response: a document can be made to
// fail validation in thousands of places.
const maxErrors = 50

// capErrors keeps the first maxErrors errors of a response and says how
// many more there were.
func capErrors(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || len(resp.Errors) <= maxErrors {
		return resp
	}
	rest := &gqlerror.Error{
		Message:    fmt.Sprintf("%d more errors not shown", len(resp.Errors)-maxErrors),
		Extensions: map[string]any{"code": resp.Errors[maxErrors].Extensions["code"]},
	}
	resp.Errors = append(resp.Errors[:maxErrors:maxErrors], rest)
	return resp
}

// queryCache keeps parsed and validated documents of up to cachedQueryBytes.
type queryCache struct{ lru *lru.LRU[*ast.QueryDocument] }

func (c queryCache) Get(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	if len(query) > cachedQueryBytes {
		return nil, false
	}
	return c.lru.Get(ctx, query)
}

func (c queryCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	if len(query) <= cachedQueryBytes {
		c.lru.Add(ctx, query, doc)
	}
}

// refuse is the error that refuses a whole operation before it runs, logged
// once at INFO (a caller's mistake, not the server's).
func refuse(ctx context.Context, code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": code}
	slog.InfoContext(ctx, "GraphQL operation refused", "code", code, "reason", err.Message)
	return err
}

// documentLimits measures a document before gqlgen validates it: the
// validation of a large document costs more than refusing it.
type documentLimits struct {
	l     Limits
	cache graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (documentLimits) ExtensionName() string { return "DocumentLimits" }

// Validate implements graphql.HandlerExtension.
func (documentLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (d documentLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if _, ok := d.cache.Get(ctx, p.Query); ok {
		return nil // measured when it first came
	}
	if p.Query == "" && p.Extensions["persistedQuery"] != nil {
		// Clients of automatic persisted queries send the document on this
		// code.
		return refuse(ctx, "PERSISTED_QUERY_NOT_SUPPORTED", "persisted queries are not supported: send the document")
	}
	if len(p.Query) > d.l.DocumentBytes {
		return refuse(ctx, CodeQueryTooComplex, "the document is longer than %d bytes; send a smaller one", d.l.DocumentBytes)
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, d.l.Tokens)
	if err != nil {
		gqlErr, ok := err.(*gqlerror.Error)
		if !ok {
			return nil // gqlgen reports it
		}
		// gqlparser's words when a document reaches the limit.
		if strings.HasPrefix(gqlErr.Message, "exceeded token limit") {
			return refuse(ctx, CodeQueryTooComplex, "the document has more than %d tokens; send a smaller one", d.l.Tokens)
		}
		errcode.Set(gqlErr, errcode.ParseFailed)
		return gqlErr
	}
	fields, depth := measure(doc)
	if fields > d.l.Fields {
		return refuse(ctx, CodeQueryTooComplex,
			"the document selects %s fields (fragments expanded; aliases and __typename count too, __schema and __type %d each); the limit is %d",
			countString(fields), introspectionCost, d.l.Fields)
	}
	if depth > d.l.Depth {
		return refuse(ctx, CodeQueryTooDeep, "operation is nested deeper than %d levels", d.l.Depth)
	}
	if what, n := repeated(doc); n > maxRepeats {
		if what == "" {
			return refuse(ctx, CodeQueryTooComplex, "a selection set spreads %d fragments; the limit is %d", n, maxRepeats)
		}
		return refuse(ctx, CodeQueryTooComplex, "%s is selected %d times in one selection set; the limit is %d", what, n, maxRepeats)
	}
	return nil
}

// introspectionCost is what __schema and __type count for: all of the
// schema's types, fields and arguments stand behind them. The usual
// introspection query of GraphQL tools selects about 70 fields more.
const introspectionCost = 100

// maxRepeats bounds how often one response name (a field's alias, or its
// name) may be selected in one selection set, fragments included, and how
// many fragment spreads one selection set may hold: validation compares
// every two of them.
const maxRepeats = 20

// fieldsCap keeps the count of fields of a fragment bomb (fragments
// spreading each other many times) from overflowing.
const fieldsCap = 1 << 40

func countString(n int) string {
	if n >= fieldsCap {
		return "more than a trillion"
	}
	return fmt.Sprint(n)
}

// measure returns how many fields a document selects (its operations with
// their fragments expanded, and fragments no operation uses) and how deep
// its operations nest. Each fragment is measured once, so fragments
// spreading each other cost nothing extra to measure.
func measure(doc *ast.QueryDocument) (fields, depth int) {
	m := measurer{frags: doc.Fragments, sizes: map[string]size{}}
	for _, op := range doc.Operations {
		s := m.selection(op.SelectionSet)
		fields = min(fields+s.fields, fieldsCap)
		depth = max(depth, s.depth)
	}
	for _, f := range doc.Fragments {
		if _, used := m.sizes[f.Name]; !used {
			fields = min(fields+m.fragment(f.Name).fields, fieldsCap)
		}
	}
	return fields, depth
}

type size struct{ fields, depth int }

type measurer struct {
	frags ast.FragmentDefinitionList
	sizes map[string]size
}

func (m measurer) selection(set ast.SelectionSet) size {
	var s size
	for _, sel := range set {
		var c size
		switch x := sel.(type) {
		case *ast.Field:
			in := m.selection(x.SelectionSet)
			cost := 1
			if x.Name == "__schema" || x.Name == "__type" {
				cost = introspectionCost
			}
			c = size{fields: min(in.fields+cost, fieldsCap), depth: in.depth + 1}
		case *ast.InlineFragment:
			c = m.selection(x.SelectionSet)
		case *ast.FragmentSpread:
			c = m.fragment(x.Name)
		}
		s = size{fields: min(s.fields+c.fields, fieldsCap), depth: max(s.depth, c.depth)}
	}
	return s
}

func (m measurer) fragment(name string) size {
	if s, ok := m.sizes[name]; ok {
		return s
	}
	m.sizes[name] = size{fields: 1} // while it is measured: a cycle counts as one field (validation refuses it)
	var s size
	if f := m.frags.ForName(name); f != nil {
		s = m.selection(f.SelectionSet)
	}
	m.sizes[name] = s
	return s
}

// repeated returns what one selection set of the document repeats most —
// a response name (fragments expanded), or fragment spreads ("": the
// spreads written in it) — and how often: validation compares every two of
// them.
// It expands every fragment where it is spread, so it runs only on
// documents whose fields were counted and found within the limit.
func repeated(doc *ast.QueryDocument) (string, int) {
	r := repeats{frags: doc.Fragments, spreading: map[string]bool{}}
	for _, op := range doc.Operations {
		r.set(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		r.set(f.SelectionSet)
	}
	return r.what, r.max
}

type repeats struct {
	frags     ast.FragmentDefinitionList
	spreading map[string]bool // fragments being expanded (cycles)
	what      string
	max       int
}

// set counts the response names and spreads of one selection set, then
// goes into the selection sets of its fields.
func (r *repeats) set(set ast.SelectionSet) {
	var fields []*ast.Field
	if spreads := r.collect(set, &fields, true); spreads > r.max {
		r.what, r.max = "", spreads
	}
	counts := map[string]int{}
	for _, f := range fields {
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		counts[key]++
		if counts[key] > r.max {
			r.what, r.max = key, counts[key]
		}
	}
	for _, f := range fields {
		r.set(f.SelectionSet)
	}
}

// collect appends the fields of set, through inline fragments and fragment
// spreads, and returns how many spreads are written in set itself (own).
func (r *repeats) collect(set ast.SelectionSet, fields *[]*ast.Field, own bool) (spreads int) {
	for _, sel := range set {
		switch x := sel.(type) {
		case *ast.Field:
			*fields = append(*fields, x)
		case *ast.InlineFragment:
			spreads += r.collect(x.SelectionSet, fields, own)
		case *ast.FragmentSpread:
			if own {
				spreads++
			}
			if f := r.frags.ForName(x.Name); f != nil && !r.spreading[x.Name] {
				r.spreading[x.Name] = true
				r.collect(f.SelectionSet, fields, false)
				delete(r.spreading, x.Name)
			}
		}
	}
	return spreads
}

// rootFields are the fields an operation selects at its root, through
// inline fragments and fragment spreads.
func rootFields(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen map[string]bool) []*ast.Field {
	var out []*ast.Field
	for _, sel := range set {
		switch x := sel.(type) {
		case *ast.Field:
			out = append(out, x)
		case *ast.InlineFragment:
			out = append(out, rootFields(x.SelectionSet, frags, seen)...)
		case *ast.FragmentSpread:
			if f := frags.ForName(x.Name); f != nil && !seen[x.Name] {
				seen[x.Name] = true
				out = append(out, rootFields(f.SelectionSet, frags, seen)...)
			}
		}
	}
	return out
}

// introspectionGate gives __schema and __type to logged-in callers when the
// server allows it; an anonymous caller gets UNAUTHENTICATED, a logged-in
// one FORBIDDEN when it is turned off. __typename is always allowed.
type introspectionGate struct{ enabled bool }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = introspectionGate{}

// ExtensionName implements graphql.HandlerExtension.
func (introspectionGate) ExtensionName() string { return "Introspection" }

// Validate implements graphql.HandlerExtension.
func (introspectionGate) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (i introspectionGate) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || !slices.ContainsFunc(rootFields(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]bool{}),
		func(f *ast.Field) bool { return f.Name == "__schema" || f.Name == "__type" }) {
		return nil
	}
	switch {
	case viewer.FromContext(ctx) == nil:
		return refuse(ctx, xroad.CodeUnauthenticated, "log in first: introspection (__schema, __type) is for logged-in callers")
	case !i.enabled:
		return refuse(ctx, xroad.CodeForbidden, "introspection is turned off on this server (roadreg serve --introspection turns it on)")
	}
	oc.DisableIntrospection = false
	return nil
}

// argumentLimits bounds the arguments of an operation: lists, values in
// all, and the page size of connections (first or last, not both).
// Fields whose @allowed check the caller fails are left to it.
type argumentLimits struct {
	l    Limits
	role viewer.ServerRole
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = argumentLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (argumentLimits) ExtensionName() string { return "ArgumentLimits" }

// Validate implements graphql.HandlerExtension.
func (argumentLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (a argumentLimits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	c := argumentChecker{l: a.l, vars: oc.Variables, frags: oc.Doc.Fragments, seen: map[string]bool{}}
	for _, f := range rootFields(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]bool{}) {
		if authorizeField(ctx, a.role, f.Definition) != nil {
			continue // @allowed refuses it when it runs
		}
		if msg := c.field(f); msg != "" {
			return refuse(ctx, xroad.CodeBadUserInput, "%s", msg)
		}
	}
	return nil
}

type argumentChecker struct {
	l      Limits
	vars   map[string]any
	frags  ast.FragmentDefinitionList
	seen   map[string]bool
	values int
}

// field checks the arguments of f and of the fields below it; it returns
// what is wrong, or "".
func (c *argumentChecker) field(f *ast.Field) string {
	if f.Definition != nil && len(f.Definition.Arguments) > 0 {
		args := f.ArgumentMap(c.vars)
		if msg := c.paging(f, args); msg != "" {
			return msg
		}
		for _, d := range f.Definition.Arguments {
			if v, ok := args[d.Name]; ok {
				if msg := c.value(f.Name, d.Name, v); msg != "" {
					return msg
				}
			}
		}
	}
	return c.selection(f.SelectionSet)
}

func (c *argumentChecker) selection(set ast.SelectionSet) string {
	for _, sel := range set {
		var msg string
		switch x := sel.(type) {
		case *ast.Field:
			msg = c.field(x)
		case *ast.InlineFragment:
			msg = c.selection(x.SelectionSet)
		case *ast.FragmentSpread:
			// A fragment's arguments are the same wherever it is spread.
			if f := c.frags.ForName(x.Name); f != nil && !c.seen[x.Name] {
				c.seen[x.Name] = true
				msg = c.selection(f.SelectionSet)
			}
		}
		if msg != "" {
			return msg
		}
	}
	return ""
}

// paging checks first and last of a connection.
func (c *argumentChecker) paging(f *ast.Field, args map[string]any) string {
	if !strings.HasSuffix(f.Definition.Type.Name(), "Connection") {
		return ""
	}
	first, hasFirst := intArg(args["first"])
	last, hasLast := intArg(args["last"])
	switch {
	case hasFirst && hasLast:
		return fmt.Sprintf("%s: give first or last, not both", f.Name)
	case hasFirst && (first < 0 || first > int64(c.l.PageSize)):
		return fmt.Sprintf("%s: first must be between 0 and %d", f.Name, c.l.PageSize)
	case hasLast && (last < 0 || last > int64(c.l.PageSize)):
		return fmt.Sprintf("%s: last must be between 0 and %d", f.Name, c.l.PageSize)
	}
	return ""
}

func intArg(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// value counts v and checks its lists; path names it within the
// arguments of field.
func (c *argumentChecker) value(field, path string, v any) string {
	c.values++
	if c.values > c.l.InputValues {
		return fmt.Sprintf("the arguments hold more than %d values; send fewer at a time", c.l.InputValues)
	}
	switch x := v.(type) {
	case []any:
		if len(x) > c.l.ListItems {
			return fmt.Sprintf("argument %s of %s has %d items; the limit is %d", path, field, len(x), c.l.ListItems)
		}
		for i, e := range x {
			if msg := c.value(field, fmt.Sprintf("%s[%d]", path, i), e); msg != "" {
				return msg
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if msg := c.value(field, path+"."+k, x[k]); msg != "" {
				return msg
			}
		}
	}
	return ""
}
