package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkSubscriptions: -bench.subscribers concurrent graphql-ws
// subscribers of globalConfigurationChanged on one security server process
// (PostgreSQL); one event at a time (the central server gets a new member
// and generates a new version, then the administrator refreshes the
// security server's configuration), three times. Fan-out latency per subscriber from the refresh request, and the
// server's resident memory. Targets: p99 < 200 ms, RSS < 1 GiB.
func BenchmarkSubscriptions(b *testing.B) {
	ctx := context.Background()
	limit, err := RaiseOpenFiles()
	if err != nil {
		b.Fatal(err)
	}
	if need := uint64(*flagSubscribers) + 1000; limit < need {
		b.Fatalf("open files limit is %d, %d subscribers need %d (ulimit -n)", limit, *flagSubscribers, need)
	}
	bin, err := Build(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	in, err := StartInstance(ctx, InstanceOptions{Bin: bin, Dir: dir, CentralDB: needPostgres(b).URL})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	ssDB := needPostgres(b).URL
	// The watch channel is off so that only the administrator's refresh
	// brings a new version (and with it the event).
	ss, err := in.StartSecurityServer(ctx, "security", ssDB, "--watch=false", "--conf-poll", "1h")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = ss.Stop() }()
	if err := ss.Admin.Do(ctx, `mutation($a: String!) { uploadAnchor(anchor: $a) { hash } }`, map[string]any{"a": in.Anchor}, nil); err != nil {
		b.Fatal(err)
	}
	out, err := RunCLI(ctx, bin, "", nil, "apikey", "create", "--server", "security", "--db", ssDB, "--name", "bench", "--role", "SECURITYSERVER_OBSERVER")
	if err != nil {
		b.Fatal(err)
	}
	key := strings.TrimSpace(out)
	idle, _ := ProcMemory(ss.Pid(), "VmRSS")

	b.ResetTimer()
	subs, connectTime, err := subscribeMany(ctx, ss.URL, key, *flagSubscribers)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		for _, s := range subs {
			s.Close()
		}
	}()
	connected, _ := ProcMemory(ss.Pid(), "VmRSS")
	arrivals := make(chan time.Time, len(subs))
	for _, s := range subs {
		go func() {
			for e := range s.Events() {
				arrivals <- e.At
			}
		}()
	}
	t := NewTable("event", "subscribers", "received", "p50", "p99", "max", "p50 after first", "p99 after first", "refresh answered")
	var last Summary
	for i := 1; i <= 3; i++ {
		// A new member changes the shared parameters; the security server
		// announces only versions whose content changed.
		if err := in.Officer.Do(ctx, `mutation($c: String!) { addMember(memberClass: "GOV", memberCode: $c, name: "Fan-out Agency") { id } }`,
			map[string]any{"c": fmt.Sprintf("FANOUT%d", i)}, nil); err != nil {
			b.Fatal(err)
		}
		if err := in.Officer.Do(ctx, `mutation { generateGlobalConfiguration { version } }`, nil, nil); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		var answered time.Duration
		if err := ss.Admin.Do(ctx, `mutation { refreshGlobalConfiguration { version } }`, nil, nil); err != nil {
			b.Fatal(err)
		}
		answered = time.Since(start)
		var fromStart, fromFirst Sample
		var first time.Time
		timeout := time.After(time.Minute)
	collect:
		for fromStart.Len() < len(subs) {
			select {
			case at := <-arrivals:
				if first.IsZero() || at.Before(first) {
					first = at
				}
				fromStart.Add(at.Sub(start))
			case <-timeout:
				break collect
			}
		}
		// Arrivals may come out of order: measure from the earliest one.
		for _, d := range fromStart.sorted() {
			fromFirst.Add(d - first.Sub(start))
		}
		last = fromStart.Summarize()
		ff := fromFirst.Summarize()
		t.Row(i, len(subs), fromStart.Len(), last.P50, last.P99, last.Max, ff.P50, ff.P99, answered)
	}
	peak, _ := ProcMemory(ss.Pid(), "VmHWM")
	b.StopTimer()
	report(b, "Subscriptions at scale: globalConfigurationChanged on one security server", t,
		fmt.Sprintf("Connecting %d subscribers (graphql-transport-ws, API key in connection_init) took %s.", len(subs), connectTime.Round(time.Millisecond)),
		fmt.Sprintf("Security server RSS: %s idle, %s with the subscribers connected, peak %s.", MiB(idle), MiB(connected), MiB(peak)),
		"Latency is from the refreshGlobalConfiguration request (download, verify, store, publish) to each subscriber's event; \"after first\" from the first delivery.")
	b.ReportMetric(float64(last.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(last.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
}

// subscribeMany opens n subscriptions with the API key, 64 at a time.
func subscribeMany(ctx context.Context, base, key string, n int) ([]*Subscription, time.Duration, error) {
	start := time.Now()
	subs := make([]*Subscription, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c := &Client{Base: base, Bearer: key}
			s, err := c.Subscribe(ctx, `subscription { globalConfigurationChanged { version } }`, nil)
			if err != nil {
				errs <- err
				return
			}
			subs[i] = s
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		for _, s := range subs {
			if s != nil {
				s.Close()
			}
		}
		return nil, 0, fmt.Errorf("subscribing: %w", err)
	}
	return subs, time.Since(start), nil
}
