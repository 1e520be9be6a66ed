package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

const clusterUsage = "usage: roadreg cluster remove NAME [--db URL] [--data-dir DIR]"

// cmdCluster runs `roadreg cluster remove NAME`: it forgets a replica of the
// central server that was stopped or died, so that it leaves the cluster
// status and, with its --node-address, the anchor's sources (docs/REPLICAS.md).
func cmdCluster(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "remove" {
		fmt.Fprintln(stderr, clusterUsage)
		return 2
	}
	fs := flag.NewFlagSet("roadreg cluster remove", flag.ContinueOnError)
	fs.SetOutput(stderr)
	_, dbURL, dataDir := adminDB(fs, e)
	name, err := parseWithArg(fs, args[1:], "replica name")
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, clusterUsage)
		return 2
	}
	d, role, err := openAdmin(ctx, "central", *dbURL, *dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "roadreg cluster remove:", err)
		return 1
	}
	defer d.Close()
	ctx = viewer.NewContext(ctx, &viewer.Viewer{Username: cliActor(e), System: true, Server: role})
	data := map[string]any{"replica": name}
	if err := cluster.Remove(ctx, d.Client, d.DB, d.Dialect, name); err != nil {
		audit.Log(ctx, d.Client, audit.Entry{Event: "Remove central server replica", Failed: true, Data: data})
		fmt.Fprintln(stderr, "roadreg cluster remove:", xroad.Message(err))
		return 1
	}
	audit.Log(ctx, d.Client, audit.Entry{Event: "Remove central server replica", Data: data})
	fmt.Fprintf(stdout, "replica %s removed from the central server's cluster (%s)\n", name, d.DSN)
	return 0
}
