package auth

import (
	"context"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

const testPassword = "correct horse battery"

// clock is a test's time, moved by the test.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

// newTestService returns the authenticator of a server of the role on a
// new test database (SQLite, or PostgreSQL under ROADREG_TEST_DB=postgres),
// with a clock the test moves. Passwords are hashed at the test cost
// (TestPasswordHashing checks the real one).
func newTestService(t *testing.T, role viewer.ServerRole) (*Service, *clock) {
	t.Helper()
	cost, dummy := passwordCost, dummyHash
	UseTestPasswordCost()
	t.Cleanup(func() { passwordCost, dummyHash = cost, dummy })
	d, err := db.Open(context.Background(), testenv.DB(t).URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	s := NewService(d.Client, role)
	c := &clock{now: t0}
	s.now = c.Now
	return s, c
}
