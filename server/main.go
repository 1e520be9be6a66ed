// Command roadreg is Roadreg: an X-Road central server or security server
// (`serve --role=central|security`), a whole demo instance (`dev`), the
// test CA (`ca …`) and user administration (`user add`, `apikey create`).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/roadreg/roadreg/internal/auth"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/pki/testca"
	"github.com/roadreg/roadreg/internal/viewer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Usage: roadreg <command> [flags]

Commands:
  serve --role=central|security   run a central server or a security server
  dev                             run a demo instance (central server, security server, test CA) on loopback
  ca init|sign|revoke|serve       the test certification authority (OCSP responder, timestamping authority)
  user add                        add an administrator (password from stdin)
  apikey create                   create an API key for GraphQL clients (printed once)
  version                         print the version

Run "roadreg <command> -h" for the flags of a command.
`

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	e := envMap(environ)
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], e, stderr)
	case "dev":
		return cmdDev(ctx, args[1:], e, stdout, stderr)
	case "ca":
		return testca.RunCLI(ctx, args[1:], stdin, stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "add" {
			fmt.Fprintln(stderr, "usage: roadreg user add --username U --role R [--role R…] (password from stdin)")
			return 2
		}
		return cmdUserAdd(ctx, args[2:], e, stdin, stdout, stderr)
	case "apikey":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprintln(stderr, "usage: roadreg apikey create --role R [--role R…] [--name N]")
			return 2
		}
		return cmdAPIKeyCreate(ctx, args[2:], e, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "roadreg", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "roadreg: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func cmdServe(ctx context.Context, args []string, e env, stderr io.Writer) int {
	cfg, err := parseServeFlags(args, e, stderr)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		fmt.Fprintln(stderr, "roadreg serve:", err)
		return 2
	}
	setupLogging(cfg.LogFormat, cfg.LogLevel, stderr)
	a, err := newApp(ctx, cfg)
	if err != nil {
		slog.Error("starting", "err", err)
		return 1
	}
	defer a.close()
	if err := a.serve(ctx, nil); err != nil {
		slog.Error("serving", "err", err)
		return 1
	}
	return 0
}

// adminFlags are the flags `user add` and `apikey create` share with serve
// to find the database.
func adminDB(fs *flag.FlagSet, e env) (server, dbURL, dataDir *string) {
	server = fs.String("server", or(e["ROADREG_ROLE"], "central"), "the kind of server the database belongs to: central or security (env ROADREG_ROLE)")
	dbURL = fs.String("db", e["ROADREG_DB"], "postgres://… URL or SQLite file (default <data-dir>/roadreg.db; env ROADREG_DB)")
	dataDir = fs.String("data-dir", e["ROADREG_DATA_DIR"], "data folder (default ./data/<server>; env ROADREG_DATA_DIR)")
	return
}

func openAdmin(ctx context.Context, server, dbURL, dataDir string) (*db.Database, viewer.ServerRole, error) {
	role, err := parseRole(server)
	if err != nil {
		return nil, "", err
	}
	if dbURL == "" {
		dbURL = or(dataDir, "data/"+strings.ToLower(string(role))) + "/roadreg.db"
	}
	d, err := db.Open(ctx, dbURL)
	return d, role, err
}

func cmdUserAdd(ctx context.Context, args []string, e env, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("roadreg user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server, dbURL, dataDir := adminDB(fs, e)
	username := fs.String("username", "", "user name")
	replace := fs.Bool("replace", false, "update the password and roles of an existing user")
	var roles stringList
	fs.Var(&roles, "role", "role (repeatable): SECURITY_OFFICER, REGISTRATION_OFFICER, SYSTEM_ADMINISTRATOR; security servers also SERVICE_ADMINISTRATOR, SECURITYSERVER_OBSERVER")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *username == "" {
		fmt.Fprintln(stderr, "roadreg user add: --username is required")
		return 2
	}
	password, err := readPassword(stdin)
	if err != nil {
		fmt.Fprintln(stderr, "roadreg user add:", err)
		return 2
	}
	d, role, err := openAdmin(ctx, *server, *dbURL, *dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "roadreg user add:", err)
		return 1
	}
	defer d.Close()
	if err := auth.NewService(d.Client, role).AddUser(ctx, *username, password, roles, *replace); err != nil {
		fmt.Fprintln(stderr, "roadreg user add:", err)
		return 1
	}
	fmt.Fprintf(stdout, "user %s added to the %s server (%s)\n", *username, strings.ToLower(string(role)), d.DSN)
	return 0
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

func cmdAPIKeyCreate(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("roadreg apikey create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server, dbURL, dataDir := adminDB(fs, e)
	name := fs.String("name", "", "what the key is for")
	var roles stringList
	fs.Var(&roles, "role", "role (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	d, role, err := openAdmin(ctx, *server, *dbURL, *dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "roadreg apikey create:", err)
		return 1
	}
	defer d.Close()
	key, err := auth.NewService(d.Client, role).CreateAPIKey(ctx, *name, roles)
	if err != nil {
		fmt.Fprintln(stderr, "roadreg apikey create:", err)
		return 1
	}
	fmt.Fprintln(stdout, key)
	return 0
}

// setupLogging installs the process's logger: text or JSON lines at the
// given level, through redactingHandler.
func setupLogging(format, level string, w io.Writer) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	slog.SetDefault(slog.New(redactingHandler{h}))
}
