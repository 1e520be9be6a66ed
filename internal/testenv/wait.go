package testenv

import (
	"testing"
	"time"
)

// WaitFor checks cond every 10 ms until it holds, and fails the test when
// it still does not after timeout; what names the awaited state.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if cond() {
		return
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		select {
		case <-tick.C:
			if cond() {
				return
			}
		case <-deadline:
			if cond() {
				return
			}
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
	}
}
