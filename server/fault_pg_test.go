package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// pgCluster is a throwaway PostgreSQL cluster (scripts/pg.sh) the test may
// restart without disturbing other tests.
type pgCluster struct {
	dir, port, bin string
}

func startPGCluster(t *testing.T) *pgCluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		testenv.Unavailable(t, "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
	}
	sort.Strings(bins)
	_, port, _ := net.SplitHostPort(testenv.FreeAddress(t))
	dir, err := os.MkdirTemp("", "roadreg-pg-fault-")
	if err != nil {
		t.Fatal(err)
	}
	// The postgres user (pg.sh runs the server as it when we are root)
	// must reach the cluster inside.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &pgCluster{dir: dir, port: port, bin: filepath.Dir(bins[len(bins)-1])}
	script := filepath.Join(testenv.RepoRoot(t), "scripts", "pg.sh")
	if out, err := exec.Command(script, "start", filepath.Join(dir, "pg"), port).CombinedOutput(); err != nil {
		t.Fatalf("starting PostgreSQL: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		_ = exec.Command(script, "stop", filepath.Join(dir, "pg"), port).Run()
		os.RemoveAll(dir)
	})
	return c
}

// restart stops and starts the cluster (fast shutdown: open connections
// are terminated, transactions in flight are rolled back).
func (c *pgCluster) restart(t *testing.T) {
	t.Helper()
	// -l: the new server must not inherit (and hold open) our output pipe.
	cmd := fmt.Sprintf("%s/pg_ctl -D %s -l %s -w -t 60 -m fast restart", c.bin,
		filepath.Join(c.dir, "pg", "data"), filepath.Join(c.dir, "pg", "log"))
	var run *exec.Cmd
	if os.Geteuid() == 0 {
		run = exec.Command("su", "postgres", "-s", "/bin/sh", "-c", cmd)
	} else {
		run = exec.Command("sh", "-c", cmd)
	}
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("restarting PostgreSQL: %v\n%s", err, out)
	}
}

// database creates a database and returns its URL.
func (c *pgCluster) database(t *testing.T, name string) string {
	t.Helper()
	base := "postgres://postgres@127.0.0.1:" + c.port + "/postgres?sslmode=disable"
	db, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	return strings.Replace(base, "/postgres?", "/"+name+"?", 1)
}

// TestFaultPostgresRestart restarts PostgreSQL while security servers'
// registration requests are being submitted to the central server, which
// the senders retry until they get an answer (as an administrator would).
// No request is lost and none is stored twice, and both servers work
// again without being restarted.
func TestFaultPostgresRestart(t *testing.T) {
	t.Parallel()
	if os.Getenv("ROADREG_TEST_DB") != "postgres" {
		t.Skip("runs in the PostgreSQL pass (ROADREG_TEST_DB=postgres); it starts its own cluster")
	}
	pg := startPGCluster(t)
	e := newCentral(t, func(c *config) { c.DB = pg.database(t, "cs") })
	ss := startServer(t, viewer.Security, func(c *config) { c.DB = pg.database(t, "ss") })
	ssAdmin := ss.user(t, "ss-admin", viewer.SecurityOfficer, viewer.SystemAdministrator)
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)

	const senders, perSender = 4, 6
	type outcome struct {
		sha      string
		attempts int
		// refusedAsDuplicate: an earlier attempt was stored although its
		// answer was lost.
		refusedAsDuplicate bool
	}
	bodies := make([][2]string, 0, senders*perSender)
	shas := make([]string, 0, cap(bodies))
	for i := range senders * perSender {
		r := e.newRegRequest(t, fmt.Sprintf("PG%02d", i))
		body, ct := buildRequest(t, e, r)
		bodies = append(bodies, [2]string{string(body), ct})
		shas = append(shas, pki.SHA256Hex(r.authCert.Raw))
	}
	results := make([]outcome, len(bodies))
	var stored sync.WaitGroup // the first few requests are in before the restart
	stored.Add(senders)
	var wg sync.WaitGroup
	deadline := time.Now().Add(90 * time.Second)
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range perSender {
				i := s*perSender + j
				res := &results[i]
				res.sha = shas[i]
				for time.Now().Before(deadline) {
					res.attempts++
					_, err := mgmtreq.Send(context.Background(), http.DefaultClient, e.srv.URL+"/managementservice/", []byte(bodies[i][0]), bodies[i][1])
					if err == nil {
						break
					}
					if xroad.CodeOf(err) == xroad.CodeManagementRequestExists {
						res.refusedAsDuplicate = true
						break
					}
					time.Sleep(50 * time.Millisecond) // the database is away: try again
				}
				if j == 0 {
					stored.Done()
				}
			}
		}()
	}
	stored.Wait()
	pg.restart(t)
	wg.Wait()

	var reqs struct {
		ManagementRequests struct {
			Edges []struct {
				Node struct {
					RequestID             int
					AuthCertificateSha256 string
					Status                string
				}
			}
		}
	}
	// The central server answers again without a restart.
	waitFor(t, 30*time.Second, "the central server to answer GraphQL again", func() bool {
		return len(e.regoff.do(t, `{ me { username } }`, nil).Errors) == 0
	})
	e.regoff.ok(t, `{ managementRequests(first: 100) { edges { node { requestId authCertificateSha256 status } } } }`, nil, &reqs)
	perCert := map[string]int{}
	ids := map[int]bool{}
	for _, ed := range reqs.ManagementRequests.Edges {
		perCert[ed.Node.AuthCertificateSha256]++
		if ids[ed.Node.RequestID] {
			t.Errorf("request number %d is used twice", ed.Node.RequestID)
		}
		ids[ed.Node.RequestID] = true
	}
	retried, duplicates := 0, 0
	for _, r := range results {
		if r.attempts > 1 {
			retried++
		}
		if r.refusedAsDuplicate {
			duplicates++
		}
		if n := perCert[r.sha]; n != 1 {
			t.Errorf("certificate %.12s… has %d management requests after %d attempts, want exactly 1", r.sha, n, r.attempts)
		}
	}
	if len(reqs.ManagementRequests.Edges) != len(bodies) {
		t.Errorf("the central server has %d requests, %d were sent", len(reqs.ManagementRequests.Edges), len(bodies))
	}
	t.Logf("%d of %d requests needed more than one attempt; %d retries were refused as duplicates of a stored request", retried, len(bodies), duplicates)

	// Both servers work on: approval, configuration generation, the
	// security server's API and health check.
	waiting := e.requests(t, "WAITING")
	if len(waiting) == 0 {
		t.Fatal("no waiting requests")
	}
	e.regoff.ok(t, qApprove, map[string]any{"id": waiting[0].ID}, nil)
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.SecurityServers) == 1 })
	ssAdmin.ok(t, `{ tokens { id } serverInfo { initialized } }`, nil, nil)
	for _, srv := range []*testServer{e.srv, ss} {
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("%s /healthz after the restart: %v %v", srv.URL, err, resp)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
}
