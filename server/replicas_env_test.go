package main

// The environment of the tests of the central server's replicas: `roadreg
// serve --role=central` processes on one PostgreSQL database, each with its
// own address in the anchor and the same cluster key file, killed with
// SIGKILL when a test says so.

import (
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
)

// replicaSet is a central server's replicas on one PostgreSQL database.
type replicaSet struct {
	bin, db, dir, keyFile string
}

// replica is one `roadreg serve --role=central` process.
type replica struct {
	name, addr, url string
	p               *process
	// admin holds every role of the central server (the same user on
	// every replica: users live in the database).
	admin *gqlClient
}

const replicaAdmin = "cs-admin"

func newReplicaSet(t *testing.T, db string) *replicaSet {
	t.Helper()
	rs := &replicaSet{bin: buildRoadreg(t), db: db, dir: t.TempDir()}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	rs.keyFile = filepath.Join(rs.dir, "cluster.key")
	if err := os.WriteFile(rs.keyFile, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return rs
}

// start starts a replica called name with its own address, which the
// anchor lists; extra flags follow.
func (rs *replicaSet) start(t *testing.T, name string, extra ...string) *replica {
	t.Helper()
	return rs.startAt(t, name, testenv.FreeAddress(t), extra...)
}

// startAt is start on the address addr.
func (rs *replicaSet) startAt(t *testing.T, name, addr string, extra ...string) *replica {
	t.Helper()
	args := append([]string{"serve", "--role=central", "--listen", addr, "--db", rs.db, "--data-dir", filepath.Join(rs.dir, name),
		"--node-name", name, "--node-address", addr, "--cluster-key-file", rs.keyFile,
		"--log-format", "json", "--log-level", "info", "--mgmt-rate-limit", "100000"}, extra...)
	r := &replica{name: name, addr: addr, url: "http://" + addr}
	// The first replica on the database creates the administrator.
	r.p = startProcess(t, rs.bin, name, rs.dir, []string{"ROADREG_ADMIN_USER=" + replicaAdmin, "ROADREG_ADMIN_PASSWORD=" + testPassword}, args...)
	waitHTTP(t, r.url+"/healthz")
	r.admin = loginClient(t, r.url, replicaAdmin)
	t.Cleanup(func() {
		if t.Failed() {
			if b, err := os.ReadFile(r.p.log); err == nil {
				t.Logf("log of replica %s:\n%s", name, lastLines(string(b), 40))
			}
		}
	})
	return r
}

// kill ends the replica with SIGKILL, as a crash or an operator's kill -9
// would: it leaves nothing behind, releases nothing.
func (r *replica) kill(t *testing.T) {
	t.Helper()
	if err := r.p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-r.p.exited
	r.p.cmd = nil
}

// metric reads a sample of the replica's /metrics.
func (r *replica) metric(t *testing.T, name string) float64 {
	t.Helper()
	for _, l := range strings.Split(httpBody(t, r.url+"/metrics"), "\n") {
		if v, ok := strings.CutPrefix(l, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("%s/metrics has no %s", r.url, name)
	return 0
}

// clusterNode is a replica in centralServerCluster.
type clusterNode struct {
	Name, State          string
	Address              *string
	SigningTokenLoggedIn bool
	Generator            bool
}

// clusterStatus is centralServerCluster.
type clusterStatus struct {
	HighAvailability bool
	NodeName         string
	Generator        *string
	LastVersion      *int
	LastGeneratedBy  *string
	Nodes            []clusterNode
	AllNodesOk       bool
}

const qCluster = `{ centralServerCluster { highAvailability nodeName generator lastVersion lastGeneratedBy allNodesOk
	nodes { name state address signingTokenLoggedIn generator } } }`

func (r *replica) cluster(t *testing.T) clusterStatus {
	t.Helper()
	var out struct{ CentralServerCluster clusterStatus }
	r.admin.ok(t, qCluster, nil, &out)
	return out.CentralServerCluster
}

// generator is the name of the replica that generates now ("" none).
func (s clusterStatus) generator() string {
	if s.Generator == nil {
		return ""
	}
	return *s.Generator
}

// node returns the replica called name in the status.
func (s clusterStatus) node(name string) (clusterNode, bool) {
	for _, n := range s.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return clusterNode{}, false
}

// waitGenerator waits until the replicas agree that name generates.
func (r *replica) waitGenerator(t *testing.T, name string, within time.Duration) {
	t.Helper()
	testenv.WaitFor(t, within, "replica "+name+" to generate", func() bool { return r.cluster(t).generator() == name })
}

// needReplicaDatabase skips a test of replicas outside make test's
// PostgreSQL pass (replicas need PostgreSQL; the test runs once).
func needReplicaDatabase(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("the replicas' cross-process tests are not run with -short")
	}
	if os.Getenv("ROADREG_TEST_DB") != "postgres" {
		t.Skip("replicas run on PostgreSQL: ROADREG_TEST_DB=postgres (make test's PostgreSQL pass)")
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
