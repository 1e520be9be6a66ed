package graph

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
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

// loadShared loads what event e is about once for all its subscribers
// whose viewers have the same server and roles (and so the same
// permissions and privacy decisions), instead of once per subscriber. The
// first such subscriber's context does the load; its cancellation does not
// cut the load short for the others.
func loadShared[T any](ctx context.Context, e events.Event, what string, load func(context.Context) (T, error)) (T, error) {
	v, err := e.Shared(what+"|"+viewerKey(ctx), func() (any, error) {
		return load(context.WithoutCancel(ctx))
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// viewerKey identifies what a viewer may see: its server, whether it is
// the system, and its roles.
func viewerKey(ctx context.Context) string {
	v := viewer.FromContext(ctx)
	if v == nil {
		return "anonymous"
	}
	roles := make([]string, len(v.Roles))
	for i, r := range v.Roles {
		roles[i] = string(r)
	}
	slices.Sort(roles)
	sys := ""
	if v.System {
		sys = "system"
	}
	return string(v.Server) + "|" + sys + "|" + strings.Join(roles, ",")
}
