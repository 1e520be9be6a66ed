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

type recordingBridge struct{ got []Event }

func (r *recordingBridge) Forward(e Event) { r.got = append(r.got, e) }

func TestBridgeCarriesPublishedNotDeliveredEvents(t *testing.T) {
	b := NewBroker()
	br := &recordingBridge{}
	b.SetBridge(br)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := b.Subscribe(ctx, "t")
	b.Publish(Event{Topic: "t", ID: 1})
	b.Deliver(Event{Topic: "t", ID: 2}) // from another replica: not sent back
	for _, want := range []int{1, 2} {
		select {
		case e := <-ch:
			if e.ID != want {
				t.Fatalf("got %+v, want id %d", e, want)
			}
		case <-time.After(time.Second):
			t.Fatalf("event %d not delivered", want)
		}
	}
	if len(br.got) != 1 || br.got[0].ID != 1 {
		t.Fatalf("bridge got %+v, want only the published event", br.got)
	}
	b.SetBridge(nil)
	b.Publish(Event{Topic: "t", ID: 3})
	if len(br.got) != 1 {
		t.Fatalf("a removed bridge got %+v", br.got)
	}
}
