package graph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/events"
)

// TestSubscribeRetriesLoads: an event whose object cannot be read for a
// while (the database away) is delivered once it can; one whose object is
// gone is skipped at once and the next event still arrives.
func TestSubscribeRetriesLoads(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := events.NewBroker()
	tries := map[int]int{}
	out := subscribe(ctx, b, events.ManagementRequestChanged, func(_ context.Context, e events.Event) (int, bool, error) {
		tries[e.ID]++
		switch {
		case e.ID == 1 && tries[1] < 3:
			return 0, false, errors.New("driver: bad connection")
		case e.ID == 2:
			return 0, false, &ent.NotFoundError{}
		}
		return e.ID, true, nil
	})
	for id := 1; id <= 3; id++ {
		b.Publish(events.Event{Topic: events.ManagementRequestChanged, ID: id})
	}
	for _, want := range []int{1, 3} {
		select {
		case got := <-out:
			if got != want {
				t.Fatalf("got event %d, want %d", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d did not arrive", want)
		}
	}
	if tries[1] != 3 || tries[2] != 1 {
		t.Errorf("tries %v: want 3 for the failing load, 1 for the object that is gone", tries)
	}
}
