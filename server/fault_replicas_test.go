package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/testenv"
)

// confObserver is a security server's configuration client reduced to what
// the fault tests watch: the watch channel of every replica it is given
// (one connection at a time, moving on as a security server's does), and
// downloads with verification every few milliseconds.
type confObserver struct {
	mu sync.Mutex
	// hashes are the directory hashes announced per version number.
	hashes map[int]map[string]bool
	// applied are the directory hashes downloaded and verified; refused the
	// downloads refused other than for being unreachable.
	applied map[string]bool
	refused []error
}

func observeConf(t *testing.T, anchorXML string) *confObserver {
	t.Helper()
	a, err := globalconf.ParseAnchor([]byte(anchorXML))
	if err != nil {
		t.Fatal(err)
	}
	o := &confObserver{hashes: map[int]map[string]bool{}, applied: map[string]bool{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	w := &globalconf.Watcher{MinBackoff: 50 * time.Millisecond, MaxBackoff: 500 * time.Millisecond, OnNotify: func(n globalconf.Notification) {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.hashes[n.Version] == nil {
			o.hashes[n.Version] = map[string]bool{}
		}
		o.hashes[n.Version][n.Hash] = true
	}}
	for _, src := range a.Sources {
		u, err := globalconf.WatchURL(src.DownloadURL)
		if err != nil {
			t.Fatal(err)
		}
		w.URLs = append(w.URLs, u)
	}
	wg.Add(2)
	go func() { defer wg.Done(); _ = w.Run(ctx) }()
	go func() {
		defer wg.Done()
		hc := globalconf.NewHTTPClient(time.Second, 2*time.Second)
		var prev *globalconf.Snapshot
		for ctx.Err() == nil {
			snap, err := globalconf.Download(ctx, hc, a, prev, nil, time.Now())
			o.mu.Lock()
			switch {
			case err == nil:
				o.applied[snap.DirectoryHash] = true
				prev = snap
			case !errors.Is(err, globalconf.ErrUnreachable) && ctx.Err() == nil:
				o.refused = append(o.refused, err)
			}
			o.mu.Unlock()
			select {
			case <-ctx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return o
}

// check fails the test when a version number was announced with two
// different directories or a download was refused.
func (o *confObserver) check(t *testing.T) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for v, hs := range o.hashes {
		if len(hs) > 1 {
			t.Errorf("version %d was announced with %d different directories", v, len(hs))
		}
	}
	for _, err := range o.refused {
		t.Errorf("a download was refused: %v", err)
	}
	if len(o.applied) == 0 {
		t.Error("nothing was downloaded")
	}
}

// versions are the stored versions' numbers, in order.
func storedVersions(t *testing.T, db *sql.DB) []int {
	t.Helper()
	rows, err := db.Query(`SELECT version FROM global_conf_versions ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// TestFaultGeneratorKilledDuringGeneration kills (SIGKILL) the replica
// that generates while it stores a version: the version it was storing is
// never published, the other replica generates within 5 s, every version
// number is used once (1, 2, 3 … without a gap), and a configuration client
// downloading all along never gets a version it cannot verify.
func TestFaultGeneratorKilledDuringGeneration(t *testing.T) {
	t.Parallel()
	needReplicaDatabase(t)
	url := testenv.Postgres(t).URL
	rs := newReplicaSet(t, url)
	a, b := rs.start(t, "a"), rs.start(t, "b")
	e := newMember01Central(t, a.url, a.admin, a.admin, a.admin)
	e.initCentral(t, a.addr)
	a.waitGenerator(t, "a", 10*time.Second)
	testenv.WaitFor(t, 10*time.Second, "b to be logged in", func() bool {
		n, _ := a.cluster(t).node("b")
		return n.SigningTokenLoggedIn
	})
	obs := observeConf(t, e.anchor)
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Hold a in the middle of storing a version: the table is locked, its
	// insert waits (holding the generator lease's row).
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.Exec(`LOCK TABLE global_conf_versions IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	before := storedVersions(t, db)
	// A change through a: a generates in the background, and waits.
	a.admin.ok(t, qAddMember, map[string]any{"c": "GOV", "m": "6000", "n": "Never published by a"}, nil)
	testenv.WaitFor(t, 10*time.Second, "a to wait while storing its version", func() bool {
		var n int
		_ = db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
			AND query ILIKE 'INSERT INTO "global_conf_versions"%'`).Scan(&n)
		return n == 1
	})
	a.kill(t)
	killed := time.Now()
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 10*time.Second, "b to publish a version", func() bool {
		st := b.cluster(t)
		return st.LastGeneratedBy != nil && *st.LastGeneratedBy == "b"
	})
	took := time.Since(killed)
	t.Logf("b published a version %s after a was killed while storing one", took.Round(time.Millisecond))
	if took > 5*time.Second {
		t.Errorf("b took %s to publish a version, want at most 5 s", took)
	}
	// b goes on: a change made through it is published too.
	b.admin.ok(t, qAddMember, map[string]any{"c": "GOV", "m": "6001", "n": "After the crash"}, nil)
	testenv.WaitFor(t, 10*time.Second, "a version with the new member", func() bool {
		var out struct{ CentralServerCluster clusterStatus }
		b.admin.ok(t, qCluster, nil, &out)
		return out.CentralServerCluster.LastVersion != nil && *out.CentralServerCluster.LastVersion >= before[len(before)-1]+2
	})
	testenv.WaitFor(t, 10*time.Second, "the observer to download the newest version", func() bool {
		obs.mu.Lock()
		defer obs.mu.Unlock()
		return len(obs.hashes) > 0 && len(obs.applied) >= 2
	})

	after := storedVersions(t, db)
	for i, v := range after {
		if v != after[0]+i {
			t.Fatalf("stored versions %v are not one number each, without a gap", after)
		}
	}
	if len(after) <= len(before) {
		t.Errorf("versions before the crash %v, after %v", before, after)
	}
	obs.check(t)
	var by []string
	rows, err := db.Query(`SELECT DISTINCT generated_by FROM global_conf_versions`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		by = append(by, s)
	}
	rows.Close()
	sort.Strings(by)
	if strings.Join(by, ",") != "a,b" {
		t.Errorf("versions were generated by %v", by)
	}
}

// TestFaultWatchReplicaKilled kills (SIGKILL) the replica a security
// server keeps its watch channel open to, which is not the one that
// generates: the security server's channel moves to the other replica, and
// the next version reaches it within seconds.
func TestFaultWatchReplicaKilled(t *testing.T) {
	t.Parallel()
	needReplicaDatabase(t)
	rs := newReplicaSet(t, testenv.Postgres(t).URL)
	// b generates; a's address is the central server address, so the
	// anchor lists it first and the security server watches it.
	aAddr := testenv.FreeAddress(t)
	b := rs.start(t, "b")
	e := newMember01Central(t, b.url, b.admin, b.admin, b.admin)
	e.initCentral(t, aAddr)
	a := rs.startAt(t, "a", aAddr)
	b.waitGenerator(t, "b", 10*time.Second)
	var anchor struct{ ConfigurationAnchor string }
	b.admin.ok(t, `{ configurationAnchor }`, nil, &anchor)
	e.anchor = anchor.ConfigurationAnchor
	if i, j := strings.Index(e.anchor, a.url+"/internalconf"), strings.Index(e.anchor, b.url+"/internalconf"); i < 0 || j < i {
		t.Fatalf("the anchor does not list a, then b:\n%s", e.anchor)
	}
	e.startSecurity(t)
	testenv.WaitFor(t, 10*time.Second, "the security server on a's watch channel", func() bool {
		return a.metric(t, "roadreg_watch_clients") == 1
	})
	if b.metric(t, "roadreg_watch_clients") != 0 {
		t.Fatal("the security server watches b too")
	}

	a.kill(t)
	killed := time.Now()
	b.admin.ok(t, qAddMember, map[string]any{"c": "GOV", "m": "7001", "n": "Announced by b"}, nil)
	testenv.WaitFor(t, 20*time.Second, "the security server to receive the next version", func() bool {
		var out struct{ MemberName *string }
		e.admin.ok(t, `query($c: String!) { memberName(memberClass: "GOV", memberCode: $c) }`, map[string]any{"c": "7001"}, &out)
		return out.MemberName != nil
	})
	took := time.Since(killed)
	t.Logf("the next version reached the security server %s after its watch channel's replica was killed", took.Round(time.Millisecond))
	if took > 5*time.Second {
		t.Errorf("%s, want a few seconds at most (its configuration poll is a minute)", took)
	}
	if b.metric(t, "roadreg_watch_clients") != 1 {
		t.Error("the security server is not on b's watch channel")
	}
}

// TestFaultPostgresRestartWithReplicas restarts PostgreSQL while security
// servers submit registration requests to two replicas of the central
// server, retrying until they get an answer. Both replicas recover without
// a restart; every certificate has exactly one request with a number of
// its own; and replica b's subscribers are told about every request, those
// a stored while b's listening connection was down included.
func TestFaultPostgresRestartWithReplicas(t *testing.T) {
	t.Parallel()
	if os.Getenv("ROADREG_TEST_DB") != "postgres" {
		t.Skip("runs in the PostgreSQL pass (ROADREG_TEST_DB=postgres); it starts its own cluster")
	}
	pg := startPGCluster(t)
	url := pg.database(t, "cs")
	key := clusterKeyFile(t)
	a := startReplica(t, url, "a", key)
	b := startReplica(t, url, "b", key)
	e := setUpCentral(t, a, nil)
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	bRegoff := loginClient(t, b.URL, "regoff")

	sub, _, err := bRegoff.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.waitAck(t); err != nil {
		t.Fatal(err)
	}
	sub.start(t, `subscription { managementRequestChanged { requestId } }`, nil)
	b.waitSubscriptions(t, 1)

	const senders, perSender = 4, 6
	type sent struct {
		sha   string
		id    int
		tries int
	}
	results := make([]sent, senders*perSender)
	bodies := make([][2]string, len(results))
	for i := range results {
		r := e.newRegRequest(t, fmt.Sprintf("PR%02d", i))
		body, ct := buildRequest(t, e, r)
		bodies[i], results[i].sha = [2]string{string(body), ct}, pki.SHA256Hex(r.authCert.Raw)
	}
	var stored, wg sync.WaitGroup
	stored.Add(senders)
	deadline := time.Now().Add(90 * time.Second)
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range perSender {
				i := s*perSender + j
				// Senders alternate between the replicas and retry each
				// request against the other.
				urls := []string{a.URL, b.URL}
				for k := 0; time.Now().Before(deadline); k++ {
					results[i].tries++
					id, err := mgmtreq.Send(context.Background(), http.DefaultClient, urls[(i+k)%2]+"/managementservice/", []byte(bodies[i][0]), bodies[i][1])
					if err == nil {
						results[i].id = id
						break
					}
					time.Sleep(50 * time.Millisecond) // the database is away: try again
				}
				if j == 0 {
					stored.Done()
				}
			}
		}()
	}
	stored.Wait()
	pg.restart(t)
	wg.Wait()

	for _, srv := range []*testServer{a, b} {
		testenv.WaitFor(t, 30*time.Second, srv.URL+" to answer again", func() bool {
			return len(loginClient(t, srv.URL, "regoff").do(t, `{ me { username } }`, nil).Errors) == 0
		})
	}
	reqs := e.requests(t, "")
	perCert, ids := map[string]int{}, map[int]bool{}
	for _, r := range reqs {
		perCert[r.AuthCertificateSha256]++
		if ids[r.RequestID] {
			t.Errorf("request number %d is used twice", r.RequestID)
		}
		ids[r.RequestID] = true
	}
	retried := 0
	for _, r := range results {
		if n := perCert[r.sha]; n != 1 || r.id == 0 || !ids[r.id] {
			t.Errorf("certificate %.12s…: %d requests, answered %d after %d tries", r.sha, n, r.id, r.tries)
		}
		if r.tries > 1 {
			retried++
		}
	}
	t.Logf("%d of %d requests needed more than one try", retried, len(results))
	if len(reqs) != len(results) {
		t.Errorf("the central server has %d requests, %d were sent", len(reqs), len(results))
	}

	// b's subscriber was told about every request.
	told := map[int]bool{}
	sub.until(t, 30*time.Second, "an event for every request", func(m map[string]any) bool {
		p, _ := m["payload"].(map[string]any)
		d, _ := p["data"].(map[string]any)
		if c, ok := d["managementRequestChanged"].(map[string]any); ok {
			if id, ok := c["requestId"].(float64); ok {
				told[int(id)] = true
			}
		}
		return len(told) == len(ids)
	})

	// Both replicas work on: the cluster is whole again, b approves, a
	// publishes.
	testenv.WaitFor(t, 20*time.Second, "both replicas to be OK again", func() bool {
		var out struct{ CentralServerCluster clusterStatus }
		bRegoff.ok(t, qCluster, nil, &out)
		return out.CentralServerCluster.AllNodesOk && len(out.CentralServerCluster.Nodes) == 2 && out.CentralServerCluster.generator() != ""
	})
	bRegoff.ok(t, qApprove, map[string]any{"id": reqs[0].ID}, nil)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.SecurityServers) == 1 })
}
