package main

// Tests of `roadreg user|apikey|session …`, run in process through run()
// (SQLite, or PostgreSQL under ROADREG_TEST_DB=postgres).

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

// cli runs roadreg with args, stdin and env, returning the exit code and
// what it printed.
func cli(t *testing.T, stdin string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, append([]string{"USER=tester"}, env...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// cliOK runs a command that must succeed.
func cliOK(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	code, out, errOut := cli(t, stdin, nil, args...)
	if code != 0 {
		t.Fatalf("roadreg %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// cliFails runs a command that must fail with code, its message on
// standard error containing want.
func cliFails(t *testing.T, code int, want, stdin string, env []string, args ...string) {
	t.Helper()
	got, _, errOut := cli(t, stdin, env, args...)
	if got != code || !strings.Contains(errOut, want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 && code == 1 {
		t.Fatalf("roadreg %s: exit %d, %q; want exit %d and %q on one line", strings.Join(args, " "), got, errOut, code, want)
	}
}

// row returns the fields of the table row whose fields include all of
// want (nil when none does).
func row(table string, want ...string) []string {
	for _, line := range strings.Split(table, "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 0 && !slices.ContainsFunc(want, func(w string) bool { return !slices.Contains(f, w) }) {
			return f
		}
	}
	return nil
}

// The database records its server role at the first command that names
// it; later commands use it, refuse the other role and the roles that
// kind of server does not have, and so does `roadreg serve`.
func TestCLIServerRoleOfTheDatabase(t *testing.T) {
	t.Parallel()
	dbURL := testenv.DB(t).URL
	add := func(role string) []string {
		return []string{"user", "add", "--db", dbURL, "--username", strings.ToLower(role), "--role", role}
	}
	cliFails(t, 1, "--server", testPassword, nil, add("SECURITY_OFFICER")...)
	cliOK(t, testPassword, append(add("SERVICE_ADMINISTRATOR"), "--server", "security")...)
	cliOK(t, testPassword, add("SECURITYSERVER_OBSERVER")...)
	cliFails(t, 1, "belongs to a security server", "", nil, "user", "list", "--db", dbURL, "--server", "central")
	cliFails(t, 1, "belongs to a security server", "", []string{"ROADREG_ROLE=central"}, "user", "list", "--db", dbURL)
	if _, err := newApp(context.Background(), &config{Role: viewer.Central, DB: dbURL, Listen: "127.0.0.1:0"}); err == nil ||
		!strings.Contains(err.Error(), "belongs to a security server") {
		t.Fatalf("serve --role=central on a security server's database: %v", err)
	}
	out := cliOK(t, "", "user", "list", "--db", dbURL)
	if row(out, "service_administrator", "SERVICE_ADMINISTRATOR", "enabled") == nil || row(out, "securityserver_observer") == nil {
		t.Fatalf("user list:\n%s", out)
	}

	// A central server has no observers.
	csURL := testenv.DB(t).URL
	cliFails(t, 1, "is not a role on a central server", testPassword, nil,
		"user", "add", "--server", "central", "--db", csURL, "--username", "obs", "--role", "SECURITYSERVER_OBSERVER")
	cliFails(t, 2, "--db or --data-dir", "", nil, "user", "list")
}

func TestCLIUserAPIKeyAndSessionCommands(t *testing.T) {
	t.Parallel()
	dbURL := testenv.DB(t).URL
	db := []string{"--db", dbURL}
	cmd := func(args ...string) []string { return append(args, db...) }
	cliOK(t, testPassword+"\n", cmd("user", "add", "--server", "security", "--username", "root", "--role", "SYSTEM_ADMINISTRATOR")...)
	cliOK(t, testPassword+"\n", cmd("user", "add", "--username", "alice", "--role", "SECURITY_OFFICER")...)

	// Users.
	cliOK(t, "", cmd("user", "set-roles", "alice", "--role", "REGISTRATION_OFFICER", "--role", "SECURITY_OFFICER")...)
	if r := row(cliOK(t, "", cmd("user", "list")...), "alice"); r == nil || r[1] != "REGISTRATION_OFFICER,SECURITY_OFFICER" || r[2] != "enabled" {
		t.Fatalf("alice after set-roles: %v", r)
	}
	cliOK(t, "", cmd("user", "disable", "alice")...)
	if r := row(cliOK(t, "", cmd("user", "list")...), "alice"); r == nil || r[2] != "disabled" {
		t.Fatalf("alice after disable: %v", r)
	}
	cliOK(t, "", cmd("user", "enable", "alice")...)
	cliFails(t, 1, "last enabled system administrator", "", nil, cmd("user", "disable", "root")...)
	cliFails(t, 1, `there is no user "nobody"`, "", nil, cmd("user", "enable", "nobody")...)
	cliOK(t, "a new password for alice\n", cmd("user", "reset-password", "alice")...)

	// The server on the same database: alice logs in with the new
	// password; the command line sees and ends her session.
	srv := startServer(t, viewer.Security, func(c *config) { c.DB = dbURL })
	alice := srv.login(t, "alice", "a new password for alice")
	sessions := cliOK(t, "", cmd("session", "list")...)
	r := row(sessions, "alice", "127.0.0.1")
	if r == nil {
		t.Fatalf("session list:\n%s", sessions)
	}
	cliOK(t, "", cmd("session", "end", r[0])...)
	if alice.loggedIn(t) {
		t.Fatal("the ended session still works")
	}

	// API keys: printed once, listed without the key, revoked.
	key := strings.TrimSpace(cliOK(t, "", cmd("apikey", "create", "--name", "ci", "--role", "SECURITY_OFFICER")...))
	client := srv.anonymous()
	client.bearer = key
	if !client.loggedIn(t) {
		t.Fatal("the new API key does not work")
	}
	list := cliOK(t, "", cmd("apikey", "list")...)
	k := row(list, "ci", "SECURITY_OFFICER", "active")
	if k == nil || strings.Contains(list, key) {
		t.Fatalf("apikey list:\n%s", list)
	}
	cliOK(t, "", cmd("apikey", "revoke", k[0])...)
	if r := client.do(t, `{ me { username } }`, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("revoked key: %d %s", r.Status, r.raw)
	}
	if row(cliOK(t, "", cmd("apikey", "list")...), "ci") != nil || row(cliOK(t, "", cmd("apikey", "list", "--all")...), "ci", "revoked") == nil {
		t.Fatal("apikey list shows revoked keys only with --all")
	}
	cliFails(t, 1, "revoked already", "", nil, cmd("apikey", "revoke", k[0])...)

	// The audit log names the command line and the account it ran under.
	root := srv.login(t, "root", testPassword)
	for _, event := range []string{"Add user", "Update user roles", "Disable user", "Enable user", "Reset user password", "End session", "Create API key", "Revoke API key", "Disable user failed"} {
		if actors := root.auditActors(t, event); !slices.Contains(actors, "command line (tester)") {
			t.Errorf("audit %q: actors %v", event, actors)
		}
	}
}

// Mistakes in the command line exit with 2 and say what is wrong.
func TestCLIUsageErrors(t *testing.T) {
	t.Parallel()
	dbURL := testenv.DB(t).URL
	for _, c := range []struct {
		want, stdin string
		args        []string
	}{
		{"usage: roadreg user", "", []string{"user"}},
		{`unknown command "frobnicate"`, "", []string{"user", "frobnicate"}},
		{"give one USERNAME", "", []string{"user", "disable", "--server", "security", "--db", dbURL}},
		{"give one USERNAME", "", []string{"user", "enable", "a", "b", "--server", "security", "--db", dbURL}},
		{"--username is required", "secret-password", []string{"user", "add", "--server", "security", "--db", dbURL}},
		{"password on standard input", "", []string{"user", "reset-password", "alice", "--server", "security", "--db", dbURL}},
		{`"abc" is not an id`, "", []string{"apikey", "revoke", "abc", "--server", "security", "--db", dbURL}},
		{"unexpected arguments: extra", "", []string{"session", "list", "extra", "--server", "security", "--db", dbURL}},
		{"--server must be central or security", "", []string{"session", "list", "--server", "edge", "--db", dbURL}},
		{"usage: roadreg session", "", []string{"session"}},
	} {
		cliFails(t, 2, c.want, c.stdin, nil, c.args...)
	}
	// Flags may follow the argument (and the database, having recorded its
	// role, needs no --server).
	cliOK(t, testPassword, "user", "add", "--server", "security", "--db", dbURL, "--username", "root", "--role", "SYSTEM_ADMINISTRATOR")
	cliFails(t, 1, "there is no API key with id 7", "", nil, "apikey", "revoke", "7", "--db", dbURL)
}
