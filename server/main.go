// Command roadreg is Roadreg: an X-Road central server or security server
// (`serve --role=central|security`), a whole demo instance (`dev`), the
// test CA (`ca …`) and the administration of users, API keys and sessions
// (`user …`, `apikey …`, `session …`).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/roadreg/roadreg/internal/pki/testca"
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
  user list|add|disable|enable|set-roles|reset-password
                                  manage the users of a server (passwords from stdin)
  apikey list|create|revoke       manage API keys for GraphQL clients (a new key is printed once)
  session list|end                list and end browser sessions
  token unlock                    clear a software token's PIN back-off (local access only)
  cluster remove NAME             forget a stopped replica of the central server
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
		return cmdAdmin(ctx, "user", userCommands, userUsage, args[1:], e, stdin, stdout, stderr)
	case "apikey":
		return cmdAdmin(ctx, "apikey", apikeyCommands, apikeyUsage, args[1:], e, stdin, stdout, stderr)
	case "session":
		return cmdAdmin(ctx, "session", sessionCommands, sessionUsage, args[1:], e, stdin, stdout, stderr)
	case "token":
		return cmdToken(ctx, args[1:], e, stdout, stderr)
	case "cluster":
		return cmdCluster(ctx, args[1:], e, stdout, stderr)
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
