package graph

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/privacy"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/xroad"
)

// loadRetryFor is how long an event whose object could not be read (the
// database away, say) is tried again before it is given up.
const loadRetryFor = 30 * time.Second

// subscribe turns broker events of a topic into a subscription channel:
// each event is loaded with the subscriber's context (so privacy rules
// apply) and delivered; load returns false to skip an event. A load that
// fails for a reason other than the object being gone or hidden is tried
// again for loadRetryFor. The channel closes when the subscription ends. A
// subscriber that does not read loses events in the broker; it never
// blocks publishers.
func subscribe[T any](ctx context.Context, b *events.Broker, topic string, load func(context.Context, events.Event) (T, bool, error)) <-chan T {
	in := b.Subscribe(ctx, topic)
	out := make(chan T, 1)
	go func() {
		defer close(out)
		for e := range in {
			v, ok, err := loadRetrying(ctx, e, load)
			if err != nil {
				slog.DebugContext(ctx, "subscription event not delivered", "topic", topic, "err", err)
				continue
			}
			if !ok {
				continue
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// loadRetrying runs load, again after a growing pause while it fails
// with an error that may pass, for at most loadRetryFor.
func loadRetrying[T any](ctx context.Context, e events.Event, load func(context.Context, events.Event) (T, bool, error)) (T, bool, error) {
	deadline := time.Now().Add(loadRetryFor)
	delay := 50 * time.Millisecond
	for {
		v, ok, err := load(ctx, e)
		if err == nil || !mayPass(err) || time.Now().Add(delay).After(deadline) {
			return v, ok, err
		}
		select {
		case <-ctx.Done():
			return v, ok, err
		case <-time.After(delay):
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// mayPass tells whether a load error may go away by itself: not when the
// object is gone, hidden from the subscriber, or refused by the domain.
func mayPass(err error) bool {
	var xe *xroad.Error
	return !ent.IsNotFound(err) && !errors.Is(err, privacy.Deny) && !errors.As(err, &xe) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}
