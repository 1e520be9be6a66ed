package main

// Token PINs through the API: wrong PINs slow a token down (a back-off with
// extensions.retryAfter) but never lock it or log it out, on both roles;
// roadreg token unlock clears the back-off.

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// testClock is a clock the test moves by hand, for the servers' services.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *testClock) option(cfg *config) { cfg.now = c.Now }

// retryAfter is extensions.retryAfter of the first error (0 when absent).
func (r gqlResponse) retryAfter() int {
	if len(r.Errors) == 0 {
		return 0
	}
	n, _ := r.Errors[0].Extensions["retryAfter"].(float64)
	return int(n)
}

// failsAfter runs an operation that must fail with code and the given
// extensions.retryAfter (0: none).
func (c *gqlClient) failsAfter(t *testing.T, code string, retryAfter int, query string, vars map[string]any) {
	t.Helper()
	r := c.fails(t, code, query, vars)
	if r.retryAfter() != retryAfter {
		t.Fatalf("%s: retryAfter = %d, want %d: %s", code, r.retryAfter(), retryAfter, r.raw)
	}
}

// keepData makes every server started with it use the same data folder and
// database, so a test can restart a server; it reports the database.
func keepData(t *testing.T) (func(*config), func() string) {
	dir, db := t.TempDir(), ""
	return func(c *config) {
			if db == "" {
				db = c.DB
			}
			c.DataDir, c.DB = dir, db
		}, func() string {
			return db
		}
}

const qCSLogin = `mutation($p: String!) { loginCentralServerToken(pin: $p) { version error } }`

// Twenty wrong PINs against the logged-in configuration-signing token:
// it stays logged in and configuration is still signed; only four PINs are
// checked (three free, the fourth starts a one-second back-off); the
// back-off survives a restart and then the right PIN logs in.
func TestCentralSigningTokenSurvivesWrongPINs(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	keep, _ := keepData(t)
	e := newCentral(t, keep, clk.option)
	const wrong = "Wrong-PIN-000"
	for i := 1; i <= 20; i++ {
		r := e.sysadmin.do(t, qCSLogin, map[string]any{"p": wrong})
		want, wantAfter := xroad.CodePinIncorrect, 0
		switch {
		case i == 4:
			wantAfter = 1
		case i > 4:
			want, wantAfter = signer.CodeTokenPinRetryLater, 1
		}
		if r.code() != want || r.retryAfter() != wantAfter {
			t.Fatalf("wrong PIN %d: code %s, retryAfter %d; want %s, %d: %s", i, r.code(), r.retryAfter(), want, wantAfter, r.raw)
		}
	}
	var gen struct{ GenerateGlobalConfiguration struct{ Error *string } }
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { error } }`, nil, &gen)
	if gen.GenerateGlobalConfiguration.Error != nil {
		t.Fatalf("generation after wrong PINs: %s", *gen.GenerateGlobalConfiguration.Error)
	}

	// The back-off is stored: after a restart (token logged out) the
	// right PIN waits for it, then logs in.
	e.srv.stop(t)
	srv := startServer(t, viewer.Central, keep, clk.option)
	admin := srv.anonymous()
	if status, body := admin.login(t, "secoff", testPassword); status != http.StatusOK {
		t.Fatalf("login after restart: %d %s", status, body)
	}
	admin.failsAfter(t, signer.CodeTokenPinRetryLater, 1, qCSLogin, map[string]any{"p": "Secret-PIN-1"})
	clk.Add(time.Second)
	admin.ok(t, qCSLogin, map[string]any{"p": "Secret-PIN-1"}, nil)
	var st struct{ GenerateGlobalConfiguration struct{ Error *string } }
	admin.ok(t, `mutation { generateGlobalConfiguration { error } }`, nil, &st)
	if st.GenerateGlobalConfiguration.Error != nil {
		t.Fatalf("generation after the restart: %s", *st.GenerateGlobalConfiguration.Error)
	}
}

// On a security server, wrong PINs on a logged-out software token get a
// growing retryAfter; during the back-off even the right PIN is refused
// unchecked; after it the right PIN logs in. The audit log has each step.
func TestSecurityTokenPINBackOff(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	e := newSSEnv(t, clk.option)
	e.initialize(t)
	soft := e.token(t, "SOFTWARE")
	vars := func(pin string) map[string]any { return map[string]any{"id": soft.ID, "pin": pin} }
	e.officer.ok(t, qLogout, vars(""), nil)

	for range 3 {
		e.officer.failsAfter(t, xroad.CodePinIncorrect, 0, qLogin, vars("0000"))
	}
	e.officer.failsAfter(t, xroad.CodePinIncorrect, 1, qLogin, vars("0000"))
	e.officer.failsAfter(t, signer.CodeTokenPinRetryLater, 1, qLogin, vars("1234"))
	clk.Add(time.Second)
	e.officer.failsAfter(t, xroad.CodePinIncorrect, 2, qLogin, vars("0000"))
	clk.Add(time.Second)
	e.officer.failsAfter(t, signer.CodeTokenPinRetryLater, 1, qLogin, vars("1234"))
	clk.Add(time.Second)
	e.officer.failsAfter(t, xroad.CodePinIncorrect, 4, qLogin, vars("0000"))
	if tok := e.token(t, "SOFTWARE"); tok.LoggedIn || tok.Status != signer.StatusPINIncorrect {
		t.Fatalf("during the back-off: %+v", tok)
	}
	clk.Add(4 * time.Second)
	var out struct{ LoginToken tokenNode }
	e.officer.ok(t, qLogin, vars("1234"), &out)
	if !out.LoginToken.LoggedIn || out.LoginToken.Status != signer.StatusOK {
		t.Fatalf("after the back-off: %+v", out.LoginToken)
	}
	// Back to zero: the next wrong PIN is free again.
	e.officer.failsAfter(t, xroad.CodePinIncorrect, 0, qLogin, vars("0000"))
	if tok := e.token(t, "SOFTWARE"); !tok.LoggedIn {
		t.Fatal("a wrong PIN logged the token out")
	}

	events := auditEvents(t, e.sysadmin)
	for _, want := range []string{`Log in to token failed {"code":"TOKEN_PIN_RETRY_LATER"`, `"retryAfter":4`} {
		if !strings.Contains(events, want) {
			t.Errorf("no failed login with %s in the audit log:\n%s", want, events)
		}
	}
	if strings.Contains(events, "0000") || strings.Contains(events, `"pin"`) {
		t.Errorf("a PIN is in the audit log:\n%s", events)
	}
}

// Wrong PINs sent at the same time cannot slip past the back-off: of
// twenty, exactly four are checked.
func TestParallelWrongPINsBackOff(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	e := newSSEnv(t, clk.option)
	e.initialize(t)
	soft := e.token(t, "SOFTWARE")
	e.officer.ok(t, qLogout, map[string]any{"id": soft.ID}, nil)
	codes := make([]string, 20)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			codes[i] = e.officer.do(t, qLogin, map[string]any{"id": soft.ID, "pin": "0000"}).code()
		})
	}
	wg.Wait()
	count := map[string]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[xroad.CodePinIncorrect] != softtoken.FreePINAttempts+1 || count[signer.CodeTokenPinRetryLater] != 20-softtoken.FreePINAttempts-1 {
		t.Fatalf("20 parallel wrong PINs: %v; want %d PIN_INCORRECT, the rest TOKEN_PIN_RETRY_LATER", count, softtoken.FreePINAttempts+1)
	}
}

// roadreg token unlock clears the back-off of a running server's token, on
// both roles, and says what it cleared; the audit log records it.
func TestTokenUnlockCommand(t *testing.T) {
	t.Parallel()
	t.Run("security", func(t *testing.T) {
		clk := newTestClock()
		keep, db := keepData(t)
		e := newSSEnv(t, keep, clk.option)
		e.initialize(t)
		soft := e.token(t, "SOFTWARE")
		vars := func(pin string) map[string]any { return map[string]any{"id": soft.ID, "pin": pin} }
		e.officer.ok(t, qLogout, vars(""), nil)
		for range softtoken.FreePINAttempts + 1 {
			e.officer.fails(t, xroad.CodePinIncorrect, qLogin, vars("0000"))
		}
		e.officer.failsAfter(t, signer.CodeTokenPinRetryLater, 1, qLogin, vars("1234"))

		out := runRoadreg(t, 0, "token", "unlock", "--server", "security", "--db", db(), "--token", "softToken-0")
		if !strings.Contains(out, "cleared 4 wrong PINs") {
			t.Fatalf("output: %s", out)
		}
		e.officer.ok(t, qLogin, vars("1234"), nil)
		if !strings.Contains(auditEvents(t, e.sysadmin), `Unlock token {"failedLogins":4`) {
			t.Error("no Unlock token event in the audit log")
		}
		out = runRoadreg(t, 0, "token", "unlock", "--server", "security", "--db", db(), "--token", "0")
		if !strings.Contains(out, "nothing to clear") {
			t.Fatalf("output for a token without wrong PINs: %s", out)
		}
		if out := runRoadreg(t, 1, "token", "unlock", "--server", "security", "--db", db(), "--token", "no-such-token"); !strings.Contains(out, "no-such-token") {
			t.Fatalf("output for an unknown token: %s", out)
		}
	})
	t.Run("central", func(t *testing.T) {
		clk := newTestClock()
		keep, db := keepData(t)
		e := newCentral(t, keep, clk.option)
		for range softtoken.FreePINAttempts + 1 {
			e.sysadmin.fails(t, xroad.CodePinIncorrect, qCSLogin, map[string]any{"p": "Wrong-PIN-000"})
		}
		e.sysadmin.failsAfter(t, signer.CodeTokenPinRetryLater, 1, qCSLogin, map[string]any{"p": "Secret-PIN-1"})
		out := runRoadreg(t, 0, "token", "unlock", "--server", "central", "--db", db(), "--token", "0")
		if !strings.Contains(out, "cleared 4 wrong PINs") {
			t.Fatalf("output: %s", out)
		}
		e.sysadmin.ok(t, qCSLogin, map[string]any{"p": "Secret-PIN-1"}, nil)
		runRoadreg(t, 1, "token", "unlock", "--server", "central", "--db", db(), "--token", "hsm-1")
	})
	t.Run("usage", func(t *testing.T) {
		runRoadreg(t, 2, "token")
		runRoadreg(t, 2, "token", "unlock")
		runRoadreg(t, 2, "token", "lock", "--token", "0")
	})
}

// runRoadreg runs roadreg with args, checks the exit code and returns what it
// wrote to standard output and standard error.
func runRoadreg(t *testing.T, wantCode int, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, nil, strings.NewReader(""), &stdout, &stderr)
	if code != wantCode {
		t.Fatalf("roadreg %s: exit code %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, wantCode, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

// auditEvents returns the newest audit events, one a line: the event and
// its data.
func auditEvents(t *testing.T, c *gqlClient) string {
	t.Helper()
	var out struct {
		AuditEvents struct {
			Edges []struct{ Node struct{ Event, Data string } }
		}
	}
	c.ok(t, `{ auditEvents(first: 100) { edges { node { event data } } } }`, nil, &out)
	var b strings.Builder
	for _, e := range out.AuditEvents.Edges {
		b.WriteString(e.Node.Event + " " + e.Node.Data + "\n")
	}
	return b.String()
}

const qChangePIN = `mutation($id: ID!, $old: String!, $new: String!) { changeTokenPin(tokenId: $id, oldPin: $old, newPin: $new) { id loggedIn status pinFailures pinRetryAfter possibleActions } }`

// A system administrator changes the software token's PIN: a new PIN
// against the enforced policy is TOKEN_WEAK_PIN for newPin, a wrong current
// PIN is PIN_INCORRECT for oldPin and counts toward the back-off (which the
// token shows: pinFailures, pinRetryAfter); the right one changes the PIN
// and keeps the token logged in; afterwards only the new PIN logs in. The
// audit log has each attempt and no PIN.
func TestChangeTokenPIN(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	e := newSSEnv(t, clk.option, func(c *config) { c.EnforcePINRules = true })
	e.sysadmin.ok(t, qUploadAnchor, map[string]any{"a": string(e.cs.Anchor)}, nil)
	const oldPIN, newPIN = "Old-PIN-12345", "New-PIN-67890"
	e.sysadmin.ok(t, qInitialize, map[string]any{"in": map[string]any{
		"ownerMemberClass": fcsOwnerClass, "ownerMemberCode": fcsOwnerCode, "serverCode": fcsServerCode, "softTokenPin": oldPIN,
	}}, nil)
	soft := e.token(t, "SOFTWARE")
	if !slices.Contains(soft.PossibleActions, "TOKEN_CHANGE_PIN") {
		t.Fatalf("possible actions of the logged-in token: %v", soft.PossibleActions)
	}
	vars := func(old, pin string) map[string]any { return map[string]any{"id": soft.ID, "old": old, "new": pin} }
	e.officer.fails(t, xroad.CodeForbidden, qChangePIN, vars(oldPIN, newPIN)) // update_token_pin: system administrators

	if r := e.sysadmin.fails(t, xroad.CodeTokenWeakPin, qChangePIN, vars(oldPIN, "weak")); r.ext("field") != `"newPin"` {
		t.Errorf("weak PIN: field %q, want newPin: %s", r.ext("field"), r.raw)
	}
	for i := 1; i <= softtoken.FreePINAttempts+1; i++ {
		r := e.sysadmin.fails(t, xroad.CodePinIncorrect, qChangePIN, vars("Wrong-PIN-000", newPIN))
		if r.ext("field") != `"oldPin"` {
			t.Fatalf("wrong PIN: field %q, want oldPin: %s", r.ext("field"), r.raw)
		}
	}
	var tokens struct {
		Tokens []struct {
			PinFailures, PinRetryAfter int
		}
	}
	e.officer.ok(t, `{ tokens { pinFailures pinRetryAfter } }`, nil, &tokens)
	if got := tokens.Tokens[0]; got.PinFailures != softtoken.FreePINAttempts+1 || got.PinRetryAfter != 1 {
		t.Errorf("after %d wrong PINs the token shows %+v, want pinFailures %d, pinRetryAfter 1", softtoken.FreePINAttempts+1, got, softtoken.FreePINAttempts+1)
	}
	e.sysadmin.failsAfter(t, signer.CodeTokenPinRetryLater, 1, qChangePIN, vars(oldPIN, newPIN))
	clk.Add(time.Second)

	var out struct{ ChangeTokenPin tokenNode }
	e.sysadmin.ok(t, qChangePIN, vars(oldPIN, newPIN), &out)
	if !out.ChangeTokenPin.LoggedIn || out.ChangeTokenPin.Status != signer.StatusOK {
		t.Errorf("after the change: %+v, want logged in with status OK", out.ChangeTokenPin)
	}
	e.officer.ok(t, qLogout, map[string]any{"id": soft.ID}, nil)
	e.officer.fails(t, xroad.CodePinIncorrect, qLogin, map[string]any{"id": soft.ID, "pin": oldPIN})
	e.officer.ok(t, qLogin, map[string]any{"id": soft.ID, "pin": newPIN}, nil)

	events := auditEvents(t, e.sysadmin)
	for _, want := range []string{"Change token pin {", `Change token pin failed {"code":"PIN_INCORRECT"`, `Change token pin failed {"code":"TOKEN_WEAK_PIN"`} {
		if !strings.Contains(events, want) {
			t.Errorf("no %q in the audit log:\n%s", want, events)
		}
	}
	for _, pin := range []string{oldPIN, newPIN, "Wrong-PIN-000"} {
		if strings.Contains(events, pin) {
			t.Errorf("a PIN is in the audit log:\n%s", events)
		}
	}
}
