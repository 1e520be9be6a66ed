package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/roadreg/roadreg/ent/auditevent"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

func sys() context.Context { return viewer.SystemContext(context.Background(), viewer.Central) }

// 200 wrong passwords from one address, one a second, leave the
// administrator free to log in from another address, and the throttled
// attempts leave a handful of audit entries, not 200.
func TestLoginThrottleKeepsOtherAddressesOpen(t *testing.T) {
	s, c := newTestService(t, viewer.Central)
	if _, err := s.AddUser(sys(), "admin", testPassword, []string{"SYSTEM_ADMINISTRATOR"}, false); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	refused := 0
	for i := 0; i < 200; i++ {
		c.advance(time.Second)
		_, _, err := s.Login(ctx, "admin", "guess", "192.0.2.66")
		switch {
		case xroad.IsCode(err, CodeRateLimited):
			refused++
			if RetryAfter(err) < 1 || RetryAfter(err) > 12 {
				t.Fatalf("retry after %d s", RetryAfter(err))
			}
		case !IsAuthError(err):
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if refused < 170 {
		t.Fatalf("only %d of 200 attempts from one address were throttled", refused)
	}
	if _, v, err := s.Login(ctx, "admin", testPassword, "203.0.113.7"); err != nil || v.Username != "admin" {
		t.Fatalf("the administrator cannot log in from another address: %v", err)
	}
	rows, err := s.client.AuditEvent.Query().Where(auditevent.Event("Log in user failed")).All(sys())
	if err != nil {
		t.Fatal(err)
	}
	throttled := 0
	for _, r := range rows {
		var d map[string]any
		if r.Data != nil {
			_ = json.Unmarshal([]byte(*r.Data), &d)
		}
		if d["reason"] == "throttled" {
			throttled++
			if d["clientAddress"] != "192.0.2.66" || d["limit"] != limitPair || r.Actor != "admin" {
				t.Errorf("throttling entry: actor %s, data %v", r.Actor, d)
			}
		}
	}
	// 200 s of throttling: at most one entry a minute.
	if throttled < 1 || throttled > 4 {
		t.Errorf("%d audit entries for %d throttled attempts, want 1 to 4", throttled, refused)
	}
	if wrong := len(rows) - throttled; wrong != 200-refused {
		t.Errorf("%d audit entries for %d wrong passwords", wrong, 200-refused)
	}
}

// Spraying throw-away user names does not reset a throttled account.
func TestLoginThrottleSurvivesSpray(t *testing.T) {
	s, c := newTestService(t, viewer.Central)
	s.throttle = newThrottle(8)
	if _, err := s.AddUser(sys(), "admin", testPassword, []string{"SYSTEM_ADMINISTRATOR"}, false); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i <= pairLimit.burst; i++ {
		_, _, _ = s.Login(ctx, "admin", "guess", "192.0.2.66")
	}
	for i := 0; i < 2000; i++ {
		c.advance(time.Millisecond)
		_, _, _ = s.Login(ctx, fmt.Sprintf("spray-%d", i), "x", fmt.Sprintf("198.51.%d.%d", i/250, i%250))
	}
	if _, _, err := s.Login(ctx, "admin", testPassword, "192.0.2.66"); !xroad.IsCode(err, CodeRateLimited) {
		t.Fatalf("after the spray the throttled pair got: %v", err)
	}
}

func roleStrings[T ~string](rs []T) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
