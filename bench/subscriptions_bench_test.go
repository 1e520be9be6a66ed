package bench

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkSubscriptions: -bench.subscribers concurrent graphql-ws
// subscribers of globalConfigurationChanged on one security server process
// (PostgreSQL); one event at a time (the central server gets a new member
// and generates a new version, then the administrator refreshes the
// security server's configuration), -bench.events times. Fan-out latency
// per subscriber from the refresh request, and the server's resident
// memory; then the same clients and as many events against a bare
// websocket broadcast (bench/broadcast.go). Targets: Roadreg's p99 within
// twice the broadcast's of the same run (maxRatio), RSS < 1 GiB.
func BenchmarkSubscriptions(b *testing.B) {
	ctx := context.Background()
	limit, err := RaiseOpenFiles()
	if err != nil {
		b.Fatal(err)
	}
	if need := uint64(*flagSubscribers) + 1000; limit < need {
		b.Fatalf("open files limit is %d, %d subscribers need %d (ulimit -n)", limit, *flagSubscribers, need)
	}
	in := startInstance(ctx, b, needPostgres(b).URL)
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
	out, err := RunCLI(ctx, in.Bin, "", nil, "apikey", "create", "--server", "security", "--db", ssDB, "--name", "bench", "--role", "SECURITYSERVER_OBSERVER")
	if err != nil {
		b.Fatal(err)
	}
	key := strings.TrimSpace(out)
	idle, _ := ProcMemory(ss.Pid(), "VmRSS")

	b.ResetTimer()
	arrivals := NewArrivals(*flagSubscribers)
	subs, connectTime, err := subscribeMany(ctx, ss.URL, key, arrivals)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		for _, s := range subs {
			s.Close()
		}
	}()
	if err := waitMetric(ctx, ss.URL, "roadreg_subscriptions", float64(len(subs))); err != nil {
		b.Fatal(err)
	}
	connected, _ := ProcMemory(ss.Pid(), "VmRSS")
	executions, err := Metric(ctx, ss.URL, "roadreg_subscription_executions")
	if err != nil {
		b.Fatal(err)
	}
	t := NewTable("server", "event", "subscribers", "received", "p50", "p99", "max", "p50 after first", "p99 after first", "trigger answered", "server CPU", "subscribers' CPU")
	var roadreg, reference Sample // p99s from the trigger
	var last Summary
	for i := 1; i <= *flagEvents; i++ {
		// A new member changes the shared parameters; the security server
		// announces only versions whose content changed.
		if err := in.Officer.Do(ctx, `mutation($c: String!) { addMember(memberClass: "GOV", memberCode: $c, name: "Fan-out Agency") { id } }`,
			map[string]any{"c": fmt.Sprintf("FANOUT%d", i)}, nil); err != nil {
			b.Fatal(err)
		}
		if err := in.Officer.Do(ctx, `mutation { generateGlobalConfiguration { version } }`, nil, nil); err != nil {
			b.Fatal(err)
		}
		f, err := fanOut(arrivals, ss.Pid(), func() error {
			return ss.Admin.Do(ctx, `mutation { refreshGlobalConfiguration { version } }`, nil, nil)
		})
		if err != nil {
			b.Fatalf("event %d: %v", i, err)
		}
		t.Row(append([]any{"Roadreg security server", i}, f.row()...)...)
		last = f.fromStart
		roadreg.Add(f.fromStart.P99)
	}
	peak, _ := ProcMemory(ss.Pid(), "VmHWM")
	for _, s := range subs {
		s.Close()
	}
	subs = nil

	// The same clients and events against the reference server.
	ref, err := startBroadcastReference(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer ref.Close()
	refArrivals := NewArrivals(*flagSubscribers)
	refSubs, _, err := subscribeMany(ctx, "http://"+ref.addr, "", refArrivals)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		for _, s := range refSubs {
			s.Close()
		}
	}()
	if err := ref.waitSubscribers(len(refSubs)); err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= *flagEvents; i++ {
		f, err := fanOut(refArrivals, ref.Pid(), func() error { return ref.next(i) })
		if err != nil {
			b.Fatalf("reference event %d: %v", i, err)
		}
		t.Row(append([]any{"reference: bare websocket broadcast", i}, f.row()...)...)
		reference.Add(f.fromStart.P99)
	}
	b.StopTimer()
	ratio := float64(roadreg.Summarize().Mean) / float64(reference.Summarize().Mean)
	verdict := "met"
	if ratio > maxRatio {
		verdict = "not met"
	}
	report(b, "Subscriptions at scale: globalConfigurationChanged on one security server", t,
		fmt.Sprintf("Connecting %d subscribers (graphql-transport-ws, API key in connection_init) took %s.", *flagSubscribers, connectTime.Round(time.Millisecond)),
		fmt.Sprintf("Security server RSS: %s idle, %s with the subscribers connected, peak %s.", MiB(idle), MiB(connected), MiB(peak)),
		fmt.Sprintf("The %d subscriptions ran as %.0f execution(s) (roadreg_subscription_executions).", *flagSubscribers, executions),
		fmt.Sprintf("Mean p99 from the trigger: Roadreg %s, the bare broadcast %s: %.2f times (target: at most %.0f, %s).", Ms(roadreg.Summarize().Mean), Ms(reference.Summarize().Mean), ratio, maxRatio, verdict),
		"Latency is from the trigger (the refreshGlobalConfiguration request, which downloads, verifies, stores and publishes; for the reference, the command to send) to each subscriber's event; \"after first\" from the first delivery.",
		"CPU is user + system time (user space alone in brackets; the rest is the kernel, mostly the loopback TCP writes and reads) from the trigger until the last event arrived: the server process, and this process (the subscribers' clients), which share the machine's cores.",
		"The reference server (bench/broadcast.go, its own process) writes one pre-rendered message per connection from the connection's goroutine and does nothing else: what fanning out costs on this machine with these clients, before any GraphQL.")
	b.ReportMetric(float64(last.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(last.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(ratio, "p99-ratio")
}

// maxRatio is the target: Roadreg's fan-out p99 at most this many times
// the bare broadcast's in the same run.
const maxRatio = 2.0

// fanOutResult is one event's delivery to every subscriber.
type fanOutResult struct {
	subscribers          int
	received             int
	fromStart, fromFirst Summary
	answered             time.Duration
	serverCPU, selfCPU   CPUTimes
}

func (f fanOutResult) row() []any {
	return []any{f.subscribers, f.received, f.fromStart.P50, f.fromStart.P99, f.fromStart.Max, f.fromFirst.P50, f.fromFirst.P99,
		f.answered, f.serverCPU, f.selfCPU}
}

// fanOut runs trigger and collects one event per subscription from
// arrivals (a minute at most), checking each is a globalConfigurationChanged
// event; serverPid's and this process's CPU time are measured over the
// same span.
func fanOut(arrivals *Arrivals, serverPid int, trigger func() error) (fanOutResult, error) {
	f := fanOutResult{subscribers: arrivals.n}
	// This process's collector would otherwise run during some events
	// (every third or so) and take ~100 ms of the cores the server needs.
	runtime.GC()
	wait := arrivals.Round()
	serverCPU0, _ := ProcessTimes(serverPid)
	selfCPU0, _ := ProcessTimes(0)
	start := time.Now()
	if err := trigger(); err != nil {
		return f, err
	}
	f.answered = time.Since(start)
	events, err := wait(time.Minute)
	serverCPU1, _ := ProcessTimes(serverPid)
	selfCPU1, _ := ProcessTimes(0)
	f.serverCPU, f.selfCPU = serverCPU1.Sub(serverCPU0), selfCPU1.Sub(selfCPU0)
	if err != nil {
		return f, err
	}
	var fromStart, fromFirst Sample
	first := events[0].At
	for _, e := range events {
		if len(e.Errors) > 0 && string(e.Errors) != "null" || !bytes.Contains(e.Data, []byte(`"version"`)) {
			return f, fmt.Errorf("a subscriber got data %s, errors %s", e.Data, e.Errors)
		}
		if e.At.Before(first) {
			first = e.At
		}
	}
	for _, e := range events {
		fromStart.Add(e.At.Sub(start))
		fromFirst.Add(e.At.Sub(first))
	}
	f.received = fromStart.Len()
	f.fromStart, f.fromFirst = fromStart.Summarize(), fromFirst.Summarize()
	return f, nil
}

// waitMetric waits up to a minute until base/metrics shows name at want.
func waitMetric(ctx context.Context, base, name string, want float64) error {
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := Metric(ctx, base, name)
		if err == nil && got == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s is %v (%v) after a minute, want %v", name, got, err, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// subscribeMany opens one subscription per slot of arrivals with the API
// key, 64 at a time.
func subscribeMany(ctx context.Context, base, key string, arrivals *Arrivals) ([]*Subscription, time.Duration, error) {
	n := arrivals.n
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
			s, err := c.SubscribeRecorded(ctx, `subscription { globalConfigurationChanged { version } }`, nil, arrivals, i)
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
