package main

import (
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

// clusterKeyFile writes a cluster key file and returns its path.
func clusterKeyFile(t *testing.T) string {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cluster.key")
	if err := os.WriteFile(p, []byte(base64.StdEncoding.EncodeToString(key)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startReplica starts a replica of the central server in this process on
// the database url.
func startReplica(t *testing.T, url, name, keyFile string) *testServer {
	t.Helper()
	return startServer(t, viewer.Central, func(c *config) { c.DB, c.NodeName, c.ClusterKeyFile = url, name, keyFile })
}

// signingReplicas returns the names of the replicas whose signing token is
// logged in, as the cluster status shows them.
func signingReplicas(t *testing.T, c *gqlClient) []string {
	t.Helper()
	var out struct{ CentralServerCluster clusterStatus }
	c.ok(t, qCluster, nil, &out)
	var names []string
	for _, n := range out.CentralServerCluster.Nodes {
		if n.SigningTokenLoggedIn {
			names = append(names, n.Name)
		}
	}
	return names
}

// One login to the signing token serves every replica that holds the
// cluster key, after restarts too, without the PIN anywhere on disk: a
// replica started later, or restarted, logs in with the login the others
// shared through the database; one without the key, or with another key,
// stays logged out until the PIN is entered there.
func TestReplicasShareTheSigningTokenLogin(t *testing.T) {
	t.Parallel()
	if os.Getenv("ROADREG_TEST_DB") != "postgres" {
		t.Skip("replicas run on PostgreSQL: ROADREG_TEST_DB=postgres (make test's PostgreSQL pass)")
	}
	url := testenv.Postgres(t).URL
	key := clusterKeyFile(t)
	a := startReplica(t, url, "a", key)
	b := startReplica(t, url, "b", key)
	admin := a.user(t, "admin", viewer.SystemAdministrator, viewer.SecurityOfficer)
	admin.ok(t, qInit, map[string]any{"i": map[string]any{"instanceIdentifier": "DEV", "centralServerAddress": strings.TrimPrefix(a.URL, "http://"), "softTokenPin": "Replica-PIN-77"}}, nil)
	want := func(names ...string) {
		t.Helper()
		testenv.WaitFor(t, 10*time.Second, "the replicas "+strings.Join(names, ", ")+" to be logged in", func() bool {
			return strings.Join(signingReplicas(t, admin), ",") == strings.Join(names, ",")
		})
	}
	want("a", "b")

	// b restarts: logged in again without anybody logging in.
	b.stop(t)
	b = startReplica(t, url, "b", key)
	want("a", "b")

	// Every replica stops; the first to start again can sign at once.
	a.stop(t)
	b.stop(t)
	c := startReplica(t, url, "c", key)
	if !c.app.central.TokenLoggedIn() {
		t.Fatal("c started logged out")
	}
	cAdmin := loginClient(t, c.URL, "admin")
	cAdmin.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	if st := c.app; !st.central.Generating() {
		t.Error("c does not generate")
	}

	// Without the key, or with another one, a replica starts logged out
	// (the shared login is tried before it serves).
	d := startReplica(t, url, "d", "")
	other := startReplica(t, url, "e", clusterKeyFile(t))
	if d.app.central.TokenLoggedIn() || other.app.central.TokenLoggedIn() {
		t.Errorf("logged in without the cluster key (%v) or with another key (%v)", d.app.central.TokenLoggedIn(), other.app.central.TokenLoggedIn())
	}
	dAdmin := loginClient(t, d.URL, "admin")
	dAdmin.ok(t, `mutation($p: String!) { loginCentralServerToken(pin: $p) { version } }`, map[string]any{"p": "Replica-PIN-77"}, nil)
	if !d.app.central.TokenLoggedIn() {
		t.Error("d is not logged in after its PIN")
	}
}
