// Package cluster lets several replicas of the central server share one
// PostgreSQL database, which is all they share: each replica registers
// itself and keeps a heartbeat (Node), one replica at a time holds a lease
// such as the right to generate global configuration (Lease), and the
// events one replica publishes reach the others through LISTEN/NOTIFY, with
// the database as their log so that a replica whose listening connection was
// lost catches up (the bridge). Times that replicas compare are the
// database's clock.
//
// On SQLite the server has one replica: Join refuses a second process on
// the same database file, the lease is always held and no event leaves the
// process.
package cluster

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/clusternode"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Defaults of Config.
const (
	// DefaultHeartbeat is how often a replica records that it is alive
	// (and a lease holder renews, and a waiting replica tries to take over).
	DefaultHeartbeat = 500 * time.Millisecond
	// DefaultStaleAfter is how long a replica may miss its heartbeat before
	// the others count it as gone.
	DefaultStaleAfter = 5 * time.Second
	// DefaultLeaseTTL is how long a lease lasts unless renewed: a replica
	// that dies holding it is replaced within this time and a heartbeat.
	DefaultLeaseTTL = 2 * time.Second
	// eventRetention is how long published events stay in the database for
	// replicas that lost their listening connection.
	eventRetention = time.Hour
)

// Config describes this replica.
type Config struct {
	Client  *ent.Client
	DB      *sql.DB
	Dialect string
	// DSN opens the listening connection (PostgreSQL).
	DSN string
	// Name is the replica's name, unique in the cluster.
	Name string
	// Address is host[:port] under which security servers reach this
	// replica itself ("" when only through the central server address).
	Address string
	// Version is the software version, shown in the status.
	Version string
	// Events is the broker whose events the replicas share (PostgreSQL).
	Events *events.Broker
	// CanSign reports whether this replica's signing token is logged in;
	// shown in the status (nil: never).
	CanSign func() bool

	Heartbeat, StaleAfter, LeaseTTL time.Duration
}

// Node is this replica's membership in the cluster.
type Node struct {
	cfg        Config
	runID      string
	replicated bool
	bridge     *bridge
	// stopped is set once Run has left the cluster.
	stopped atomic.Bool
}

// Join registers this replica. It refuses to start while another running
// process uses the same name (PostgreSQL) or the same database at all
// (SQLite), waiting up to StaleAfter for a process that died without
// leaving to go stale. Call Run to keep the heartbeat and share events.
func Join(ctx context.Context, cfg Config) (*Node, error) {
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = DefaultHeartbeat
	}
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = DefaultStaleAfter
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = DefaultLeaseTTL
	}
	if cfg.Name == "" {
		return nil, errors.New("cluster: the replica needs a name")
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg, runID: cfg.Name + "/" + hex.EncodeToString(b), replicated: cfg.Dialect == dialect.Postgres}
	if err := n.waitForName(ctx); err != nil {
		return nil, err
	}
	if err := n.claim(ctx); err != nil {
		return nil, fmt.Errorf("registering replica %q: %w", cfg.Name, err)
	}
	if n.replicated {
		var err error
		if n.bridge, err = newBridge(ctx, n); err != nil {
			return nil, err
		}
		cfg.Events.SetBridge(n.bridge)
	}
	return n, nil
}

// Name is the replica's name.
func (n *Node) Name() string { return n.cfg.Name }

// Replicated reports whether other replicas may share the database
// (PostgreSQL).
func (n *Node) Replicated() bool { return n.replicated }

func sys(ctx context.Context) context.Context { return viewer.SystemContext(ctx, viewer.Central) }

// Now is the database's clock (this process's on SQLite).
func (n *Node) Now(ctx context.Context) (time.Time, error) {
	if !n.replicated {
		return time.Now(), nil
	}
	var t time.Time
	err := n.cfg.DB.QueryRowContext(ctx, `SELECT clock_timestamp()`).Scan(&t)
	return t, err
}

// waitForName returns once no other running process holds this replica's
// name (on SQLite: the database), or refuses.
func (n *Node) waitForName(ctx context.Context) error {
	seen := map[string]time.Time{}
	deadline := time.Now().Add(n.cfg.StaleAfter + 2*n.cfg.Heartbeat)
	for {
		now, err := n.Now(ctx)
		if err != nil {
			return err
		}
		q := n.cfg.Client.ClusterNode.Query().Where(clusternode.StoppedAtIsNil())
		if n.replicated {
			q = q.Where(clusternode.Name(n.cfg.Name))
		}
		rows, err := q.All(sys(ctx))
		if err != nil {
			return fmt.Errorf("reading the replicas: %w", err)
		}
		var running []*ent.ClusterNode
		for _, r := range rows {
			if now.Sub(r.HeartbeatAt) <= n.cfg.StaleAfter {
				running = append(running, r)
			}
		}
		if len(running) == 0 {
			return nil
		}
		for _, r := range running {
			first, ok := seen[r.RunID]
			if !ok {
				seen[r.RunID] = r.HeartbeatAt
				continue
			}
			if r.HeartbeatAt.After(first) || time.Now().After(deadline) {
				return refuse(n.replicated, r, now)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(n.cfg.Heartbeat):
		}
	}
}

func refuse(replicated bool, r *ent.ClusterNode, now time.Time) error {
	ago := now.Sub(r.HeartbeatAt).Round(100 * time.Millisecond)
	if !replicated {
		return xroad.Errorf(xroad.CodeConflict,
			"another central server (replica %q, seen %s ago) is running on this SQLite database; SQLite holds one replica: run several replicas on PostgreSQL (README.md, \"Running replicas\")",
			r.Name, ago)
	}
	return xroad.Errorf(xroad.CodeConflict,
		"replica name %q is in use by a running central server (seen %s ago); give each replica its own --node-name", r.Name, ago)
}

// claim writes this replica's row: new, or taken over from an earlier run
// of the same name. On SQLite the rows of earlier replicas go.
func (n *Node) claim(ctx context.Context) error {
	ctx = sys(ctx)
	now, err := n.Now(ctx)
	if err != nil {
		return err
	}
	var addr *string
	if n.cfg.Address != "" {
		addr = &n.cfg.Address
	}
	if !n.replicated {
		if _, err := n.cfg.Client.ClusterNode.Delete().Where(clusternode.NameNEQ(n.cfg.Name)).Exec(ctx); err != nil {
			return err
		}
	}
	return n.cfg.Client.ClusterNode.Create().SetName(n.cfg.Name).SetRunID(n.runID).SetNillableAddress(addr).
		SetSoftwareVersion(n.cfg.Version).SetStartedAt(now).SetHeartbeatAt(now).SetSigningTokenLoggedIn(n.canSign()).
		OnConflictColumns(clusternode.FieldName).
		Update(func(u *ent.ClusterNodeUpsert) {
			u.UpdateRunID().UpdateAddress().UpdateSoftwareVersion().UpdateStartedAt().UpdateHeartbeatAt().
				UpdateSigningTokenLoggedIn().ClearStoppedAt()
		}).Exec(ctx)
}

func (n *Node) canSign() bool { return n.cfg.CanSign != nil && n.cfg.CanSign() }

// Run keeps the heartbeat and, on PostgreSQL, shares events with the
// other replicas until ctx is done; then the replica leaves the cluster
// (its row says it stopped and the leases it holds are released).
func (n *Node) Run(ctx context.Context) {
	done := make(chan struct{})
	if n.bridge != nil {
		go func() { n.bridge.run(ctx); close(done) }()
	} else {
		close(done)
	}
	t := time.NewTicker(n.cfg.Heartbeat)
	defer t.Stop()
	prune := time.NewTicker(time.Minute)
	defer prune.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			<-done
			n.leave()
			return
		case <-t.C:
			err := n.heartbeat(ctx)
			if err != nil && !failing && ctx.Err() == nil {
				slog.WarnContext(ctx, "replica heartbeat failed; retrying", "replica", n.cfg.Name, "err", err)
			} else if err == nil && failing {
				slog.InfoContext(ctx, "replica heartbeat works again", "replica", n.cfg.Name)
			}
			failing = err != nil
		case <-prune.C:
			if n.replicated {
				_, _ = n.cfg.DB.ExecContext(ctx, `DELETE FROM cluster_events WHERE created_at < clock_timestamp() - $1 * interval '1 second'`,
					int(eventRetention/time.Second))
			}
		}
	}
}

func (n *Node) heartbeat(ctx context.Context) error {
	if n.replicated {
		res, err := n.cfg.DB.ExecContext(ctx, `UPDATE cluster_nodes SET heartbeat_at = clock_timestamp(), signing_token_logged_in = $3
			WHERE name = $1 AND run_id = $2`, n.cfg.Name, n.runID, n.canSign())
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			// Removed with roadreg cluster remove while running: register again.
			return n.claim(ctx)
		}
		return nil
	}
	k, err := n.cfg.Client.ClusterNode.Update().Where(clusternode.Name(n.cfg.Name), clusternode.RunID(n.runID)).
		SetHeartbeatAt(time.Now()).SetSigningTokenLoggedIn(n.canSign()).Save(sys(ctx))
	if err == nil && k == 0 {
		return n.claim(ctx)
	}
	return err
}

// leave marks the replica stopped and releases its leases.
func (n *Node) leave() {
	if !n.stopped.CompareAndSwap(false, true) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n.replicated {
		_, _ = n.cfg.DB.ExecContext(ctx, `UPDATE cluster_leases SET expires_at = clock_timestamp() WHERE holder = $1`, n.runID)
		_, _ = n.cfg.DB.ExecContext(ctx, `UPDATE cluster_nodes SET stopped_at = clock_timestamp() WHERE name = $1 AND run_id = $2`, n.cfg.Name, n.runID)
		return
	}
	_ = n.cfg.Client.ClusterNode.Update().Where(clusternode.Name(n.cfg.Name), clusternode.RunID(n.runID)).
		SetStoppedAt(time.Now()).Exec(sys(ctx))
}

// NodeState is how the other replicas see a replica.
type NodeState string

// Node states.
const (
	// NodeOK: its heartbeat is recent.
	NodeOK NodeState = "OK"
	// NodeStale: no heartbeat for StaleAfter; it died or lost the database.
	NodeStale NodeState = "STALE"
	// NodeStopped: it shut down cleanly.
	NodeStopped NodeState = "STOPPED"
)

// NodeStatus is one replica in the status.
type NodeStatus struct {
	Name                 string
	Address              string
	SoftwareVersion      string
	StartedAt            time.Time
	HeartbeatAt          time.Time
	StoppedAt            *time.Time
	SigningTokenLoggedIn bool
	State                NodeState
}

// Nodes returns every registered replica, by name, with its state at the
// database's clock.
func (n *Node) Nodes(ctx context.Context) ([]NodeStatus, time.Time, error) {
	now, err := n.Now(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	rows, err := n.cfg.Client.ClusterNode.Query().Order(ent.Asc(clusternode.FieldName)).All(sys(ctx))
	if err != nil {
		return nil, time.Time{}, err
	}
	out := make([]NodeStatus, 0, len(rows))
	for _, r := range rows {
		st := NodeStatus{Name: r.Name, Address: xroad.Deref(r.Address), SoftwareVersion: r.SoftwareVersion,
			StartedAt: r.StartedAt, HeartbeatAt: r.HeartbeatAt, StoppedAt: r.StoppedAt, SigningTokenLoggedIn: r.SigningTokenLoggedIn, State: NodeOK}
		switch {
		case r.StoppedAt != nil:
			st.State, st.SigningTokenLoggedIn = NodeStopped, false
		case now.Sub(r.HeartbeatAt) > n.cfg.StaleAfter:
			st.State = NodeStale
		}
		out = append(out, st)
	}
	return out, now, nil
}

// Addresses lists the addresses of the registered replicas that have one,
// by name (for the anchor's sources).
func Addresses(ctx context.Context, c *ent.Client) ([]string, error) {
	rows, err := c.ClusterNode.Query().Where(clusternode.AddressNotNil()).Order(ent.Asc(clusternode.FieldName)).All(sys(ctx))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		out = append(out, *r.Address)
	}
	return out, nil
}

// Remove deletes the row of a replica that stopped or died (roadreg
// cluster remove): its address leaves the anchor and the status. A replica
// whose heartbeat is recent — it runs — is refused with CONFLICT: stop it
// first, or it would register again at its next heartbeat.
func Remove(ctx context.Context, c *ent.Client, db *sql.DB, dia string, name string) error {
	ctx = sys(ctx)
	r, err := c.ClusterNode.Query().Where(clusternode.Name(name)).Only(ctx)
	if ent.IsNotFound(err) {
		return xroad.Errorf(xroad.CodeNotFound, "there is no replica named %q", name)
	}
	if err != nil {
		return err
	}
	now := time.Now()
	if dia == dialect.Postgres {
		if err := db.QueryRowContext(ctx, `SELECT clock_timestamp()`).Scan(&now); err != nil {
			return err
		}
	}
	if r.StoppedAt == nil && now.Sub(r.HeartbeatAt) <= DefaultStaleAfter {
		return xroad.Errorf(xroad.CodeConflict, "replica %q is running (heartbeat %s ago); stop it before removing it",
			name, now.Sub(r.HeartbeatAt).Round(100*time.Millisecond))
	}
	// The heartbeat is checked again in the deletion: a replica starting
	// meanwhile keeps its row.
	k, err := c.ClusterNode.Delete().Where(clusternode.Name(name), clusternode.HeartbeatAt(r.HeartbeatAt)).Exec(ctx)
	if err != nil {
		return err
	}
	if k == 0 {
		return xroad.Errorf(xroad.CodeConflict, "replica %q started again while it was being removed", name)
	}
	return nil
}
