package bench

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/globalconf"
)

// BenchmarkFanout: two replicas of the central server (`roadreg serve`
// processes) on PostgreSQL with -bench.members members (each owning a
// security server), and -bench.fanout simulated security servers in this
// process (bench/fanout.go), each keeping a watch channel open (half of
// them to each replica, as behind a load balancer) and, on every notice,
// downloading what the product's configuration client downloads (and,
// like it, downloading again after 100 ms, 200 ms, … while a download
// fails or gives another version than the announced one). For each
// crowd, each way of downloading — fetching only, or verifying and parsing
// as the product does; plain as before, or with gzip and If-None-Match —
// runs -bench.fanoutevents events: a new member is added through replica
// a, which generates (the replicas' periodic regeneration is set to 30 min,
// so that each event makes one version); the time until 50 %, 99 % and
// 100 % of the crowd hold
// the new version, the bytes each received, each replica's CPU and peak
// RSS, the simulator's CPU and the downloads retried. Targets at 5,000: bytes per security server at most 15 % of the
// plain fetch, fetch-only 99 % within 2 s, the replicas' CPU per event at
// most 0.5 s in all, no replica over 1 GiB.
func BenchmarkFanout(b *testing.B) {
	ctx := context.Background()
	sizes, err := parseSizes(*flagFanout)
	if err != nil {
		b.Fatal(err)
	}
	limit, err := RaiseOpenFiles()
	if err != nil {
		b.Fatal(err)
	}
	if need := uint64(3*sizes[len(sizes)-1] + 1000); limit < need {
		b.Fatalf("open files limit is %d, %d simulated security servers need %d (ulimit -n)", limit, sizes[len(sizes)-1], need)
	}
	dbURL := needPostgres(b).URL
	dir := b.TempDir()
	bin, err := Build(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	keyFile := filepath.Join(dir, "cluster.key")
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	if err := os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(key)), 0o600); err != nil {
		b.Fatal(err)
	}
	in, err := StartInstance(ctx, InstanceOptions{Bin: bin, Dir: dir, CentralDB: dbURL,
		CentralArgs: []string{"--node-name", "a", "--cluster-key-file", keyFile, "--conf-interval", "30m", "--conf-expire", "2h"}})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	if err := SeedRegistry(ctx, d.Client, *flagMembers); err != nil {
		b.Fatal(err)
	}
	d.Close()
	addrB, err := FreeAddr()
	if err != nil {
		b.Fatal(err)
	}
	replicaB, err := StartProcess(bin, "central-b", dir, nil, "serve", "--role=central", "--listen", addrB, "--db", dbURL,
		"--data-dir", filepath.Join(dir, "central-b"), "--node-name", "b", "--cluster-key-file", keyFile, "--conf-interval", "30m", "--conf-expire", "2h", "--log-format", "json")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = replicaB.Stop() }()
	urlA, urlB := in.CentralURL, "http://"+addrB
	if err := WaitHTTP(ctx, urlB+"/healthz"); err != nil {
		b.Fatal(err)
	}
	if err := in.Officer.Do(ctx, `mutation { generateGlobalConfiguration { version } }`, nil, nil); err != nil {
		b.Fatal(err)
	}
	anchor, err := globalconf.ParseAnchor([]byte(in.Anchor))
	if err != nil {
		b.Fatal(err)
	}
	certs := anchor.Sources[0].VerificationCerts
	order := func(urls ...string) *globalconf.Anchor {
		a := &globalconf.Anchor{Instance: anchor.Instance}
		for _, u := range urls {
			a.Sources = append(a.Sources, globalconf.AnchorSource{DownloadURL: u + globalconf.PathDirectory, VerificationCerts: certs})
		}
		return a
	}
	anchors := []*globalconf.Anchor{order(urlA, urlB), order(urlB, urlA)}
	replicas := []struct {
		name string
		pid  int
	}{{"a", in.Central.Pid()}, {"b", replicaB.Pid()}}

	modes := []FanoutMode{{}, {Compact: true}, {Verify: true}, {Verify: true, Compact: true}}
	t := NewTable("security servers", "downloads", "event", "50 %", "99 %", "100 %", "bytes per security server",
		"replica a CPU", "replica b CPU", "replicas' CPU", "peak RSS a / b", "clients' CPU", "downloads retried")
	type result struct {
		p99       time.Duration
		bytes     float64
		cpu       time.Duration
		rss       int64
		completed bool
	}
	results := map[string][]result{} // by "<n> <mode>"
	member := 0
	for _, n := range sizes {
		start := time.Now()
		crowd, err := StartFanout(ctx, anchors, n, modes[0])
		if err != nil {
			b.Fatal(err)
		}
		connected := time.Since(start)
		if err := waitReplicaWatchers(ctx, []string{urlA, urlB}, n); err != nil {
			crowd.Close()
			b.Fatal(err)
		}
		b.Logf("%d simulated security servers connected and synchronised in %s", n, connected.Round(time.Millisecond))
		for _, m := range modes {
			crowd.SetMode(m)
			for ev := 1; ev <= *flagFanoutEvents; ev++ {
				runtime.GC()
				crowd.ResetBytes()
				before := make([]CPUTimes, len(replicas))
				for i, r := range replicas {
					before[i], _ = ProcessTimes(r.pid)
					ResetPeakRSSOf(r.pid)
				}
				clients0, _ := ProcessTimes(0)
				prev, err := directoryETag(ctx, urlA)
				if err != nil {
					b.Fatal(err)
				}
				member++
				t0 := time.Now()
				if err := in.Officer.Do(ctx, `mutation($c: String!) { addMember(memberClass: "GOV", memberCode: $c, name: "Fan-out Agency") { id } }`,
					map[string]any{"c": fmt.Sprintf("FAN%05d", member)}, nil); err != nil {
					b.Fatal(err)
				}
				if _, err := nextETag(ctx, urlA, prev); err != nil {
					b.Fatal(err)
				}
				times := waitHolding(crowd, prev, n, 2*time.Minute)
				retried, why := crowd.Retries()
				if retried > 0 {
					b.Logf("%d simulated security servers, %s, event %d: %d downloads retried, the latest because: %v", n, m, ev, retried, why)
				}
				var cpu [2]CPUTimes
				var rss [2]int64
				for i, r := range replicas {
					after, _ := ProcessTimes(r.pid)
					cpu[i] = after.Sub(before[i])
					rss[i], _ = ProcMemory(r.pid, "VmHWM")
				}
				clients1, _ := ProcessTimes(0)
				var s Sample
				for _, at := range times {
					s.Add(at.Sub(t0))
				}
				bytesPer := float64(crowd.Bytes()) / float64(n)
				all := cpu[0].User + cpu[0].System + cpu[1].User + cpu[1].System
				done := fmt.Sprint(Ms(s.Percentile(100)))
				if len(times) < n {
					done = fmt.Sprintf("%d of %d after 2 min", len(times), n)
				}
				t.Row(n, m.String(), ev, s.Percentile(50), s.Percentile(99), done, fmt.Sprintf("%.1f kB", bytesPer/1000),
					cpu[0].String(), cpu[1].String(), Ms(all), MiB(rss[0])+" / "+MiB(rss[1]), clients1.Sub(clients0).String(), retried)
				k := fmt.Sprintf("%d %s", n, m)
				results[k] = append(results[k], result{p99: s.Percentile(99), bytes: bytesPer, cpu: all, rss: max(rss[0], rss[1]), completed: len(times) == n})
			}
		}
		crowd.Close()
	}

	// The targets, at the largest crowd.
	n := sizes[len(sizes)-1]
	plain, compact := results[fmt.Sprintf("%d %s", n, modes[0])], results[fmt.Sprintf("%d %s", n, modes[1])]
	mean := func(rs []result, f func(result) float64) float64 {
		var sum float64
		for _, r := range rs {
			sum += f(r)
		}
		return sum / float64(len(rs))
	}
	worst := func(f func(result) float64) float64 {
		w := 0.0
		for _, rs := range results {
			for _, r := range rs {
				w = max(w, f(r))
			}
		}
		return w
	}
	ratio := mean(compact, func(r result) float64 { return r.bytes }) / mean(plain, func(r result) float64 { return r.bytes })
	var p99s []time.Duration
	for _, r := range compact {
		p99s = append(p99s, r.p99)
	}
	sort.Slice(p99s, func(i, j int) bool { return p99s[i] < p99s[j] })
	cpuWorst := time.Duration(worst(func(r result) float64 { return float64(r.cpu) }))
	rssWorst := int64(worst(func(r result) float64 { return float64(r.rss) }))
	notes := []string{
		fmt.Sprintf("Two replicas (`roadreg serve --role=central`) on %s with %d members, each owning a security server; the simulated security servers run in this process, half of them watching replica a first, half replica b. Each event adds a member through replica a, which generates; times are from that request.", "PostgreSQL", *flagMembers),
		fmt.Sprintf("Targets at %d: bytes per security server %.1f %% of the plain fetch (target at most 15 %%); fetch-only p99 with gzip + If-None-Match %s (target 2 s); the replicas' CPU per event at most %s in all runs (target 0.5 s); peak RSS of a replica at most %s (target 1 GiB).",
			n, 100*ratio, joinDurations(p99s), Ms(cpuWorst), MiB(rssWorst)),
		"X-Road's central server publishes the same change within its 60 s generation cycle and its security servers download it within their 60 s download cycle.",
	}
	report(b, "Configuration fan-out: a new member reaching every security server", t, notes...)
}

// parseSizes reads a comma-separated list of crowd sizes, ascending.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-bench.fanout: %q is not a positive number", f)
		}
		out = append(out, n)
	}
	sort.Ints(out)
	return out, nil
}

func joinDurations(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, Ms(d))
	}
	return strings.Join(parts, ", ")
}

// waitReplicaWatchers waits until the replicas' watch channels hold n
// clients in all.
func waitReplicaWatchers(ctx context.Context, urls []string, n int) error {
	deadline := time.Now().Add(time.Minute)
	for {
		sum := 0.0
		for _, u := range urls {
			v, err := Metric(ctx, u, "roadreg_watch_clients")
			if err != nil {
				return err
			}
			sum += v
		}
		if int(sum) == n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the replicas' watch channels hold %d clients, want %d", int(sum), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// directoryETag is the ETag of the directory base serves (its hash).
func directoryETag(ctx context.Context, base string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, base+globalconf.PathDirectory, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return strings.Trim(resp.Header.Get("ETag"), `"`), nil
}

// nextETag waits until base serves a directory other than prev and
// returns its hash.
func nextETag(ctx context.Context, base, prev string) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		tag, err := directoryETag(ctx, base)
		if err != nil {
			return "", err
		}
		if tag != prev && tag != "" {
			return tag, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%s published no new version within 30 s", base)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitHolding waits until n clients hold a version after the one whose
// directory hash is prev (or timeout) and returns when each got it.
func waitHolding(f *Fanout, prev string, n int, timeout time.Duration) []time.Time {
	deadline := time.Now().Add(timeout)
	for {
		got := f.Holding(prev)
		if len(got) == n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}
