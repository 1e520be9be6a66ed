package graph

import (
	"context"
	"log/slog"

	"github.com/roadreg/roadreg/internal/events"
)

// subscribe turns broker events of a topic into a subscription channel:
// each event is loaded with the subscriber's context (so privacy rules
// apply) and delivered; load returns false to skip an event. The channel
// closes when the subscription ends. A subscriber that does not read loses
// events in the broker; it never blocks publishers.
func subscribe[T any](ctx context.Context, b *events.Broker, topic string, load func(context.Context, events.Event) (T, bool, error)) <-chan T {
	in := b.Subscribe(ctx, topic)
	out := make(chan T, 1)
	go func() {
		defer close(out)
		for e := range in {
			v, ok, err := load(ctx, e)
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
