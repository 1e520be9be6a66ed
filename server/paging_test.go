package main

import (
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
)

// TestRelayPagingBothWays pages the audit log forwards and backwards: both
// directions must see the same rows, each once.
func TestRelayPagingBothWays(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	c := srv.user(t, "alice", viewer.SecurityOfficer)
	for i := 0; i < 6; i++ {
		c.login(t, "alice", testPassword) // each login is an audit event
	}
	type page struct {
		AuditEvents struct {
			Edges    []struct{ Node struct{ ID string } }
			PageInfo struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
		}
	}
	var forward []string
	var after *string
	for {
		var p page
		c.ok(t, `query($a: String) { auditEvents(first: 3, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"a": after}, &p)
		for _, e := range p.AuditEvents.Edges {
			forward = append(forward, e.Node.ID)
		}
		if !p.AuditEvents.PageInfo.HasNextPage {
			break
		}
		after = p.AuditEvents.PageInfo.EndCursor
	}
	var backward []string
	var before *string
	for {
		var p page
		c.ok(t, `query($b: String) { auditEvents(last: 3, before: $b) { edges { node { id } } pageInfo { hasPreviousPage startCursor } } }`, map[string]any{"b": before}, &p)
		var ids []string
		for _, e := range p.AuditEvents.Edges {
			ids = append(ids, e.Node.ID)
		}
		backward = append(ids, backward...)
		if !p.AuditEvents.PageInfo.HasPreviousPage {
			break
		}
		before = p.AuditEvents.PageInfo.StartCursor
	}
	if len(forward) < 6 || len(forward) != len(backward) {
		t.Fatalf("forward %v\nbackward %v", forward, backward)
	}
	for i := range forward {
		if forward[i] != backward[i] {
			t.Fatalf("paging differs at %d:\nforward  %v\nbackward %v", i, forward, backward)
		}
	}
}
