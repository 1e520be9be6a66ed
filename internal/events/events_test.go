package events

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPublishReachesSubscribersOfTheTopic(t *testing.T) {
	b := NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := b.Subscribe(ctx, "a")
	other := b.Subscribe(ctx, "b")
	b.Publish(Event{Topic: "a", ID: 7})
	select {
	case e := <-a:
		if e.ID != 7 {
			t.Fatalf("got %+v", e)
		}
	case <-time.After(time.Second):
		t.Fatal("event not delivered")
	}
	select {
	case e := <-other:
		t.Fatalf("subscriber of another topic got %+v", e)
	default:
	}
}

func TestSlowSubscriberDoesNotBlockPublisher(t *testing.T) {
	b := NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_ = b.Subscribe(ctx, "t") // never read
	fast := b.Subscribe(ctx, "t")
	done := make(chan struct{})
	go func() {
		for i := 0; i < DefaultBuffer*4; i++ {
			b.Publish(Event{Topic: "t", ID: i})
			<-fast
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("publisher blocked by a subscriber that never reads")
	}
	if b.Dropped() == 0 {
		t.Fatal("drops of the slow subscriber were not counted")
	}
}

func TestUnsubscribeOnContextDone(t *testing.T) {
	b := NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	ch := b.Subscribe(ctx, "t")
	if b.Subscribers("t") != 1 {
		t.Fatal("not subscribed")
	}
	cancel()
	if _, ok := <-ch; ok {
		t.Fatal("channel not closed")
	}
	if n := b.Subscribers("t"); n != 0 {
		t.Fatalf("%d subscribers left", n)
	}
}

func TestSharedLoadsOncePerEventAndKey(t *testing.T) {
	b := NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const subscribers = 50
	var chans []<-chan Event
	for range subscribers {
		chans = append(chans, b.Subscribe(ctx, "t"))
	}
	var loads atomic.Int32
	load := func(key string) func() (any, error) {
		return func() (any, error) { loads.Add(1); return key + " value", nil }
	}
	for round := 1; round <= 2; round++ {
		b.Publish(Event{Topic: "t", ID: round})
		var wg sync.WaitGroup
		for i, ch := range chans {
			e := <-ch
			key := "roles A"
			if i%2 == 1 {
				key = "roles B"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := e.Shared(key, load(key))
				if err != nil || v != key+" value" {
					t.Errorf("Shared(%q) = %v, %v", key, v, err)
				}
			}()
		}
		wg.Wait()
		// One load per key and event: two keys, one more event each round.
		if got := loads.Load(); got != int32(2*round) {
			t.Fatalf("after event %d: %d loads, want %d", round, got, 2*round)
		}
	}
	// Outside a published event every call loads.
	e := Event{Topic: "t"}
	_, _ = e.Shared("k", load("k"))
	_, _ = e.Shared("k", load("k"))
	if got := loads.Load(); got != 6 {
		t.Fatalf("unpublished event: %d loads, want 6", got)
	}
}
