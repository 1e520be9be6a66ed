package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestManagementServiceRateLimitAndSizeLimit(t *testing.T) {
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

// TestGenerationFailureKeepsLastVersion restarts a central server: its
// signing token is then logged out, generation fails and says so, the last
// good configuration is still served, and logging in heals it.
func TestGenerationFailureKeepsLastVersion(t *testing.T) {
	dir, db := t.TempDir(), ""
	keep := func(c *config) {
		if db == "" {
			db = c.DB
		}
		c.DataDir, c.DB = dir, db
	}
	e := newCentral(t, keep)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedTSAs) == 1 })
	var before struct{ GlobalConfigurationStatus struct{ Version int } }
	e.regoff.ok(t, qStatus, nil, &before)
	e.srv.stop(t)

	srv := startServer(t, viewer.Central, keep)
	c := srv.anonymous()
	if status, _ := c.login(t, "secoff", testPassword); status != http.StatusOK {
		t.Fatal("login after restart")
	}
	var st struct {
		GlobalConfigurationStatus struct {
			Version      int
			Error        *string
			FailingSince *time.Time
		}
	}
	c.fails(t, xroad.CodeTokenNotActive, `mutation { generateGlobalConfiguration { version } }`, nil)
	c.ok(t, `{ globalConfigurationStatus { version error failingSince } }`, nil, &st)
	if st.GlobalConfigurationStatus.Error == nil || !strings.Contains(*st.GlobalConfigurationStatus.Error, "logged out") || st.GlobalConfigurationStatus.FailingSince == nil {
		t.Fatalf("status after restart: %+v", st)
	}
	if r := httpGet(t, c, "/internalconf"); r.StatusCode != http.StatusOK {
		t.Fatalf("the last good configuration is not served: %d", r.StatusCode)
	}
	c.fails(t, xroad.CodePinIncorrect, `mutation { loginCentralServerToken(pin: "wrong") { version } }`, nil)
	c.ok(t, `mutation { loginCentralServerToken(pin: "Secret-PIN-1") { version } }`, nil, nil)
	c.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	c.ok(t, `{ globalConfigurationStatus { version error failingSince } }`, nil, &st)
	if st.GlobalConfigurationStatus.Error != nil || st.GlobalConfigurationStatus.FailingSince != nil || st.GlobalConfigurationStatus.Version <= before.GlobalConfigurationStatus.Version {
		t.Fatalf("status after login: %+v (before: version %d)", st, before.GlobalConfigurationStatus.Version)
	}
}
