package auth

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fail makes one failed attempt and reports whether the throttle let it
// through.
func (t *throttle) fail(account, addr string, now time.Time) bool {
	a, ref := t.begin(account, addr, now)
	if ref != nil {
		return false
	}
	a.done(false, now)
	return true
}

// Spraying throw-away user names (from many addresses, so that no address
// limit stops it) fills the tables many times over, yet the account that
// was throttled stays throttled, and the tables stay bounded.
func TestThrottleSprayDoesNotReset(t *testing.T) {
	th := newThrottle(64)
	for i := 0; i < pairLimit.burst; i++ {
		if !th.fail("admin", "192.0.2.1", t0) {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	if th.fail("admin", "192.0.2.1", t0) {
		t.Fatal("the attempt after the burst went through")
	}
	now := t0
	for i := 0; i < 10_000; i++ {
		now = now.Add(time.Millisecond)
		th.fail(fmt.Sprintf("spray-%d", i), fmt.Sprintf("198.51.%d.%d", i/250, i%250), now)
	}
	if th.fail("admin", "192.0.2.1", now) {
		t.Fatal("spraying user names reset the throttled account")
	}
	if _, ok := th.pairs.keys.Peek("admin\x00192.0.2.1"); !ok {
		t.Fatal("the throttled key was forgotten")
	}
	for _, tb := range []*throttleTable{th.pairs, th.accounts, th.addresses} {
		if tb.keys.Len() > 64 {
			t.Errorf("a table holds %d keys, more than its 64", tb.keys.Len())
		}
	}
	// Once recovered, the throttled key is forgotten like any other and
	// the spray's keys take its place; the tables stay bounded.
	now = now.Add(accountLimit.recovery())
	for i := 0; i < 200; i++ {
		th.fail(fmt.Sprintf("later-%d", i), fmt.Sprintf("203.0.%d.%d", i/250, i%250), now)
	}
	if _, ok := th.pairs.keys.Peek("admin\x00192.0.2.1"); ok {
		t.Error("a recovered key was never forgotten")
	}
	if n := th.pairs.keys.Len(); n != 64 {
		t.Errorf("pairs table holds %d keys, want 64", n)
	}
}

// recovery is how long an idle bucket takes to fill up.
func (b bucket) recovery() time.Duration { return time.Duration(b.burst) * b.every }

// 200 wrong passwords from one address, one a second, do not keep the real
// user out at another address: that address has its full budget.
func TestThrottleOneAddressDoesNotLockOutOthers(t *testing.T) {
	th := newThrottle(ThrottleEntries)
	now, through := t0, 0
	for i := 0; i < 200; i++ {
		now = now.Add(time.Second)
		if th.fail("admin", "192.0.2.66", now) {
			through++
		}
	}
	// The attacker got its burst and one guess every 12 s.
	if want := pairLimit.burst + int(200*time.Second/pairLimit.every); through > want {
		t.Errorf("%d guesses went through from one address, want at most %d", through, want)
	}
	for i := 0; i < pairLimit.burst; i++ {
		a, ref := th.begin("admin", "203.0.113.7", now)
		if ref != nil {
			t.Fatalf("attempt %d from another address refused (%s limit)", i+1, ref.limit)
		}
		a.done(false, now)
	}
}

// Guesses from many addresses, each within its own budget, are held to
// the account's limit together.
func TestThrottleDistributedGuessingIsSlowed(t *testing.T) {
	th := newThrottle(ThrottleEntries)
	// 600 guesses in a minute from 250 addresses: 2 or 3 from each.
	now, through := t0, 0
	const guesses = 600
	for i := 0; i < guesses; i++ {
		now = now.Add(100 * time.Millisecond)
		if th.fail("admin", fmt.Sprintf("198.51.100.%d", i%250), now) {
			through++
		}
	}
	elapsed := guesses * 100 * time.Millisecond
	if want := accountLimit.burst + int(elapsed/accountLimit.every); through > want {
		t.Errorf("%d guesses went through, want at most %d (the account limit)", through, want)
	}
	// An address the user logged in from before is not held up by the
	// account limit the attackers exhausted.
	th2 := newThrottle(ThrottleEntries)
	a, _ := th2.begin("admin", "203.0.113.7", t0)
	a.done(true, t0)
	for i := 0; i < 1000; i++ {
		th2.fail("admin", fmt.Sprintf("198.51.100.%d", i%250), t0)
	}
	if a, ref := th2.begin("admin", "203.0.113.7", t0); ref != nil {
		t.Fatalf("the user's own address is refused (%s limit)", ref.limit)
	} else {
		a.done(true, t0)
	}
	if _, ref := th2.begin("admin", "203.0.113.8", t0); ref == nil || ref.limit != limitAccount {
		t.Fatalf("a new address got through the exhausted account limit: %+v", ref)
	}
}

// Successful logins spend nothing.
func TestThrottleSuccessIsFree(t *testing.T) {
	th := newThrottle(ThrottleEntries)
	for i := 0; i < 100; i++ {
		a, ref := th.begin("alice", "192.0.2.1", t0)
		if ref != nil {
			t.Fatalf("login %d refused (%s limit)", i+1, ref.limit)
		}
		a.done(true, t0)
	}
}

// One address trying many accounts is held to the address limit.
func TestThrottleAddressLimit(t *testing.T) {
	th := newThrottle(ThrottleEntries)
	through := 0
	for i := 0; i < 100; i++ {
		if th.fail(fmt.Sprintf("user-%d", i), "192.0.2.1", t0) {
			through++
		}
	}
	if through != addressLimit.burst {
		t.Errorf("%d accounts tried from one address at once, want %d", through, addressLimit.burst)
	}
	// An IPv6 host cannot escape by changing addresses within its /64.
	for i := 0; i < 100; i++ {
		th.fail(fmt.Sprintf("user-%d", i), fmt.Sprintf("2001:db8::%x", i+1), t0)
	}
	if th.fail("another", "2001:db8::ffff", t0) {
		t.Error("a new address in the same /64 got through")
	}
	if !th.fail("another", "2001:db8:0:1::1", t0) {
		t.Error("another /64 is refused")
	}
}

// Refusals are reported for the audit log at most once a minute per key,
// with the number of refusals since the last report.
func TestThrottleAuditIsBounded(t *testing.T) {
	th := newThrottle(ThrottleEntries)
	now := t0
	reports, refused := 0, 0
	for i := 0; i < 3000; i++ {
		now = now.Add(100 * time.Millisecond)
		a, ref := th.begin("admin", "192.0.2.1", now)
		if ref == nil {
			a.done(false, now)
			continue
		}
		if ref.audit {
			reports++
			refused += ref.refused
		}
	}
	// 300 s of refusals: one report a minute.
	if reports < 4 || reports > 6 {
		t.Errorf("%d audit reports in 5 minutes, want about 5", reports)
	}
	if refused < 2000 {
		t.Errorf("the reports account for %d refusals, want most of the ~2,900", refused)
	}
}

// Attempts whose passwords are still being checked count against the
// budget: a burst of concurrent guesses gets no more than sequential ones.
func TestThrottleCountsAttemptsInFlight(t *testing.T) {
	th := newThrottle(ThrottleEntries)
	var inFlight []*attempt
	for i := 0; i < 20; i++ {
		if a, ref := th.begin("admin", "192.0.2.1", t0); ref == nil {
			inFlight = append(inFlight, a)
		}
	}
	if len(inFlight) != pairLimit.burst {
		t.Fatalf("%d concurrent attempts let through, want %d", len(inFlight), pairLimit.burst)
	}
	for _, a := range inFlight {
		a.done(false, t0)
	}
	if th.fail("admin", "192.0.2.1", t0) {
		t.Fatal("the budget was not spent")
	}
}
