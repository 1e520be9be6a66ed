package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

// A lone central server is a cluster of one replica: it generates, its
// heartbeat is recent, and each version names it.
func TestClusterStatusOfOneReplica(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// roadreg cluster remove forgets a replica that stopped: it leaves the
// status (and its address the anchor's sources); a running replica and an
// unknown name are refused, and the audit log records the removal.
func TestClusterRemoveCommand(t *testing.T) {
	t.Parallel()
	needReplicaDatabase(t)
	url := testenv.Postgres(t).URL
	a := startServer(t, viewer.Central, func(c *config) { c.DB, c.NodeName = url, "cs1" })
	b := startServer(t, viewer.Central, func(c *config) { c.DB, c.NodeName, c.NodeAddress = url, "cs2", "cs2.example.org" })
	a.user(t, "admin", viewer.SystemAdministrator)
	admin := loginClient(t, a.URL, "admin")
	nodes := func() []string {
		var out struct{ CentralServerCluster clusterStatus }
		admin.ok(t, qCluster, nil, &out)
		var names []string
		for _, n := range out.CentralServerCluster.Nodes {
			names = append(names, n.Name)
		}
		return names
	}
	if got := nodes(); len(got) != 2 {
		t.Fatalf("replicas: %v", got)
	}
	if out := runRoadreg(t, 1, "cluster", "remove", "cs2", "--db", url); !strings.Contains(out, `replica "cs2" is running`) {
		t.Fatalf("removing a running replica: %s", out)
	}
	b.stop(t)
	if out := runRoadreg(t, 0, "cluster", "remove", "cs2", "--db", url); !strings.Contains(out, "replica cs2 removed") {
		t.Fatalf("removing a stopped replica: %s", out)
	}
	if got := nodes(); len(got) != 1 || got[0] != "cs1" {
		t.Fatalf("replicas after removing cs2: %v", got)
	}
	if out := runRoadreg(t, 1, "cluster", "remove", "cs2", "--db", url); !strings.Contains(out, `no replica named "cs2"`) {
		t.Fatalf("removing twice: %s", out)
	}
	if ev := auditEvents(t, admin); !strings.Contains(ev, `Remove central server replica {"replica":"cs2"}`) {
		t.Errorf("audit log: %s", ev)
	}
}
