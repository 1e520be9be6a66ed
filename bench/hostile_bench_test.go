package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkHostileDocuments: the 1,000-alias introspection document (over
// the size limit of documents) and a 100-alias one (within the size and
// token limits; the count of fields refuses it) sent to a `roadreg serve --role=security --introspection`
// process, anonymously and with a SECURITYSERVER_OBSERVER API key, 10 at
// once for -bench.rounds rounds: time to the refusal, bytes answered, and
// the server's CPU time per request and the growth of its resident memory
// (peak during the rounds over the resident memory before them, after one
// round that is not measured). Targets: refused in under 20 ms each, under
// 2 KB answered, RSS growth under 10 MiB.
func BenchmarkHostileDocuments(b *testing.B) {
	ctx := context.Background()
	dbase := database(b)
	dir := b.TempDir()
	bin, err := Build(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	out, err := RunCLI(ctx, bin, "", nil, "apikey", "create", "--server", "security", "--db", dbase.URL, "--name", "bench", "--role", "SECURITYSERVER_OBSERVER")
	if err != nil {
		b.Fatal(err)
	}
	key := strings.TrimSpace(out)
	addr, err := FreeAddr()
	if err != nil {
		b.Fatal(err)
	}
	ss, err := StartProcess(bin, "security", dir, nil, "serve", "--role=security", "--listen", addr, "--db", dbase.URL,
		"--data-dir", dir+"/security", "--log-format", "json", "--introspection")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = ss.Stop() }()
	base := "http://" + addr
	if err := WaitHTTP(ctx, base+"/healthz"); err != nil {
		b.Fatal(err)
	}

	const (
		atOnce      = 10
		targetTime  = 20 * time.Millisecond
		targetBytes = 2 << 10
		targetRSS   = 10 << 20
	)
	t := NewTable("document", "caller", "requests (10 at once)", "answer", "p50", "p95", "max", "bytes answered (max)", "server CPU per request", "server RSS before", "RSS growth (peak)")
	met := true
	b.ResetTimer()
	for _, doc := range []struct {
		name string
		body []byte
	}{
		{"1,000 aliases (160 kB)", RequestBody(IntrospectionAliases(1000))},
		{"100 aliases (16 kB)", RequestBody(IntrospectionAliases(100))},
	} {
		for _, caller := range []struct{ name, bearer string }{{"anonymous", ""}, {"observer (API key)", key}} {
			var (
				lat      Sample
				mu       sync.Mutex
				maxBytes int
				codes    = map[string]int{}
				firstErr error
			)
			round := func(record bool) {
				var wg sync.WaitGroup
				for range atOnce {
					wg.Add(1)
					go func() {
						defer wg.Done()
						a, err := Post(ctx, base, caller.bearer, doc.body)
						mu.Lock()
						defer mu.Unlock()
						switch {
						case err != nil:
							firstErr = err
						case record:
							lat.Add(a.Elapsed)
							maxBytes = max(maxBytes, a.Bytes)
							codes[fmt.Sprintf("%d %s", a.Status, a.Code)]++
						}
					}()
				}
				wg.Wait()
			}
			// Unmeasured rounds first: connections, the API key's lookup,
			// and until the server's garbage collector has run once more.
			// Right after start-up its heap still holds the garbage of the
			// start-up (the password hasher's work area), and the first
			// requests of any kind grow RSS by tens of MiB until the first
			// collection.
			gcs, _ := Metric(ctx, base, "go_gc_duration_seconds_count")
			for i := 0; i < 50; i++ {
				round(false)
				if n, err := Metric(ctx, base, "go_gc_duration_seconds_count"); err != nil || n > gcs {
					break
				}
			}
			before, _ := ProcMemory(ss.Pid(), "VmRSS")
			peakKnown := ResetPeakRSSOf(ss.Pid())
			cpu0, _ := ProcessCPU(ss.Pid())
			for range *flagRounds {
				round(true)
			}
			cpu1, _ := ProcessCPU(ss.Pid())
			if firstErr != nil {
				b.Fatal(firstErr)
			}
			growth := "—"
			if peak, err := ProcMemory(ss.Pid(), "VmHWM"); err == nil && peakKnown {
				growth = MiB(peak - before)
				met = met && peak-before < targetRSS
			}
			s := lat.Summarize()
			var answers []string
			for c, n := range codes {
				answers = append(answers, fmt.Sprintf("%s ×%d", c, n))
			}
			t.Row(doc.name, caller.name, s.N, strings.Join(answers, ", "), s.P50, s.P95, s.Max, maxBytes,
				Ms((cpu1-cpu0)/time.Duration(max(s.N, 1))), MiB(before), growth)
			met = met && s.Max < targetTime && maxBytes < targetBytes && len(codes) == 1 && codes["200 QUERY_TOO_COMPLEX"] > 0
			b.ReportMetric(float64(s.Max.Microseconds())/1000, "max-ms/"+strings.Fields(doc.name)[0]+"-"+strings.Fields(caller.name)[0])
		}
	}
	b.StopTimer()
	verdict := "all targets met"
	if !met {
		verdict = "a target was missed"
	}
	report(b, "Hostile documents: introspection aliases refused before validation", t,
		fmt.Sprintf("`roadreg serve --role=security --introspection` on %s; each request is a new POST /graphql over loopback HTTP, timed by the client. "+
			"Targets: each refused in under %s, under %d bytes answered, server RSS growth under %s: %s.", dbase.Name, Ms(targetTime), targetBytes, MiB(targetRSS), verdict))
}
