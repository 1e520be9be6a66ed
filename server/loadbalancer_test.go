package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

var (
	haproxyBind   = regexp.MustCompile(`(?m)^(\s*)bind :80$`)
	haproxyServer = regexp.MustCompile(`(?m)^\s*server cs\d \S+ check\n`)
)

// haproxyConfig is examples/replicas/haproxy.cfg listening on lb and
// sending to the replicas at addrs.
func haproxyConfig(t *testing.T, lb string, addrs ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "examples", "replicas", "haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := haproxyBind.ReplaceAllString(string(b), "${1}bind "+lb)
	if len(haproxyBind.FindAllString(string(b), -1)) != 1 || len(haproxyServer.FindAllString(cfg, -1)) != 2 {
		t.Fatal("examples/replicas/haproxy.cfg no longer has the bind :80 line and the two server lines this test replaces")
	}
	servers := ""
	for i, a := range addrs {
		servers += "    server cs" + string(rune('1'+i)) + " " + a + " check\n"
	}
	first := true
	cfg = haproxyServer.ReplaceAllStringFunc(cfg, func(string) string {
		if first {
			first = false
			return servers
		}
		return ""
	})
	p := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHAProxyInFrontOfReplicas runs MEMBER_01 through HAProxy with the
// deployment guide's configuration (examples/replicas/haproxy.cfg) in front
// of two replicas: the admin app's API, the configuration downloads, the
// watch channel and the management service all go through the load
// balancer. Then the replica holding the security server's watch channel
// stops; the security server still receives the next version.
func TestHAProxyInFrontOfReplicas(t *testing.T) {
	t.Parallel()
	if os.Getenv("ROADREG_TEST_DB") != "postgres" {
		t.Skip("replicas run on PostgreSQL: ROADREG_TEST_DB=postgres (make test's PostgreSQL pass)")
	}
	bin := testenv.NeedTool(t, "haproxy")
	url, key, lb := testenv.Postgres(t).URL, clusterKeyFile(t), testenv.FreeAddress(t)
	replica := func(name string) *testServer {
		return startServer(t, viewer.Central, func(c *config) {
			c.DB, c.NodeName, c.ClusterKeyFile, c.PublicURL = url, name, key, "http://"+lb
			c.TrustedProxies, _ = parseTrustedProxies([]string{"127.0.0.1"})
		})
	}
	a, b := replica("cs1"), replica("cs2")
	cfg := haproxyConfig(t, lb, strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://"))
	if out, err := exec.Command(bin, "-c", "-f", cfg).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	logs := t.TempDir()
	hp := startProcess(t, bin, "haproxy", logs, nil, "-f", cfg, "-db")
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(hp.log)
			t.Logf("haproxy:\n%s", b)
		}
	})
	lbURL := "http://" + lb
	testenv.WaitFor(t, 20*time.Second, "HAProxy to find both replicas healthy", func() bool {
		for range 4 {
			resp, err := http.Get(lbURL + "/healthz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return false
			}
		}
		return true
	})

	a.user(t, "admin", viewer.SystemAdministrator, viewer.SecurityOfficer, viewer.RegistrationOfficer)
	admin := loginClient(t, lbURL, "admin")
	e := newMember01Central(t, lbURL, admin, admin, admin)
	e.initCentral(t, lb)
	if strings.Count(e.anchor, "<downloadURL>") != 1 || !strings.Contains(e.anchor, lbURL+"/internalconf") {
		t.Fatalf("the anchor should name the load balancer only:\n%s", e.anchor)
	}
	e.startSecurity(t)
	var reg struct{ RegisterAuthCertificate certNode }
	e.admin.ok(t, qRegister, map[string]any{"id": e.auth.ID, "a": "ss1.example.org"}, &reg)
	waiting := e.requests(t)
	if len(waiting) != 1 || waiting[0].Status != "WAITING" {
		t.Fatalf("requests through the load balancer: %+v", waiting)
	}
	admin.ok(t, qApprove, map[string]any{"id": waiting[0].ID}, nil)
	waitFor(t, 20*time.Second, "the certificate to become REGISTERED", func() bool {
		return e.cert(t, e.auth.ID).Status == "REGISTERED"
	})

	// The replica holding the security server's watch channel stops.
	watching := a
	if b.app.central.Hub().Clients() == 1 {
		watching = b
	} else if a.app.central.Hub().Clients() != 1 {
		t.Fatalf("watch channels: a %d, b %d", a.app.central.Hub().Clients(), b.app.central.Hub().Clients())
	}
	watching.stop(t)
	stopped := time.Now()
	admin.ok(t, qAddMember, map[string]any{"c": "GOV", "m": "8001", "n": "After a replica stopped"}, nil)
	waitFor(t, 20*time.Second, "the security server to receive the next version", func() bool {
		var out struct{ MemberName *string }
		e.admin.ok(t, `query($c: String!) { memberName(memberClass: "GOV", memberCode: $c) }`, map[string]any{"c": "8001"}, &out)
		return out.MemberName != nil
	})
	t.Logf("the next version reached the security server %s after the replica holding its watch channel stopped",
		time.Since(stopped).Round(time.Millisecond))
	var out struct{ CentralServerCluster clusterStatus }
	admin.ok(t, qCluster, nil, &out)
	if n, _ := out.CentralServerCluster.node(map[*testServer]string{a: "cs1", b: "cs2"}[watching]); n.State != "STOPPED" {
		t.Errorf("the stopped replica: %+v", n)
	}
}
