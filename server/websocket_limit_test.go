package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
)

// TestWebsocketOperationLimit: of 5,000 subscriptions started on one
// websocket, maxOperationsPerConnection run; every other one is answered
// with an error for its id (TOO_MANY_SUBSCRIPTIONS, naming the limit) and
// runs nothing. The connection stays usable: once some complete, new ones
// are accepted and receive events.
func TestWebsocketOperationLimit(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	s, _, err := srv.user(t, "officer", viewer.SecurityOfficer).dialWS(t, wsOptions{useCookie: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.waitAck(t); err != nil {
		t.Fatal(err)
	}
	open := func() int64 { return srv.app.wsConns.subscriptions.Load() }
	subscribe := func(id string) error {
		return s.conn.WriteJSON(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
			"query": `subscription { globalConfigurationChanged { version } }`,
		}})
	}

	const n = 5000
	written := make(chan error, 1)
	go func() {
		for i := range n {
			if err := subscribe(fmt.Sprint(i)); err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	refused := map[string]bool{}
	most := int64(0)
	s.until(t, time.Minute, fmt.Sprintf("%d refusals", n-maxOperationsPerConnection), func(m map[string]any) bool {
		most = max(most, open())
		if m["type"] != "error" {
			t.Fatalf("unexpected message %v", m)
		}
		errs, _ := m["payload"].([]any)
		e, _ := errs[0].(map[string]any)
		ext, _ := e["extensions"].(map[string]any)
		msg, _ := e["message"].(string)
		if ext["code"] != "TOO_MANY_SUBSCRIPTIONS" || !strings.Contains(msg, fmt.Sprint(maxOperationsPerConnection)) {
			t.Fatalf("refusal %v: want code TOO_MANY_SUBSCRIPTIONS and a message naming the limit", e)
		}
		refused[m["id"].(string)] = true
		return len(refused) == n-maxOperationsPerConnection
	})
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the accepted subscriptions", func() bool { return open() == maxOperationsPerConnection })
	if most > maxOperationsPerConnection {
		t.Fatalf("%d subscriptions ran at once", most)
	}
	var accepted []string
	for i := range n {
		if id := fmt.Sprint(i); !refused[id] {
			accepted = append(accepted, id)
		}
	}

	// Completing ten makes room for ten more.
	completed := map[string]bool{}
	for _, id := range accepted[:10] {
		completed[id] = true
		if err := s.conn.WriteJSON(map[string]any{"id": id, "type": "complete"}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 10*time.Second, "ten subscriptions to complete", func() bool { return open() == maxOperationsPerConnection-10 })
	for i := range 10 {
		if err := subscribe(fmt.Sprint("again", i)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 10*time.Second, "the new subscriptions", func() bool { return open() == maxOperationsPerConnection })
	srv.app.events.Publish(events.Event{Topic: events.GlobalConfChanged})
	got := map[string]bool{}
	s.until(t, 10*time.Second, "the event on every running subscription", func(m map[string]any) bool {
		if m["type"] == "complete" && completed[m["id"].(string)] {
			return false // the server's answer to the client's complete
		}
		if m["type"] != "next" {
			t.Fatalf("unexpected message %v", m)
		}
		id := m["id"].(string)
		if refused[id] || got[id] {
			t.Fatalf("an event for %s (refused or already answered)", id)
		}
		got[id] = true
		return len(got) == maxOperationsPerConnection
	})
	for i := range 10 {
		if !got[fmt.Sprint("again", i)] {
			t.Errorf("the new subscription again%d got no event", i)
		}
	}
}
