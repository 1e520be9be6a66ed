package bench

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkPropagation: the time from the central server's answer to
// approveManagementRequest to the security-server administrator's
// authCertificateRegistered event over graphql-ws, with the central and
// security servers as separate processes on PostgreSQL: -bench.reps
// registrations with the watch channel, then -bench.pollreps with the
// watch channel off and configuration polled every -bench.poll. Targets
// (watch channel): p50 < 250 ms, p99 < 1 s.
func BenchmarkPropagation(b *testing.B) {
	ctx := context.Background()
	in := startInstance(ctx, b, needPostgres(b).URL)
	ss, err := in.StartSecurityServer(ctx, "security", needPostgres(b).URL)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = ss.Stop() }()
	token, err := in.SetUpSecurityServer(ctx, ss.Admin, "SS1", "EC", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	watch, err := measurePropagation(ctx, in, ss, token, *flagReps, 0)
	if err != nil {
		b.Fatalf("with the watch channel: %v", err)
	}
	if err := ss.Restart(ctx, "--watch=false", "--conf-poll", flagPoll.String()); err != nil {
		b.Fatal(err)
	}
	if err := LoginToken(ctx, ss.Admin, token, SecurityPIN); err != nil {
		b.Fatal(err)
	}
	poll, err := measurePropagation(ctx, in, ss, token, *flagPollReps, *flagPoll)
	if err != nil {
		b.Fatalf("polling: %v", err)
	}
	b.StopTimer()

	t := NewTable("security server", "registrations", "p50", "p95", "p99", "max", "mean")
	w, p := watch.Summarize(), poll.Summarize()
	t.Row("watch channel (default)", w.N, w.P50, w.P95, w.P99, w.Max, w.Mean)
	t.Row(fmt.Sprintf("polling only, --watch=false --conf-poll %s", *flagPoll), p.N, p.P50, p.P95, p.P99, p.Max, p.Mean)
	t.Row("X-Road with its defaults (not measured): 60 s generation + 60 s download + 30 s checker", "—", "", "", "", "≤ 150 s", "≈ 75 s")
	report(b, "Propagation latency: approveManagementRequest → authCertificateRegistered", t,
		"Central server and security server are `roadreg serve` processes on PostgreSQL; each registration uses a fresh EC authentication key on the software token. When polling, each approval waits a random time within the polling interval first.")
	b.ReportMetric(float64(w.P50.Microseconds())/1000, "watch-p50-ms")
	b.ReportMetric(float64(w.P99.Microseconds())/1000, "watch-p99-ms")
	b.ReportMetric(float64(p.P50.Microseconds())/1000, "poll-p50-ms")
}

// measurePropagation registers reps new authentication certificates of
// the security server one after the other and measures, for each, the
// time from the approval's answer to the subscription event. Each approval
// waits a random time below jitter first, so that approvals do not fall
// into the same phase of a polling interval.
func measurePropagation(ctx context.Context, in *Instance, ss *SecurityServerProcess, token string, reps int, jitter time.Duration) (*Sample, error) {
	sub, err := ss.Admin.Subscribe(ctx, `subscription { authCertificateRegistered { sha256 status } }`, nil)
	if err != nil {
		return nil, err
	}
	defer sub.Close()
	const serverID = OwnerMemberID + "/SS1"
	var lat Sample
	for i := range reps {
		cert, err := in.Certify(ctx, ss.Admin, token, "AUTHENTICATION", "EC", nil)
		if err != nil {
			return nil, err
		}
		reqID, err := Register(ctx, ss.Admin, cert.ID, fmt.Sprintf("ss1-%d.example.org", i))
		if err != nil {
			return nil, err
		}
		if jitter > 0 {
			time.Sleep(rand.N(jitter))
		}
		approved, err := in.Approve(ctx, serverID, reqID)
		if err != nil {
			return nil, err
		}
		wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		for {
			e, err := sub.Next(wctx)
			if err != nil {
				cancel()
				return nil, fmt.Errorf("waiting for the event of registration %d: %w", i+1, err)
			}
			if bytes.Contains(e.Data, []byte(cert.Sha256)) {
				lat.Add(max(e.At.Sub(approved), 0))
				break
			}
		}
		cancel()
	}
	return &lat, nil
}
