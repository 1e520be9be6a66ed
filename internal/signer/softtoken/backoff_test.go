package softtoken

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// wantRetryAfter checks an error's code and its retry-after in seconds (0:
// none).
func wantRetryAfter(t *testing.T, err error, code string, seconds int) {
	t.Helper()
	wantCode(t, err, code)
	xe, _ := err.(*xroad.Error)
	if got := xe.RetryAfterSeconds(); got != seconds {
		t.Fatalf("%s: retryAfter = %d s, want %d s (%v)", code, got, seconds, err)
	}
}

func TestPINDelaySchedule(t *testing.T) {
	want := map[int]time.Duration{
		0: 0, 1: 0, 2: 0, 3: 0,
		4: time.Second, 5: 2 * time.Second, 6: 4 * time.Second, 7: 8 * time.Second,
		13: 512 * time.Second, 14: 15 * time.Minute, 15: 15 * time.Minute,
		100: 15 * time.Minute, 1 << 40: 15 * time.Minute,
	}
	for n, d := range want {
		if got := PINDelay(n); got != d {
			t.Errorf("PINDelay(%d) = %s, want %s", n, got, d)
		}
	}
}

// After the free attempts every wrong PIN doubles the wait; during the
// wait even the right PIN is refused (and not counted); after it the right
// PIN logs in and clears the count.
func TestBackOff(t *testing.T) {
	clk := newFakeClock()
	tok := New(getFixture(t).state, WithClock(clk.Now))
	for range FreePINAttempts {
		wantRetryAfter(t, tok.Login("wrong"), xroad.CodePinIncorrect, 0)
	}
	wantRetryAfter(t, tok.Login("wrong"), xroad.CodePinIncorrect, 1)
	wantRetryAfter(t, tok.Login(testPIN), signer.CodeTokenPinRetryLater, 1)
	if tok.LoggedIn() || tok.State().FailedLogins != 4 {
		t.Fatalf("during the back-off: LoggedIn = %v, FailedLogins = %d; want false, 4", tok.LoggedIn(), tok.State().FailedLogins)
	}
	clk.Add(time.Second)
	wantRetryAfter(t, tok.Login("wrong"), xroad.CodePinIncorrect, 2)
	clk.Add(1500 * time.Millisecond)
	wantRetryAfter(t, tok.Login("wrong"), signer.CodeTokenPinRetryLater, 1) // 0.5 s left, rounded up
	clk.Add(500 * time.Millisecond)
	wantRetryAfter(t, tok.Login("wrong"), xroad.CodePinIncorrect, 4)
	if tok.Status() != signer.StatusPINIncorrect {
		t.Fatalf("Status = %s, want USER_PIN_INCORRECT", tok.Status())
	}
	clk.Add(4 * time.Second)
	wantCode(t, tok.Login(testPIN), "")
	if !tok.LoggedIn() || tok.Status() != signer.StatusOK || tok.State().FailedLogins != 0 || tok.RetryAfter() != 0 {
		t.Fatalf("after the right PIN: LoggedIn = %v, Status = %s, FailedLogins = %d, RetryAfter = %s",
			tok.LoggedIn(), tok.Status(), tok.State().FailedLogins, tok.RetryAfter())
	}
	// The count starts again from zero.
	wantRetryAfter(t, tok.Login("wrong"), xroad.CodePinIncorrect, 0)
}

// The back-off is part of the persisted state: a token loaded from it
// after a restart keeps refusing until the wait is over.
func TestBackOffSurvivesReload(t *testing.T) {
	clk := newFakeClock()
	tok := New(getFixture(t).state, WithClock(clk.Now))
	for tok.State().FailedLogins < FreePINAttempts+3 { // 6 wrong PINs: 4 s back-off
		clk.Add(tok.RetryAfter())
		wantCode(t, tok.Login("wrong"), xroad.CodePinIncorrect)
	}
	data, err := tok.State().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var st State
	if err := st.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Second)
	restarted := New(st, WithClock(clk.Now))
	if restarted.Status() != signer.StatusPINIncorrect {
		t.Fatalf("restored status = %s, want USER_PIN_INCORRECT", restarted.Status())
	}
	wantRetryAfter(t, restarted.Login(testPIN), signer.CodeTokenPinRetryLater, 3)
	clk.Add(3 * time.Second)
	wantCode(t, restarted.Login(testPIN), "")

	// ClearFailures (roadreg token unlock) ends the back-off at once.
	st.ClearFailures()
	if st.FailedLogins != 0 || !st.LastFailedLogin.IsZero() || st.RetryAfter(clk.Now()) != 0 {
		t.Fatalf("after ClearFailures: %v", st)
	}
}

// A refused PIN costs no key derivation: with the default argon2id
// parameters one check allocates 46 MiB, twenty refusals allocate nothing
// of the sort.
func TestBackOffDoesNoKDFWork(t *testing.T) {
	if testing.Short() {
		t.Skip("derives keys with the default argon2id parameters")
	}
	st, err := Initialize(testPIN)
	if err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	st.FailedLogins, st.LastFailedLogin = 20, clk.Now()
	tok := New(st, WithClock(clk.Now))

	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	refused := allocated(func() {
		for range 20 {
			wantCode(t, tok.Login(testPIN), signer.CodeTokenPinRetryLater)
		}
	})
	if refused > 1<<20 {
		t.Fatalf("20 refused PINs allocated %d bytes; the PIN was derived", refused)
	}
	clk.Add(MaxPINDelay)
	checked := allocated(func() { wantCode(t, tok.Login("wrong"), xroad.CodePinIncorrect) })
	if checked < uint64(DefaultKDFParams().MemoryKiB)*1024 {
		t.Fatalf("a checked PIN allocated only %d bytes; the measurement does not see argon2id", checked)
	}
	t.Logf("20 refusals: %d bytes; one checked PIN: %d bytes", refused, checked)
}

// Wrong PINs neither log out nor lock a logged-in token: after twenty of
// them (well past the ten that used to lock it) its keys still sign and,
// once the back-off is over, the right PIN is accepted.
func TestWrongPINsLeaveLoggedInTokenAlone(t *testing.T) {
	clk := newFakeClock()
	f := getFixture(t)
	tok := New(f.state, WithClock(clk.Now))
	if err := tok.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	s, err := tok.Signer(f.ecKey)
	if err != nil {
		t.Fatal(err)
	}
	checked, wait := 0, time.Duration(0)
	for range 20 {
		clk.Add(wait) // the caller waits as told, then guesses again
		err := tok.Login("wrong")
		switch xroad.CodeOf(err) {
		case xroad.CodePinIncorrect:
			checked++
		case signer.CodeTokenPinRetryLater:
		default:
			t.Fatalf("wrong PIN on a logged-in token: %v", err)
		}
		wait = err.(*xroad.Error).RetryAfter
		if !tok.LoggedIn() {
			t.Fatal("a wrong PIN logged the token out")
		}
	}
	if checked != 20 || tok.Status() != signer.StatusPINIncorrect {
		t.Fatalf("checked %d of 20 PINs, Status = %s; want 20, USER_PIN_INCORRECT", checked, tok.Status())
	}
	digest := sha256.Sum256([]byte("still signing"))
	sig, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil || !ecdsa.VerifyASN1(f.ecKey.PublicKey.(*ecdsa.PublicKey), digest[:], sig) {
		t.Fatalf("signing after 20 wrong PINs: %v", err)
	}
	wantRetryAfter(t, tok.Login(testPIN), signer.CodeTokenPinRetryLater, int(MaxPINDelay/time.Second))
	clk.Add(MaxPINDelay)
	wantCode(t, tok.Login(testPIN), "")
	if tok.Status() != signer.StatusOK {
		t.Fatalf("Status = %s, want OK", tok.Status())
	}
}

// The PIN file is local configuration: it is checked during a back-off,
// and a wrong one still counts.
func TestLoginLocalIgnoresBackOff(t *testing.T) {
	clk := newFakeClock()
	st := getFixture(t).state
	st.FailedLogins, st.LastFailedLogin = 14, clk.Now()
	tok := New(st, WithClock(clk.Now))
	wantRetryAfter(t, tok.LoginLocal("wrong"), xroad.CodePinIncorrect, int(MaxPINDelay/time.Second))
	if tok.State().FailedLogins != 15 {
		t.Fatalf("FailedLogins = %d, want 15", tok.State().FailedLogins)
	}
	wantCode(t, tok.LoginLocal(testPIN), "")
	if !tok.LoggedIn() || tok.State().FailedLogins != 0 {
		t.Fatalf("LoggedIn = %v, FailedLogins = %d", tok.LoggedIn(), tok.State().FailedLogins)
	}
}

// SyncFailures adopts a count another process cleared (or raised).
func TestSyncFailures(t *testing.T) {
	clk := newFakeClock()
	st := getFixture(t).state
	st.FailedLogins, st.LastFailedLogin = 14, clk.Now()
	tok := New(st, WithClock(clk.Now))
	wantCode(t, tok.Login(testPIN), signer.CodeTokenPinRetryLater)
	st.ClearFailures()
	tok.SyncFailures(st)
	wantCode(t, tok.Login(testPIN), "")

	raised := st
	raised.FailedLogins, raised.LastFailedLogin = 5, clk.Now()
	tok.SyncFailures(raised)
	wantRetryAfter(t, tok.Login(testPIN), signer.CodeTokenPinRetryLater, 2)
}

// A clock set back behind the last wrong PIN cannot stretch the back-off.
func TestBackOffClockSetBack(t *testing.T) {
	clk := newFakeClock()
	st := getFixture(t).state
	st.FailedLogins, st.LastFailedLogin = 14, clk.Now().Add(24*time.Hour)
	if got := st.RetryAfter(clk.Now()); got != 0 {
		t.Fatalf("RetryAfter = %s, want 0", got)
	}
	wantCode(t, New(st, WithClock(clk.Now)).Login(testPIN), "")
}

// A state saved by a version that locked the token after ten wrong PINs
// (no time of the last one) takes PINs again.
func TestOldLockIsLifted(t *testing.T) {
	st := getFixture(t).state
	st.FailedLogins = 10
	tok := New(st)
	if tok.Status() == signer.StatusPINLocked {
		t.Fatal("the token reports USER_PIN_LOCKED")
	}
	wantCode(t, tok.Login(testPIN), "")
}
