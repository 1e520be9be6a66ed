package bench

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestArrivals(t *testing.T) {
	a := NewArrivals(3)
	deliver := func(slots ...int) {
		var wg sync.WaitGroup
		for _, s := range slots {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a.record(s, Event{At: time.Now(), Data: []byte{byte('0' + s)}})
			}()
		}
		wg.Wait()
	}
	deliver(0) // before the first round: not kept

	wait := a.Round()
	deliver(2, 0, 1)
	events, err := wait(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range events {
		if string(e.Data) != string(rune('0'+i)) || e.At.IsZero() {
			t.Errorf("slot %d holds %q", i, e.Data)
		}
	}

	wait = a.Round()
	deliver(0, 1)
	if _, err := wait(50 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "2 of 3") {
		t.Errorf("a subscriber missing: %v", err)
	}

	wait = a.Round()
	deliver(0, 1)
	deliver(1) // each subscription delivers from its one goroutine
	deliver(2)
	if _, err := wait(time.Second); err == nil || !strings.Contains(err.Error(), "more than one") {
		t.Errorf("a subscriber with two events: %v", err)
	}
}
