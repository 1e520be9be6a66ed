package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
)

// BenchmarkRegistration: -bench.n complete MEMBER_01 registrations, each
// of its own security server, against one central server process, with
// -bench.workers in flight at once, driven through the GraphQL API; for
// EC (P-256) keys and RSA-2048 keys on the software token. Prints the
// total time, the median of every step and the pure cryptography of the
// same steps measured in the same run. Target: 1,000 EC registrations in
// < 120 s on 2 cores.
func BenchmarkRegistration(b *testing.B) {
	ctx := context.Background()
	kdf, kdfName := softtoken.DefaultKDFParams(), "default argon2id"
	if *flagKDF != "" {
		var err error
		if kdf, err = softtoken.ParseKDFParams(*flagKDF); err != nil {
			b.Fatalf("-bench.kdf: %v", err)
		}
		kdfName = "argon2id of -bench.kdf"
	}
	kdfName += " (" + kdf.String() + ")"
	dbase := database(b)
	in := startInstance(ctx, b, dbase.URL)
	b.ResetTimer()
	for _, alg := range strings.Split(*flagAlg, ",") {
		alg = strings.TrimSpace(alg)
		steps := NewSteps()
		start := time.Now()
		cpu0, err := cpuTimes(in)
		if err != nil {
			b.Fatal(err)
		}
		if err := registerMany(ctx, in, alg, kdf, *flagN, *flagWorkers, steps); err != nil {
			b.Fatalf("%s: %v", alg, err)
		}
		total := time.Since(start)
		cpu1, err := cpuTimes(in)
		if err != nil {
			b.Fatal(err)
		}
		cryptoSteps := NewSteps()
		samples := min(*flagN, 50)
		cryptoCPU0, _ := ProcessCPU(0)
		for range samples {
			if err := CryptoCost(alg, kdf, cryptoSteps); err != nil {
				b.Fatal(err)
			}
		}
		cryptoCPU1, _ := ProcessCPU(0)
		cryptoCPU := (cryptoCPU1 - cryptoCPU0) / time.Duration(samples)
		bench, central := (cpu1[0]-cpu0[0])/time.Duration(*flagN), (cpu1[1]-cpu0[1])/time.Duration(*flagN)
		t := NewTable("step", "median", "p95")
		var stepSum time.Duration
		for _, name := range steps.Names() {
			s := steps.Get(name).Summarize()
			stepSum += s.P50
			t.Row(name, s.P50, s.P95)
		}
		t.Row("**one registration (sum of medians)**", stepSum, "")
		var cryptoSum time.Duration
		ct := NewTable("pure cryptography (same run)", "median", "per registration")
		for _, name := range cryptoSteps.Names() {
			s := cryptoSteps.Get(name)
			per := s.Summarize().Total / time.Duration(samples)
			cryptoSum += per
			ct.Row(name, s.Percentile(50), per)
		}
		ct.Row("**sum** (CPU time: "+Ms(cryptoCPU)+")", "", cryptoSum)
		report(b, fmt.Sprintf("Registration throughput: %d registrations, %s keys, %d in flight, %s", *flagN, alg, *flagWorkers, kdfName), t,
			fmt.Sprintf("**Total: %s for %d registrations (%.1f registrations/s)**, central server on %s.", total.Round(time.Millisecond), *flagN, float64(*flagN)/total.Seconds(), dbase.Name),
			fmt.Sprintf("CPU time per registration: %s (%s in this process: security servers, CA, clients; %s in the central server). "+
				"Of it, the security server's cryptography takes %s, so server overhead / cryptography = %.1f.",
				Ms(bench+central), Ms(bench), Ms(central), Ms(cryptoCPU), float64(bench+central-cryptoCPU)/float64(cryptoCPU)),
			"", ct.String(),
			"Each security server runs in this process (services, GraphQL handler and limits as `roadreg serve`, no session layer; in-memory SQLite) and is driven over loopback HTTP; the central server is a `roadreg serve` process, the test CA (OCSP, TSA) is served from this process.")
		b.ReportMetric(total.Seconds(), alg+"-total-s")
		b.ReportMetric(float64(*flagN)/total.Seconds(), alg+"-reg/s")
	}
}

var ssSeq atomic.Int64

// cpuTimes returns the CPU time used so far by this process and by the
// central server process.
func cpuTimes(in *Instance) ([2]time.Duration, error) {
	self, err := ProcessCPU(0)
	if err != nil {
		return [2]time.Duration{}, err
	}
	cs, err := ProcessCPU(in.Central.Pid())
	return [2]time.Duration{self, cs}, err
}

// registerMany registers n security servers, workers at a time.
func registerMany(ctx context.Context, in *Instance, alg string, kdf softtoken.KDFParams, n, workers int, steps *Steps) error {
	next := atomic.Int64{}
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := NewSteps()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				if err := registerOne(ctx, in, fmt.Sprintf("%s%05d", alg, i), alg, kdf, st); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					next.Store(int64(n)) // stop the others
					return
				}
			}
			mu.Lock()
			steps.Merge(st)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return firstErr
}

// registerOne is MEMBER_01 for one new security server with code
// serverCode, ending with its authentication certificate registered and
// active.
func registerOne(ctx context.Context, in *Instance, serverCode, alg string, kdf softtoken.KDFParams, st *Steps) error {
	var ss *Server
	if err := st.Do("start security server (database, migrations)", func() (err error) {
		ss, err = StartServer(ctx, ServerOptions{Role: viewer.Security, DSN: fmt.Sprintf("memory:bench-ss-%d", ssSeq.Add(1)),
			Watch: true, ConfPoll: time.Hour, Jobs: true, SoftTokenKDF: &kdf})
		return err
	}); err != nil {
		return err
	}
	defer ss.Close()
	c := ss.GraphQL
	token, err := in.SetUpSecurityServer(ctx, c, serverCode, alg, st)
	if err != nil {
		return err
	}
	auth, err := in.Certify(ctx, c, token, "AUTHENTICATION", alg, st)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	registered := ss.Events.Subscribe(sctx, events.AuthCertificateRegistered)
	var reqID int
	if err := st.Do("register (authCertReg to the central server)", func() (err error) {
		reqID, err = Register(ctx, c, auth.ID, strings.ToLower(serverCode)+".example.org")
		return err
	}); err != nil {
		return err
	}
	if err := st.Do("approve on the central server", func() error {
		_, err := in.Approve(ctx, OwnerMemberID+"/"+serverCode, reqID)
		return err
	}); err != nil {
		return err
	}
	if err := st.Do("configuration brings REGISTERED", func() error {
		select {
		case <-registered:
			return nil
		case <-time.After(2 * time.Minute):
			return fmt.Errorf("the authentication certificate of %s was not registered within 2 minutes", serverCode)
		}
	}); err != nil {
		return err
	}
	return st.Do("activate authentication certificate", func() error {
		return c.Do(ctx, `mutation($c: ID!) { activateCertificate(certificateId: $c) { active } }`, map[string]any{"c": auth.ID}, nil)
	})
}
