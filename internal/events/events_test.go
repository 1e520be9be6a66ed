package events

import (
	"context"
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
