package main

// The GraphQL HTTP endpoint's own defences: cross-origin requests and query limits.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
)

func TestCrossOriginPOSTRefused(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	c := srv.user(t, "alice", viewer.SecurityOfficer)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { username } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://evil.example")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d", resp.StatusCode)
	}
	// A text/plain body (a "simple" cross-site request) is not executed.
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { username } }"}`))
	req.Header.Set("Content-Type", "text/plain")
	resp, err = c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("text/plain POST executed: %d", resp.StatusCode)
	}
}

func TestQueryLimits(t *testing.T) {
	t.Parallel()
	srv := startServer(t, viewer.Central)
	c := srv.user(t, "alice", viewer.RegistrationOfficer)
	deep := "memberCode"
	for i := 0; i < 10; i++ {
		deep = "ownedServers { owner { " + deep + " } }"
	}
	deep = "{ members(first: 1) { edges { node { " + deep + " } } } }"
	if r := c.do(t, deep, nil); r.code() != "QUERY_TOO_DEEP" {
		t.Fatalf("deep query: %s", r.raw)
	}
}
