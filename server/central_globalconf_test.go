package main

// Generating global configuration on the central server when it fails.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

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
