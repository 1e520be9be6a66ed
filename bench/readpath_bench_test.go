package bench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkReadPath: securityServers(first: 100) with owners and
// authentication certificates on a registry of -bench.servers servers,
// -bench.requests requests from -bench.clients concurrent clients over
// loopback HTTP; requests per second, latency and SQL statements per
// request (target ≤ 4).
func BenchmarkReadPath(b *testing.B) {
	ctx := context.Background()
	dbase := database(b)
	seedStart := time.Now()
	s, err := StartCentral(ctx, dbase.URL, *flagServers)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seeded := time.Since(seedStart)
	if err := s.GraphQL.Do(ctx, ReadPathQuery, nil, nil); err != nil { // warm-up (caches the instance)
		b.Fatal(err)
	}
	s.Statements.Reset()
	b.ResetTimer()

	var lat Sample
	var next, failed atomic.Int64
	var firstErr error
	var errOnce sync.Once
	start := time.Now()
	var wg sync.WaitGroup
	for range *flagClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := NewClient(s.HTTP.URL)
			for next.Add(1) <= int64(*flagRequests) {
				t0 := time.Now()
				if err := c.Do(ctx, ReadPathQuery, nil, nil); err != nil {
					failed.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				lat.Add(time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if firstErr != nil {
		b.Fatalf("%d requests failed, the first with %v", failed.Load(), firstErr)
	}
	sum := lat.Summarize()
	rps := float64(sum.N) / elapsed.Seconds()
	t := NewTable("database", "servers", "clients", "requests", "req/s", "p50", "p99", "max", "SQL statements/request (max)")
	t.Row(dbase.Name, *flagServers, *flagClients, sum.N, rps, sum.P50, sum.P99, sum.Max,
		fmt.Sprintf("%d (mean %.2f)", s.Statements.Max(), s.Statements.Mean()))
	report(b, "GraphQL read path: securityServers(first: 100) with owner and authCertificates", t,
		"Query: `"+ReadPathQuery+"`",
		fmt.Sprintf("In-process central server (services, GraphQL handler and limits as `roadreg serve`, no session lookup), registry seeded in %s.", seeded.Round(time.Millisecond)))
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(sum.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(sum.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(s.Statements.Max()), "stmts/req")
}
