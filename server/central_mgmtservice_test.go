package main

// The management service's limits on the central server.

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestManagementServiceRateLimitAndSizeLimit(t *testing.T) {
	t.Parallel()
	e := newCentral(t, func(c *config) { c.RateLimitPerMin = 3 })
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedCAs) == 1 })
	var codes []string
	for i := 0; i < 4; i++ {
		r := e.newRegRequest(t, "RL"+string(rune('A'+i)))
		r.dryRun = true
		_, err := e.send(t, r)
		codes = append(codes, xroad.CodeOf(err))
	}
	if codes[3] != xroad.CodeManagementRequestRateLimited {
		t.Fatalf("4th request within a minute with a limit of 3: %v", codes)
	}
	// A body over the size limit is refused before it is read whole.
	big := bytes.Repeat([]byte("x"), mgmtreq.MaxRequestSize+1)
	e2 := newCentral(t)
	resp, err := http.Post(e2.srv.URL+"/managementservice/", "multipart/related; boundary=x", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("oversized body: %d", resp.StatusCode)
	}
}
