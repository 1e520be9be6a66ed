package main

import (
	"context"
	"fmt"
	"io"
)

// cmdDev runs a whole demo instance in one process (issue 7 completes it).
func cmdDev(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "roadreg dev: not available yet")
	return 1
}
