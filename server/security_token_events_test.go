package main

// Token events on the security server (tokenChanged).

import (
	"bytes"
	"testing"
	"time"
)

func TestTokenChangedSubscription(t *testing.T) {
	t.Parallel()
	e := newSSEnv(t)
	e.initialize(t)
	soft := e.token(t, "SOFTWARE")
	s, _, err := e.officer.dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.waitAck(t); err != nil {
		t.Fatal(err)
	}
	s.start(t, `subscription { tokenChanged { id loggedIn status } }`, nil)
	e.srv.waitSubscriptions(t, 1)
	e.officer.ok(t, qLogout, map[string]any{"id": soft.ID}, nil)
	data, errs := s.next(t, 5*time.Second)
	if len(errs) > 0 || !bytes.Contains(data, []byte(`"loggedIn":false`)) {
		t.Fatalf("logout event: %s %v", data, errs)
	}
	e.officer.do(t, qLogin, map[string]any{"id": soft.ID, "pin": "wrong"})
	data, errs = s.next(t, 5*time.Second)
	if len(errs) > 0 || !bytes.Contains(data, []byte(`"status":"USER_PIN_INCORRECT"`)) {
		t.Fatalf("wrong-PIN event: %s %v", data, errs)
	}
}
