package cluster_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// replica is one joined node on its own connection pool with its own
// broker, as a separate process would have.
type replica struct {
	node   *cluster.Node
	broker *events.Broker
	db     *db.Database
	cancel context.CancelFunc
	done   chan struct{}
}

func open(t *testing.T, url string) *db.Database {
	t.Helper()
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func join(t *testing.T, url, name string, opts ...func(*cluster.Config)) (*replica, error) {
	t.Helper()
	d := open(t, url)
	r := &replica{broker: events.NewBroker(), db: d, done: make(chan struct{})}
	cfg := cluster.Config{Client: d.Client, DB: d.DB, Dialect: d.Dialect, DSN: url, Name: name, Version: "test", Events: r.broker,
		StaleAfter: 2 * time.Second, LeaseTTL: time.Second, Heartbeat: 100 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	n, err := cluster.Join(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	r.node = n
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { n.Run(ctx); close(r.done) }()
	t.Cleanup(r.stop)
	return r, nil
}

func mustJoin(t *testing.T, url, name string) *replica {
	t.Helper()
	r, err := join(t, url, name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// stop leaves the cluster as a clean shutdown does.
func (r *replica) stop() {
	r.cancel()
	<-r.done
}

func TestSQLiteHoldsOneReplica(t *testing.T) {
	url := testenv.SQLite(t).URL
	a := mustJoin(t, url, "a")
	start := time.Now()
	_, err := join(t, url, "b")
	if !xroad.IsCode(err, xroad.CodeConflict) || !strings.Contains(err.Error(), "SQLite holds one replica") || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("second replica on one SQLite file: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the refusal took %s", d)
	}
	// Once the first has stopped, another process may use the database.
	a.stop()
	mustJoin(t, url, "b")
	nodes, _, err := a.node.Nodes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 1 || nodes[0].Name != "b" || nodes[0].State != cluster.NodeOK {
		t.Errorf("replicas after the restart: %+v", nodes)
	}
}

func TestReplicaNamesAreUnique(t *testing.T) {
	url := testenv.Postgres(t).URL
	a := mustJoin(t, url, "cs1")
	mustJoin(t, url, "cs2")
	_, err := join(t, url, "cs1")
	if !xroad.IsCode(err, xroad.CodeConflict) || !strings.Contains(err.Error(), "--node-name") {
		t.Fatalf("a second replica named cs1: %v", err)
	}
	a.stop()
	mustJoin(t, url, "cs1") // the name is free again
}

// A replica that dies without leaving holds its name only until it is
// stale.
func TestNameOfDeadReplicaIsTakenOver(t *testing.T) {
	url := testenv.Postgres(t).URL
	d := open(t, url)
	if _, err := d.DB.Exec(`INSERT INTO cluster_nodes (name, run_id, software_version, started_at, heartbeat_at, signing_token_logged_in)
		VALUES ('cs1', 'cs1/dead', 'old', clock_timestamp(), clock_timestamp(), false)`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := mustJoin(t, url, "cs1")
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("took over a name seen %s ago", waited)
	}
	nodes, _, err := r.node.Nodes(context.Background())
	if err != nil || len(nodes) != 1 || nodes[0].SoftwareVersion != "test" || nodes[0].State != cluster.NodeOK {
		t.Fatalf("replicas: %+v %v", nodes, err)
	}
}

func TestLeaseHasOneHolderAtATime(t *testing.T) {
	url := testenv.Postgres(t).URL
	ctx := context.Background()
	a, b := mustJoin(t, url, "a"), mustJoin(t, url, "b")
	la, lb := a.node.Lease("generator"), b.node.Lease("generator")
	if ok, err := la.Acquire(ctx); !ok || err != nil {
		t.Fatalf("a acquires a free lease: %v %v", ok, err)
	}
	if ok, err := lb.Acquire(ctx); ok || err != nil {
		t.Fatalf("b acquires a's lease: %v %v", ok, err)
	}
	info, err := lb.Info(ctx)
	if err != nil || info.Holder != "a" {
		t.Fatalf("holder: %+v %v", info, err)
	}
	// a's writes pass the check; when a stops renewing, b takes over and
	// a's writes are refused.
	check := func(r *replica, l *cluster.Lease) error {
		tx, err := r.db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck
		return l.Check(ctx, tx)
	}
	if err := check(a, la); err != nil {
		t.Fatalf("holder's check: %v", err)
	}
	testenv.WaitFor(t, 5*time.Second, "b to take over the expired lease", func() bool {
		ok, err := lb.Acquire(ctx)
		return ok && err == nil
	})
	if err := check(a, la); err != cluster.ErrLeaseLost {
		t.Fatalf("former holder's check: %v", err)
	}
	if la.Held() {
		t.Error("a still counts on a lease that expired")
	}
	if ok, _ := la.Acquire(ctx); ok {
		t.Fatal("a took the lease back while b holds it")
	}
	// Releasing hands it over at once.
	lb.Release(ctx)
	if ok, err := la.Acquire(ctx); !ok || err != nil {
		t.Fatalf("a after b released: %v %v", ok, err)
	}
}

// Many replicas trying at once: never two holders.
func TestLeaseRace(t *testing.T) {
	url := testenv.Postgres(t).URL
	ctx := context.Background()
	var leases []*cluster.Lease
	for i := range 4 {
		leases = append(leases, mustJoin(t, url, fmt.Sprintf("r%d", i)).node.Lease("generator"))
	}
	for round := 0; round < 20; round++ {
		var wg sync.WaitGroup
		held := make([]bool, len(leases))
		for i, l := range leases {
			wg.Add(1)
			go func() { defer wg.Done(); held[i], _ = l.Acquire(ctx) }()
		}
		wg.Wait()
		k := 0
		for _, h := range held {
			if h {
				k++
			}
		}
		if k > 1 {
			t.Fatalf("round %d: %d holders", round, k)
		}
	}
}

func receive(t *testing.T, ch <-chan events.Event, want events.Event) {
	t.Helper()
	select {
	case e := <-ch:
		if e != want {
			t.Fatalf("got %+v, want %+v", e, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%+v did not arrive", want)
	}
}

func TestEventsReachTheOtherReplicas(t *testing.T) {
	url := testenv.Postgres(t).URL
	a, b := mustJoin(t, url, "a"), mustJoin(t, url, "b")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	atB := b.broker.Subscribe(ctx, events.ManagementRequestChanged)
	atA := a.broker.Subscribe(ctx, events.ManagementRequestChanged)
	a.broker.Publish(events.Event{Topic: events.ManagementRequestChanged, ID: 42})
	receive(t, atA, events.Event{Topic: events.ManagementRequestChanged, ID: 42})
	receive(t, atB, events.Event{Topic: events.ManagementRequestChanged, ID: 42})
	b.broker.Publish(events.Event{Topic: events.ManagementRequestChanged, ID: 43})
	receive(t, atB, events.Event{Topic: events.ManagementRequestChanged, ID: 43})
	receive(t, atA, events.Event{Topic: events.ManagementRequestChanged, ID: 43})
	select { // each replica delivers its own events once
	case e := <-atA:
		t.Fatalf("a got %+v twice", e)
	case e := <-atB:
		t.Fatalf("b got %+v twice", e)
	case <-time.After(300 * time.Millisecond):
	}
}

// A replica whose listening connection is cut gets the events published
// meanwhile once it has reconnected, in order.
func TestEventsCatchUpAfterLostConnection(t *testing.T) {
	url := testenv.Postgres(t).URL
	a, b := mustJoin(t, url, "a"), mustJoin(t, url, "b")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	atB := b.broker.Subscribe(ctx, events.SessionEnded)
	a.broker.Publish(events.Event{Topic: events.SessionEnded, ID: 1})
	receive(t, atB, events.Event{Topic: events.SessionEnded, ID: 1})

	// Cut every listening connection (the pools reconnect by themselves).
	admin := open(t, url).DB
	terminate := func() {
		if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'listen%'`); err != nil {
			t.Fatal(err)
		}
	}
	testenv.WaitFor(t, 5*time.Second, "the listeners to be connected", func() bool {
		var k int
		_ = admin.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'listen%'`).Scan(&k)
		return k == 2
	})
	terminate()
	for i := 2; i <= 6; i++ {
		a.broker.Publish(events.Event{Topic: events.SessionEnded, ID: i})
	}
	for i := 2; i <= 6; i++ {
		receive(t, atB, events.Event{Topic: events.SessionEnded, ID: i})
	}
}

// Events published while the database is unreachable are written once it
// is back.
func TestEventsWaitForTheDatabase(t *testing.T) {
	url := testenv.Postgres(t).URL
	a, b := mustJoin(t, url, "a"), mustJoin(t, url, "b")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	atB := b.broker.Subscribe(ctx, events.UserChanged)
	// Lock the log so a's writer waits, as it would for a database that is away.
	admin := open(t, url).DB
	tx, err := admin.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE cluster_events IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	a.broker.Publish(events.Event{Topic: events.UserChanged, ID: 7})
	select {
	case e := <-atB:
		t.Fatalf("%+v arrived while the log was locked", e)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	receive(t, atB, events.Event{Topic: events.UserChanged, ID: 7})
}

// TestStatusShowsStoppedAndStaleReplicas: a replica that stopped is
// STOPPED, one whose heartbeat ended without leaving is STALE; roadreg
// cluster remove deletes their rows (and the stale one's address leaves the
// anchor's sources) but refuses a running replica.
func TestStatusShowsStoppedAndStaleReplicas(t *testing.T) {
	url := testenv.Postgres(t).URL
	a, b := mustJoin(t, url, "a"), mustJoin(t, url, "b")
	c, err := join(t, url, "c", func(c *cluster.Config) { c.Address = "cs3.example.org"; c.CanSign = func() bool { return true } })
	if err != nil {
		t.Fatal(err)
	}
	b.stop()
	// c dies: its heartbeat stops without it leaving.
	freeze(t, c)
	testenv.WaitFor(t, 10*time.Second, "the replicas' states", func() bool {
		nodes, _, err := a.node.Nodes(context.Background())
		if err != nil || len(nodes) != 3 {
			return false
		}
		return nodes[0].State == cluster.NodeOK && nodes[1].State == cluster.NodeStopped && nodes[2].State == cluster.NodeStale &&
			nodes[2].Address == "cs3.example.org" && nodes[2].SigningTokenLoggedIn
	})
	addrs, err := cluster.Addresses(context.Background(), a.db.Client)
	if err != nil || len(addrs) != 1 || addrs[0] != "cs3.example.org" {
		t.Fatalf("addresses: %v %v", addrs, err)
	}
	remove := func(name string) error {
		return cluster.Remove(context.Background(), a.db.Client, a.db.DB, a.db.Dialect, name)
	}
	if err := remove("a"); !xroad.IsCode(err, xroad.CodeConflict) {
		t.Fatalf("removing a running replica: %v", err)
	}
	if err := remove("b"); err != nil {
		t.Fatalf("removing a stopped replica: %v", err)
	}
	// roadreg cluster remove takes a replica for dead after
	// DefaultStaleAfter without a heartbeat (the status here sooner).
	testenv.WaitFor(t, 2*cluster.DefaultStaleAfter, "the stale replica to be removed", func() bool {
		err = remove("c")
		return !xroad.IsCode(err, xroad.CodeConflict)
	})
	if err != nil {
		t.Fatalf("removing a stale replica: %v", err)
	}
	if err := remove("c"); !xroad.IsCode(err, xroad.CodeNotFound) {
		t.Fatalf("removing twice: %v", err)
	}
	if addrs, err := cluster.Addresses(context.Background(), a.db.Client); err != nil || len(addrs) != 0 {
		t.Fatalf("addresses after removing c: %v %v", addrs, err)
	}
}

// freeze stops r's heartbeat as if the process had died without leaving:
// the one connection its pool may open is taken until the test ends.
func freeze(t *testing.T, r *replica) {
	t.Helper()
	r.db.DB.SetMaxOpenConns(1)
	conn, err := r.db.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
}
