package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/viewer"
)

// A lone central server is a cluster of one replica: it generates, its
// heartbeat is recent, and each version names it.
func TestClusterStatusOfOneReplica(t *testing.T) {
	e := newCentral(t, func(c *config) { c.NodeName = "cs1" })
	var gen struct{ GenerateGlobalConfiguration struct{ Version int } }
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, &gen)
	for _, c := range []*gqlClient{e.sysadmin, e.secoff, e.regoff} {
		var out struct{ CentralServerCluster clusterStatus }
		c.ok(t, qCluster, nil, &out)
		st := out.CentralServerCluster
		if st.HighAvailability != (os.Getenv("ROADREG_TEST_DB") == "postgres") || st.NodeName != "cs1" || st.generator() != "cs1" ||
			len(st.Nodes) != 1 || st.Nodes[0].State != "OK" || !st.Nodes[0].Generator || st.Nodes[0].Address != nil ||
			!st.AllNodesOk || st.LastVersion == nil || *st.LastVersion < gen.GenerateGlobalConfiguration.Version ||
			st.LastGeneratedBy == nil || *st.LastGeneratedBy != "cs1" {
			t.Fatalf("cluster status: %+v", st)
		}
	}
}

// A second central server on the same SQLite file refuses to start and
// says why; once the first has stopped, it starts.
func TestSQLiteRefusesASecondReplica(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cs.db")
	first := startServer(t, viewer.Central, func(c *config) { c.DB, c.NodeName = file, "cs1" })
	cfg := &config{Role: viewer.Central, Listen: "127.0.0.1:0", DataDir: t.TempDir(), DB: file, NodeName: "cs2",
		FrontendDir: t.TempDir(), ConfInterval: time.Minute, ConfExpire: 10 * time.Minute, RateLimitPerMin: 10}
	start := time.Now()
	_, err := newApp(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "SQLite holds one replica") || !strings.Contains(err.Error(), "PostgreSQL") || !strings.Contains(err.Error(), `"cs1"`) {
		t.Fatalf("second replica on one SQLite file: %v", err)
	}
	t.Logf("refused after %s: %v", time.Since(start).Round(time.Millisecond), err)
	first.stop(t)
	a, err := newApp(context.Background(), cfg)
	if err != nil {
		t.Fatalf("after the first stopped: %v", err)
	}
	a.close()
}
