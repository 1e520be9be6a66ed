package main

import (
	"fmt"
	"sync"
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
)

// TestFaultConcurrentApprovals approves the registrations of several
// security servers of one owner at the same time (the owner joins
// security-server-owners, which two transactions must not both insert):
// every approval succeeds and every server is in the configuration.
func TestFaultConcurrentApprovals(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	const n = 8
	for i := range n {
		if _, err := e.send(t, e.newRegRequest(t, fmt.Sprintf("CC%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	waiting := e.requests(t, "WAITING")
	if len(waiting) != n {
		t.Fatalf("%d waiting requests, want %d", len(waiting), n)
	}
	var wg sync.WaitGroup
	results := make([]gqlResponse, n)
	for i, r := range waiting {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.regoff.do(t, qApprove, map[string]any{"id": r.ID})
		}()
	}
	wg.Wait()
	for i, r := range results {
		if len(r.Errors) > 0 {
			t.Errorf("approving request %d: %s", waiting[i].RequestID, r.raw)
		}
	}
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.SecurityServers) == n })
}

// TestConcurrentGenerations asks for new configuration versions from
// several administrators at once while the background generator runs too:
// every request succeeds and each made a version of its own (they used to
// collide on the version number and fail with CONFLICT).
func TestConcurrentGenerations(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	version := func() int {
		var out struct{ GenerateGlobalConfiguration struct{ Version int } }
		e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, &out)
		return out.GenerateGlobalConfiguration.Version
	}
	before := version()
	const n = 8
	var wg sync.WaitGroup
	results := make([]gqlResponse, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.secoff.do(t, `mutation { generateGlobalConfiguration { version } }`, nil)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if len(r.Errors) > 0 {
			t.Errorf("generation %d: %s", i, r.raw)
		}
	}
	if after := version(); after < before+n+1 {
		t.Errorf("version %d after %d more generations from version %d", after, n+1, before)
	}
}
