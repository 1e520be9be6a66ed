package bench

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// ClientsGODEBUG is the runtime setting of the benchmark process, where the
// many subscribers' client goroutines run: the garbage collector keeps
// goroutine stacks at the size they grew to. Without it the collector
// shrinks the idle readers' stacks between events and every event grows
// 10,000 of them again (copying and faulting in fresh memory) on the cores
// the server under test shares: at 10,000 subscribers that was 250–400 ms
// of the clients' CPU on the first event. The servers the benchmarks start
// run with the runtime's defaults (ServerEnv).
const ClientsGODEBUG = "gcshrinkstackoff=1"

// godebugWith returns GODEBUG's value with setting added, or removed.
func godebugWith(value, setting string, add bool) string {
	parts := slices.DeleteFunc(strings.Split(value, ","), func(s string) bool { return s == "" || s == setting })
	if add {
		parts = append(parts, setting)
	}
	return strings.Join(parts, ",")
}

// setEnv returns env with key set to value (removed when value is empty).
func setEnv(env []string, key, value string) []string {
	out := slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, key+"=") })
	if value != "" {
		out = append(out, key+"="+value)
	}
	return out
}

// ServerEnv is the environment for processes under test: this process's,
// without ClientsGODEBUG.
func ServerEnv() []string {
	return setEnv(os.Environ(), "GODEBUG", godebugWith(os.Getenv("GODEBUG"), ClientsGODEBUG, false))
}

// RunWithClientsGODEBUG runs this test binary again with ClientsGODEBUG
// (read at start-up, so it cannot be set from inside) and returns its exit
// code; ok is false when the setting is already in effect.
func RunWithClientsGODEBUG() (code int, ok bool) {
	if slices.Contains(strings.Split(os.Getenv("GODEBUG"), ","), ClientsGODEBUG) {
		return 0, false
	}
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = setEnv(os.Environ(), "GODEBUG", godebugWith(os.Getenv("GODEBUG"), ClientsGODEBUG, true))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, true
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode(), true
	default:
		os.Stderr.WriteString("bench: running with GODEBUG=" + ClientsGODEBUG + ": " + err.Error() + "\n")
		return 2, true
	}
}
