package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/roadreg/roadreg/internal/events"
)

const (
	// notifyChannel is the LISTEN/NOTIFY channel of the replicas.
	notifyChannel = "roadreg_events"
	// eventLockKey is the advisory lock that makes the replicas append
	// events one transaction at a time, so the events' ids grow in the
	// order they are committed and a reader that saw id N has seen every
	// event before it.
	eventLockKey = 7_346_912_002
	// queueSize bounds the events waiting to be written (Forward never
	// blocks; more are dropped and counted).
	queueSize = 10_000
	// batchSize is how many events one transaction appends at most.
	batchSize = 200
	// catchUpEvery is how often a replica reads the log even without a
	// notification (a safety net; the notification is what makes events
	// arrive within milliseconds).
	catchUpEvery = 5 * time.Second
)

// bridge carries a broker's events to the other replicas: Forward queues
// an event, the writer appends queued events to cluster_events and
// notifies; every replica's listener reads the events after the last one it
// saw and delivers those of other replicas to its broker. After a lost
// connection the listener reconnects (pq.Listener) and catches up from the
// log; events published while the database was away are written when it is
// back.
type bridge struct {
	n       *Node
	queue   chan events.Event
	dropped atomic.Int64
	// last is the id of the last event read (the listener's goroutine only).
	last int64
}

func newBridge(ctx context.Context, n *Node) (*bridge, error) {
	b := &bridge{n: n, queue: make(chan events.Event, queueSize)}
	// Events published before this replica started are not its business.
	if err := n.cfg.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM cluster_events`).Scan(&b.last); err != nil {
		return nil, fmt.Errorf("reading the replicas' event log: %w", err)
	}
	return b, nil
}

// Forward queues e for the other replicas without blocking.
func (b *bridge) Forward(e events.Event) {
	select {
	case b.queue <- e:
	default:
		b.dropped.Add(1)
	}
}

// Dropped is how many events the queue had no room for.
func (n *Node) Dropped() int64 {
	if n.bridge == nil {
		return 0
	}
	return n.bridge.dropped.Load()
}

func (b *bridge) run(ctx context.Context) {
	done := make(chan struct{})
	go func() { b.write(ctx); close(done) }()
	b.listen(ctx)
	<-done
}

// write appends queued events until ctx is done, retrying a batch while
// the database is away; at the end it gives the last events a second.
func (b *bridge) write(ctx context.Context) {
	var batch []events.Event
	delay := 100 * time.Millisecond
	failing := false
	for {
		if len(batch) == 0 {
			select {
			case <-ctx.Done():
				b.flush()
				return
			case e := <-b.queue:
				batch = append(batch, e)
			}
		}
	fill:
		for len(batch) < batchSize {
			select {
			case e := <-b.queue:
				batch = append(batch, e)
			default:
				break fill
			}
		}
		if err := b.append(ctx, batch); err != nil {
			if ctx.Err() != nil {
				b.flush()
				return
			}
			if !failing {
				slog.WarnContext(ctx, "sharing events with the other replicas failed; retrying", "events", len(batch), "err", err)
				failing = true
			}
			select {
			case <-ctx.Done():
			case <-time.After(delay):
			}
			delay = min(2*delay, 2*time.Second)
			continue
		}
		if failing {
			slog.InfoContext(ctx, "sharing events with the other replicas works again")
			failing = false
		}
		batch, delay = batch[:0], 100*time.Millisecond
	}
}

// flush writes what is still queued when the replica stops.
func (b *bridge) flush() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var batch []events.Event
	for {
		select {
		case e := <-b.queue:
			batch = append(batch, e)
			continue
		default:
		}
		break
	}
	if len(batch) > 0 {
		_ = b.append(ctx, batch)
	}
}

// append writes a batch of events in one transaction and notifies the
// listeners, who are told when it commits.
func (b *bridge) append(ctx context.Context, batch []events.Event) error {
	tx, err := b.n.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, eventLockKey); err != nil {
		return err
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO cluster_events (created_at, topic, entity_id, origin) VALUES `)
	args := make([]any, 0, 3*len(batch))
	for i, e := range batch {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "(clock_timestamp(), $%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
		args = append(args, e.Topic, e.ID, b.n.runID)
	}
	if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, '')`, notifyChannel); err != nil {
		return err
	}
	return tx.Commit()
}

// listen reads the log whenever a notification comes, after every
// reconnection, and every catchUpEvery, until ctx is done.
func (b *bridge) listen(ctx context.Context) {
	l := pq.NewListener(b.n.cfg.DSN, 100*time.Millisecond, 2*time.Second, func(ev pq.ListenerEventType, err error) {
		switch ev {
		case pq.ListenerEventDisconnected:
			slog.WarnContext(ctx, "the replicas' event listener lost the database; reconnecting", "err", err)
		case pq.ListenerEventReconnected:
			slog.InfoContext(ctx, "the replicas' event listener is connected again; catching up")
		}
	})
	defer l.Close()
	listening := make(chan error, 1)
	go func() { listening <- l.Listen(notifyChannel) }()
	t := time.NewTicker(catchUpEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-listening:
			if err != nil && ctx.Err() == nil {
				slog.ErrorContext(ctx, "listening for the replicas' events", "err", err)
			}
			b.catchUp(ctx)
		case <-l.Notify: // nil after a reconnection: catch up all the same
			b.catchUp(ctx)
		case <-t.C:
			go func() { _ = l.Ping() }()
			b.catchUp(ctx)
		}
	}
}

// catchUp delivers the events after the last one read that other
// replicas published.
func (b *bridge) catchUp(ctx context.Context) {
	for ctx.Err() == nil {
		rows, err := b.n.cfg.DB.QueryContext(ctx, `SELECT id, topic, entity_id, origin FROM cluster_events WHERE id > $1 ORDER BY id LIMIT 1000`, b.last)
		if err != nil {
			return // the database is away; the next notification or tick tries again
		}
		k := 0
		for rows.Next() {
			var (
				id     int64
				e      events.Event
				origin string
			)
			if err := rows.Scan(&id, &e.Topic, &e.ID, &origin); err != nil {
				break
			}
			k++
			b.last = id
			if origin != b.n.runID {
				b.n.cfg.Events.Deliver(e)
			}
		}
		rows.Close()
		if k < 1000 {
			return
		}
	}
}
