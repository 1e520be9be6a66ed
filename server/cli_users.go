package main

// User, API-key and session administration from the command line:
// `roadreg user …`, `roadreg apikey …`, `roadreg session …`. They open the
// server's database directly (also while the server runs) and act as the
// server itself, audit-logged as "command line".

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const userUsage = `usage: roadreg user <command> [flags]
  list                                  list the users
  add --username U --role R [--role R…] [--replace]
                                        add a user (password on standard input)
  disable USERNAME                      disable a user and end its sessions
  enable USERNAME                       enable a user
  set-roles USERNAME --role R [--role R…]
                                        replace a user's roles
  reset-password USERNAME               set a new password (standard input) and end the user's sessions
Every command takes --server central|security, --db and --data-dir (env ROADREG_ROLE, ROADREG_DB, ROADREG_DATA_DIR).
`

const apikeyUsage = `usage: roadreg apikey <command> [flags]
  list [--all]                          list the API keys (--all: revoked ones too)
  create --role R [--role R…] [--name N]
                                        create an API key (printed once)
  revoke ID                             revoke an API key
Every command takes --server central|security, --db and --data-dir (env ROADREG_ROLE, ROADREG_DB, ROADREG_DATA_DIR).
`

const sessionUsage = `usage: roadreg session <command> [flags]
  list                                  list the open browser sessions
  end ID                                end a session
Every command takes --server central|security, --db and --data-dir (env ROADREG_ROLE, ROADREG_DB, ROADREG_DATA_DIR).
`

// adminCommand is one `roadreg user|apikey|session <command>`.
type adminCommand struct {
	// arg names the one positional argument ("" for none).
	arg string
	// stdin: the command reads a password from standard input.
	stdin bool
	flags func(fs *flag.FlagSet) func(c *adminCall) error
}

// adminCall is a parsed command ready to run against the database.
type adminCall struct {
	ctx    context.Context
	svc    *auth.Service
	role   viewer.ServerRole
	dsn    string
	arg    string
	input  string
	stdout io.Writer
}

var userCommands = map[string]adminCommand{
	"list": {flags: func(*flag.FlagSet) func(*adminCall) error {
		return func(c *adminCall) error {
			us, err := c.svc.Users(c.ctx)
			if err != nil {
				return err
			}
			return table(c.stdout, []string{"USERNAME", "ROLES", "STATUS", "CREATED"}, len(us), func(i int) []string {
				return []string{us[i].Username, roleList(us[i].Roles), enabled(us[i].Disabled), when(us[i].CreatedAt)}
			})
		}
	}},
	"add": {stdin: true, flags: func(fs *flag.FlagSet) func(*adminCall) error {
		username := fs.String("username", "", "user name (required)")
		replace := fs.Bool("replace", false, "update the password and roles of an existing user")
		roles := roleFlag(fs)
		return func(c *adminCall) error {
			if *username == "" {
				return usageError("--username is required")
			}
			if _, err := c.svc.AddUser(c.ctx, *username, c.input, *roles, *replace); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "user %s added to the %s server (%s)\n", *username, strings.ToLower(string(c.role)), c.dsn)
			return nil
		}
	}},
	"disable": {arg: "USERNAME", flags: func(*flag.FlagSet) func(*adminCall) error {
		return func(c *adminCall) error {
			return c.onUser(func(id int) (*auth.Account, error) { return c.svc.SetUserDisabled(c.ctx, id, true) }, "disabled; its sessions ended")
		}
	}},
	"enable": {arg: "USERNAME", flags: func(*flag.FlagSet) func(*adminCall) error {
		return func(c *adminCall) error {
			return c.onUser(func(id int) (*auth.Account, error) { return c.svc.SetUserDisabled(c.ctx, id, false) }, "enabled")
		}
	}},
	"set-roles": {arg: "USERNAME", flags: func(fs *flag.FlagSet) func(*adminCall) error {
		roles := roleFlag(fs)
		return func(c *adminCall) error {
			return c.onUser(func(id int) (*auth.Account, error) { return c.svc.SetUserRoles(c.ctx, id, *roles) }, "has new roles")
		}
	}},
	"reset-password": {arg: "USERNAME", stdin: true, flags: func(*flag.FlagSet) func(*adminCall) error {
		return func(c *adminCall) error {
			return c.onUser(func(id int) (*auth.Account, error) { return c.svc.ResetPassword(c.ctx, id, c.input) }, "has a new password; its sessions ended")
		}
	}},
}

var apikeyCommands = map[string]adminCommand{
	"list": {flags: func(fs *flag.FlagSet) func(*adminCall) error {
		all := fs.Bool("all", false, "include revoked keys")
		return func(c *adminCall) error {
			ks, err := c.svc.APIKeys(c.ctx, *all)
			if err != nil {
				return err
			}
			return table(c.stdout, []string{"ID", "NAME", "ROLES", "CREATED", "STATUS"}, len(ks), func(i int) []string {
				status := "active"
				if ks[i].RevokedAt != nil {
					status = "revoked " + when(*ks[i].RevokedAt)
				}
				name := "-"
				if ks[i].Name != nil {
					name = *ks[i].Name
				}
				return []string{strconv.Itoa(ks[i].ID), name, roleList(ks[i].Roles), when(ks[i].CreatedAt), status}
			})
		}
	}},
	"create": {flags: func(fs *flag.FlagSet) func(*adminCall) error {
		name := fs.String("name", "", "what the key is for")
		roles := roleFlag(fs)
		return func(c *adminCall) error {
			key, _, err := c.svc.CreateAPIKey(c.ctx, *name, *roles)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, key)
			return nil
		}
	}},
	"revoke": {arg: "ID", flags: func(*flag.FlagSet) func(*adminCall) error {
		return func(c *adminCall) error {
			id, err := c.id()
			if err != nil {
				return err
			}
			if _, err := c.svc.RevokeAPIKey(c.ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "API key %d revoked\n", id)
			return nil
		}
	}},
}

var sessionCommands = map[string]adminCommand{
	"list": {flags: func(*flag.FlagSet) func(*adminCall) error {
		return func(c *adminCall) error {
			ss, err := c.svc.Sessions(c.ctx)
			if err != nil {
				return err
			}
			return table(c.stdout, []string{"ID", "USERNAME", "ADDRESS", "LOGGED IN", "LAST SEEN", "ENDS"}, len(ss), func(i int) []string {
				addr := "-"
				if ss[i].ClientAddress != nil {
					addr = *ss[i].ClientAddress
				}
				return []string{strconv.Itoa(ss[i].ID), ss[i].Username, addr, when(ss[i].CreatedAt), when(ss[i].LastSeenAt), when(ss[i].ExpiresAt)}
			})
		}
	}},
	"end": {arg: "ID", flags: func(*flag.FlagSet) func(*adminCall) error {
		return func(c *adminCall) error {
			id, err := c.id()
			if err != nil {
				return err
			}
			if err := c.svc.EndSession(c.ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "session %d ended\n", id)
			return nil
		}
	}},
}

// errUsage marks a mistake in the command line (exit code 2).
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usageError(format string, args ...any) error { return errUsage{fmt.Sprintf(format, args...)} }

// cmdAdmin runs `roadreg <group> <command> …` for the user, apikey and
// session groups.
func cmdAdmin(ctx context.Context, group string, commands map[string]adminCommand, usage string, args []string, e env, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name := "roadreg " + group + " " + args[0]
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "roadreg %s: unknown command %q\n%s", group, args[0], usage)
		return 2
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	server, dbURL, dataDir := adminDB(fs, e)
	run := cmd.flags(fs)
	arg, err := parseWithArg(fs, args[1:], cmd.arg)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fail := func(err error) int {
		var u errUsage
		if errors.As(err, &u) {
			fmt.Fprintf(stderr, "%s: %s\n", name, u.msg)
			return 2
		}
		fmt.Fprintf(stderr, "%s: %s\n", name, xroad.Message(err))
		return 1
	}
	if err != nil {
		return fail(err)
	}
	c := &adminCall{arg: arg, stdout: stdout}
	if cmd.stdin {
		if c.input, err = readPassword(stdin); err != nil {
			return fail(usageError("%s", err))
		}
	}
	d, role, err := openAdmin(ctx, *server, *dbURL, *dataDir)
	if err != nil {
		return fail(err)
	}
	defer d.Close()
	c.ctx = viewer.NewContext(ctx, &viewer.Viewer{Username: cliActor(e), System: true, Server: role})
	c.svc, c.role, c.dsn = auth.NewService(d.Client, role), role, d.DSN
	if err := run(c); err != nil {
		return fail(err)
	}
	return 0
}

// adminDB adds the flags every command that opens a server's database
// takes (the same as serve's, and their environment variables).
func adminDB(fs *flag.FlagSet, e env) (server, dbURL, dataDir *string) {
	server = fs.String("server", e["ROADREG_ROLE"], "the kind of server the database belongs to: central or security (env ROADREG_ROLE; recorded in the database, which names it when absent)")
	dbURL = fs.String("db", e["ROADREG_DB"], "postgres://… URL or SQLite file (default <data-dir>/roadreg.db; env ROADREG_DB)")
	dataDir = fs.String("data-dir", e["ROADREG_DATA_DIR"], "data folder (default ./data/<server>; env ROADREG_DATA_DIR)")
	return server, dbURL, dataDir
}

// parseWithArg parses flags placed before or after the one positional
// argument (named arg; "" means none is taken).
func parseWithArg(fs *flag.FlagSet, args []string, arg string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", err
			}
			return "", usageError("%s", err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case arg == "" && len(pos) > 0:
		return "", usageError("unexpected arguments: %s", strings.Join(pos, " "))
	case arg != "" && len(pos) != 1:
		return "", usageError("give one %s", arg)
	case arg == "":
		return "", nil
	}
	return pos[0], nil
}

// openAdmin opens the database of the server named by the flags and
// returns it with its server role: the one recorded in the database, which
// --server (when given) must match and which a new database records.
func openAdmin(ctx context.Context, server, dbURL, dataDir string) (*db.Database, viewer.ServerRole, error) {
	var want viewer.ServerRole
	if server != "" {
		r, err := parseRole(server)
		if err != nil {
			return nil, "", usageError("--server must be central or security, not %q", server)
		}
		want = r
	}
	if dbURL == "" {
		if dataDir == "" && want == "" {
			return nil, "", usageError("name the database with --db or --data-dir, or the server with --server (its data folder is then ./data/<server>)")
		}
		dbURL = or(dataDir, "data/"+strings.ToLower(string(want))) + "/roadreg.db"
	}
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return nil, "", err
	}
	role, err := d.ServerRole(ctx, want)
	if err == nil && role == "" {
		err = fmt.Errorf("database %s does not record yet which kind of server it belongs to; name it once with --server central or --server security", d.DSN)
	}
	if err != nil {
		d.Close()
		return nil, "", err
	}
	return d, role, nil
}

// cliActor is who the audit log names for command-line changes.
func cliActor(e env) string {
	if u := e["USER"]; u != "" {
		return "command line (" + u + ")"
	}
	return "command line"
}

func readPassword(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return "", err
	}
	p := strings.TrimRight(string(b), "\r\n")
	if p == "" {
		return "", fmt.Errorf("give the password on standard input, e.g. `echo \"$PASSWORD\" | roadreg user add …`")
	}
	return p, nil
}

func roleFlag(fs *flag.FlagSet) *[]string {
	var roles stringList
	fs.Var(&roles, "role", "role (repeatable): SECURITY_OFFICER, REGISTRATION_OFFICER, SYSTEM_ADMINISTRATOR; security servers also SERVICE_ADMINISTRATOR, SECURITYSERVER_OBSERVER")
	return (*[]string)(&roles)
}

// onUser runs fn on the user named by the argument and reports the result.
func (c *adminCall) onUser(fn func(id int) (*auth.Account, error), done string) error {
	u, err := c.svc.UserByName(c.ctx, c.arg)
	if err != nil {
		return err
	}
	if _, err := fn(u.ID); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "user %s %s\n", u.Username, done)
	return nil
}

func (c *adminCall) id() (int, error) {
	id, err := strconv.Atoi(c.arg)
	if err != nil || id <= 0 {
		return 0, usageError("%q is not an id; the list command shows them", c.arg)
	}
	return id, nil
}

// table writes rows under a header, aligned in columns.
func table(w io.Writer, header []string, n int, row func(i int) []string) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for i := range n {
		fmt.Fprintln(tw, strings.Join(row(i), "\t"))
	}
	return tw.Flush()
}

func roleList(rs []viewer.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

func enabled(disabled bool) string {
	if disabled {
		return "disabled"
	}
	return "enabled"
}

func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }
