package auth

import (
	"context"
	"slices"
	"testing"

	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// AddUser with replace (start-up and `roadreg dev` provisioning, `user add
// --replace`) keeps the user's sessions when the password is the same and
// ends them when it changes.
func TestAddUserReplaceEndsSessionsOnlyForANewPassword(t *testing.T) {
	s, _ := newTestService(t, viewer.Central)
	s.Events = events.NewBroker()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := s.Events.Subscribe(ctx, events.SessionEnded)
	if _, err := s.AddUser(sys(), "alice", testPassword, []string{"SECURITY_OFFICER"}, false); err != nil {
		t.Fatal(err)
	}
	token, _, err := s.Login(context.Background(), "alice", testPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.AddUser(sys(), "alice", testPassword, []string{"SECURITY_OFFICER", "REGISTRATION_OFFICER"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(roleStrings(a.Roles), []string{"SECURITY_OFFICER", "REGISTRATION_OFFICER"}) {
		t.Fatalf("roles after replace: %v", a.Roles)
	}
	v, err := s.Session(context.Background(), token)
	if err != nil || len(v.Roles) != 2 {
		t.Fatalf("the session after replacing with the same password: %v, %v", v, err)
	}
	if _, err := s.AddUser(sys(), "alice", "another password", []string{"SECURITY_OFFICER"}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(context.Background(), token); !IsAuthError(err) {
		t.Fatalf("the session survived a new password: %v", err)
	}
	if e := <-ended; e.ID != v.SessionID {
		t.Fatalf("ended session %d, want %d", e.ID, v.SessionID)
	}
	if _, err := s.AddUser(sys(), "alice", testPassword, []string{"SECURITY_OFFICER"}, false); !xroad.IsCode(err, CodeUserExists) {
		t.Fatalf("adding an existing user: %v", err)
	}
}
