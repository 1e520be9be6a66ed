package bench

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"

	"entgo.io/ent/dialect"
)

type counterKey struct{}

// countingDriver counts the statements ent sends to the database on behalf
// of a context that carries a counter (one per GraphQL request).
type countingDriver struct{ dialect.Driver }

var _ dialect.Driver = (*countingDriver)(nil)

func count(ctx context.Context) {
	if c, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		c.Add(1)
	}
}

// Exec counts and runs a statement.
func (d *countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	count(ctx)
	return d.Driver.Exec(ctx, query, args, v)
}

// Query counts and runs a query.
func (d *countingDriver) Query(ctx context.Context, query string, args, v any) error {
	count(ctx)
	return d.Driver.Query(ctx, query, args, v)
}

// Tx starts a transaction whose statements are counted as well.
func (d *countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	count(ctx) // BEGIN
	return &countingTx{Tx: tx}, nil
}

type countingTx struct{ dialect.Tx }

func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	count(ctx)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	count(ctx)
	return t.Tx.Query(ctx, query, args, v)
}

// StatementStats collects the number of SQL statements per GraphQL request.
type StatementStats struct {
	mu     sync.Mutex
	counts []int
}

func (s *StatementStats) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := new(atomic.Int64)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), counterKey{}, c)))
		s.mu.Lock()
		s.counts = append(s.counts, int(c.Load()))
		s.mu.Unlock()
	})
}

// Reset forgets the requests counted so far.
func (s *StatementStats) Reset() {
	s.mu.Lock()
	s.counts = nil
	s.mu.Unlock()
}

// Requests is the number of requests counted.
func (s *StatementStats) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.counts)
}

// Max is the largest number of statements of one request.
func (s *StatementStats) Max() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := 0
	for _, c := range s.counts {
		m = max(m, c)
	}
	return m
}

// Mean is the average number of statements per request.
func (s *StatementStats) Mean() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.counts) == 0 {
		return 0
	}
	total := 0
	for _, c := range s.counts {
		total += c
	}
	return float64(total) / float64(len(s.counts))
}

// Median is the median number of statements per request.
func (s *StatementStats) Median() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.counts) == 0 {
		return 0
	}
	c := append([]int(nil), s.counts...)
	sort.Ints(c)
	return c[(len(c)-1)/2]
}
