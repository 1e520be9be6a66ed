package cluster

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/clusterlease"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Lease is a right that one replica holds at a time, named in the
// database. The holder renews it every heartbeat; when the holder stops
// renewing (it died, or lost the database) another replica acquires it
// once it has expired, with the next epoch. Writes that only the holder may
// make check the lease in their own transaction (Check), so a replica that
// lost its lease without noticing cannot make them.
//
// On SQLite the lease is always this replica's.
type Lease struct {
	n    *Node
	name string

	mu sync.Mutex
	// epoch is the epoch this replica acquired; validUntil is when it
	// expires at the latest by this process's clock (counted from before
	// the acquiring statement was sent).
	epoch      int64
	validUntil time.Time
}

// ErrLeaseLost is returned by Check when this replica does not hold the
// lease (any more).
var ErrLeaseLost = xroad.Errorf(xroad.CodeConflict, "this replica no longer holds the lease; another replica took over")

// Lease returns the lease called name.
func (n *Node) Lease(name string) *Lease { return &Lease{n: n, name: name} }

// Acquire takes the lease when it is free or expired, or renews it when
// this replica holds it, and reports whether this replica holds it now.
func (l *Lease) Acquire(ctx context.Context) (bool, error) {
	if !l.n.replicated {
		return true, nil
	}
	start := time.Now()
	ttl := l.n.cfg.LeaseTTL
	var epoch int64
	// The row is taken when it is ours or has expired; the epoch grows
	// whenever the lease changes hands or lapsed.
	err := l.n.cfg.DB.QueryRowContext(ctx, `
		INSERT INTO cluster_leases AS l (name, holder, holder_node, epoch, acquired_at, expires_at)
		VALUES ($1, $2, $3, 1, clock_timestamp(), clock_timestamp() + $4 * interval '1 millisecond')
		ON CONFLICT (name) DO UPDATE SET
			epoch = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END,
			acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > clock_timestamp() THEN l.acquired_at ELSE EXCLUDED.acquired_at END,
			holder = EXCLUDED.holder, holder_node = EXCLUDED.holder_node, expires_at = EXCLUDED.expires_at
		WHERE l.holder = EXCLUDED.holder OR l.expires_at <= clock_timestamp()
		RETURNING epoch`,
		l.name, l.n.runID, l.n.cfg.Name, ttl.Milliseconds()).Scan(&epoch)
	l.mu.Lock()
	defer l.mu.Unlock()
	if errors.Is(err, sql.ErrNoRows) {
		l.validUntil = time.Time{}
		return false, nil
	}
	if err != nil {
		// Unknown: keep counting on what was acquired before, until it runs out.
		return time.Now().Before(l.validUntil), err
	}
	l.epoch, l.validUntil = epoch, start.Add(ttl)
	return true, nil
}

// Held reports whether this replica holds the lease by its own clock (the
// database decides in Check).
func (l *Lease) Held() bool {
	if !l.n.replicated {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Now().Before(l.validUntil)
}

// Release gives the lease up at once, so another replica may take it.
func (l *Lease) Release(ctx context.Context) {
	if !l.n.replicated {
		return
	}
	l.mu.Lock()
	l.validUntil = time.Time{}
	l.mu.Unlock()
	_, _ = l.n.cfg.DB.ExecContext(ctx, `UPDATE cluster_leases SET expires_at = clock_timestamp() WHERE name = $1 AND holder = $2`, l.name, l.n.runID)
}

// Check locks the lease's row in tx and returns ErrLeaseLost unless this
// replica holds it with the epoch it acquired and it has not expired. Until
// tx ends no other replica can take the lease over, so what tx writes is
// written by the holder.
func (l *Lease) Check(ctx context.Context, tx *ent.Tx) error {
	if !l.n.replicated {
		return nil
	}
	l.mu.Lock()
	epoch := l.epoch
	l.mu.Unlock()
	ok, err := tx.ClusterLease.Query().Where(clusterlease.Name(l.name), clusterlease.Holder(l.n.runID), clusterlease.Epoch(epoch),
		func(s *entsql.Selector) {
			s.Where(entsql.ExprP(s.C(clusterlease.FieldExpiresAt) + " > clock_timestamp()"))
		}).
		ForUpdate().Exist(sys(ctx))
	if err != nil {
		return err
	}
	if !ok {
		return ErrLeaseLost
	}
	return nil
}

// LeaseInfo is who holds a lease.
type LeaseInfo struct {
	// Holder is the holding replica's name ("" when the lease is free or
	// expired).
	Holder     string
	AcquiredAt time.Time
	ExpiresAt  time.Time
}

// Info returns who holds the lease now (on SQLite: this replica).
func (l *Lease) Info(ctx context.Context) (LeaseInfo, error) {
	if !l.n.replicated {
		return LeaseInfo{Holder: l.n.cfg.Name}, nil
	}
	now, err := l.n.Now(ctx)
	if err != nil {
		return LeaseInfo{}, err
	}
	r, err := l.n.cfg.Client.ClusterLease.Query().Where(clusterlease.Name(l.name)).Only(sys(ctx))
	if ent.IsNotFound(err) {
		return LeaseInfo{}, nil
	}
	if err != nil {
		return LeaseInfo{}, err
	}
	if !r.ExpiresAt.After(now) {
		return LeaseInfo{}, nil
	}
	return LeaseInfo{Holder: r.HolderNode, AcquiredAt: r.AcquiredAt, ExpiresAt: r.ExpiresAt}, nil
}
