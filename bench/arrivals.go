package bench

import (
	"fmt"
	"sync/atomic"
	"time"
)

// Arrivals collects one event per subscription per fan-out round. Each
// subscription writes its own slot and only the last one of a round wakes
// the waiter, so that collecting 10,000 events costs the subscribers
// (which share the machine's cores with the server they measure) no
// shared channel and the collector no wake-up per event.
type Arrivals struct {
	n   int
	cur atomic.Pointer[round]
}

type round struct {
	events []Event
	got    atomic.Int64
	extra  atomic.Int64 // second events of a subscription in this round
	all    chan struct{}
}

// NewArrivals returns a collector for n subscriptions (slots 0 to n-1);
// events before the first Round are not kept.
func NewArrivals(n int) *Arrivals {
	a := &Arrivals{n: n}
	a.cur.Store(&round{events: make([]Event, n), all: make(chan struct{})})
	return a
}

// record keeps e as slot's event of the current round.
func (a *Arrivals) record(slot int, e Event) {
	r := a.cur.Load()
	if !r.events[slot].At.IsZero() {
		r.extra.Add(1)
		return
	}
	r.events[slot] = e
	if r.got.Add(1) == int64(a.n) {
		close(r.all)
	}
}

// Round starts a new round and returns a function that waits (up to
// timeout) until every subscription has its event and returns them.
func (a *Arrivals) Round() func(timeout time.Duration) ([]Event, error) {
	r := &round{events: make([]Event, a.n), all: make(chan struct{})}
	a.cur.Store(r)
	return func(timeout time.Duration) ([]Event, error) {
		select {
		case <-r.all:
		case <-time.After(timeout):
			return nil, fmt.Errorf("%d of %d subscribers got the event within %s", r.got.Load(), a.n, timeout)
		}
		if x := r.extra.Load(); x > 0 {
			return nil, fmt.Errorf("%d subscribers got more than one event", x)
		}
		return r.events, nil
	}
}
