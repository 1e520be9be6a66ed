package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/security"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const tokenUsage = "usage: roadreg token unlock --token <id or label> [--server central|security] [--db URL] [--data-dir DIR]"

// cmdToken runs `roadreg token unlock`: it clears the software token's
// wrong-PIN count and back-off in the server's database. It needs the
// database, so only someone with local access can run it; a running server
// applies it at the next PIN.
func cmdToken(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "unlock" {
		fmt.Fprintln(stderr, tokenUsage)
		return 2
	}
	fs := flag.NewFlagSet("roadreg token unlock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server, dbURL, dataDir := adminDB(fs, e)
	ref := fs.String("token", "", `the token's id or label: the software token is "0" (softToken-0)`)
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *ref == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, tokenUsage)
		return 2
	}
	d, role, err := openAdmin(ctx, *server, *dbURL, *dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "roadreg token unlock:", err)
		return 1
	}
	defer d.Close()
	var cleared softtoken.Failures
	if role == viewer.Central {
		cleared, err = central.UnlockToken(ctx, d.Client, *ref, time.Now())
	} else {
		cleared, err = security.UnlockToken(ctx, d.Client, *ref, time.Now())
	}
	if err != nil {
		fmt.Fprintln(stderr, "roadreg token unlock:", xroad.Message(err))
		return 1
	}
	kind := strings.ToLower(string(role))
	switch {
	case cleared.Count == 0:
		fmt.Fprintf(stdout, "token %s of the %s server (%s) had no wrong PINs; nothing to clear\n", *ref, kind, d.DSN)
	case cleared.RetryAfter > 0:
		fmt.Fprintf(stdout, "token %s of the %s server (%s): cleared %d wrong PINs; it takes PINs again at once instead of in %s\n",
			*ref, kind, d.DSN, cleared.Count, cleared.RetryAfter.Round(time.Second))
	default:
		fmt.Fprintf(stdout, "token %s of the %s server (%s): cleared %d wrong PINs\n", *ref, kind, d.DSN, cleared.Count)
	}
	return 0
}
