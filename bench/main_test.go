package bench

import (
	"context"
	"flag"
	"os"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
)

// Flags of the benchmarks (go test ./bench -bench X -args -bench.… or
// make bench ARGS=…).
var (
	flagReps         = flag.Int("bench.reps", 200, "propagation: registrations measured with the watch channel")
	flagPollReps     = flag.Int("bench.pollreps", 50, "propagation: registrations measured by polling (watch channel off)")
	flagPoll         = flag.Duration("bench.poll", 2e9, "propagation: --conf-poll of the security server when polling")
	flagN            = flag.Int("bench.n", 100, "registration throughput: number of security servers to register (1000 for the target)")
	flagWorkers      = flag.Int("bench.workers", 4, "registration throughput: registrations in flight at once")
	flagAlg          = flag.String("bench.alg", "EC,RSA", "registration throughput: key algorithms to run (EC, RSA or both)")
	flagKDF          = flag.String("bench.kdf", "", "registration throughput: the software tokens' argon2id parameters, m=<KiB>,t=<passes>,p=<lanes> (default: roadreg's default; \"m=64,t=1,p=1\" is what the tests use)")
	flagScale        = flag.String("bench.scale", "1000,10000", "global configuration: registry sizes (members = security servers)")
	flagServers      = flag.Int("bench.servers", 10000, "read path: security servers in the registry")
	flagClients      = flag.Int("bench.clients", 100, "read path: concurrent clients")
	flagRequests     = flag.Int("bench.requests", 5000, "read path: requests in total")
	flagSubscribers  = flag.Int("bench.subscribers", 10000, "subscriptions: concurrent graphql-ws subscribers")
	flagEvents       = flag.Int("bench.events", 3, "subscriptions: events fanned out (to Roadreg, then to the reference)")
	flagRounds       = flag.Int("bench.rounds", 20, "hostile documents: rounds of 10 requests at once per document and caller")
	flagFanout       = flag.String("bench.fanout", "1000,5000", "fan-out: numbers of simulated security servers watching the central server's replicas")
	flagFanoutEvents = flag.Int("bench.fanoutevents", 3, "fan-out: events per crowd and way of downloading")
	flagMembers      = flag.Int("bench.members", 1000, "fan-out: members (each with a security server) in the registry")
)

// TestMain runs the benchmarks and tests with ClientsGODEBUG (the reference
// broadcast server, a child running TestBroadcastHelper, without it).
func TestMain(m *testing.M) {
	if os.Getenv("ROADREG_BENCH_BROADCAST") == "" {
		if code, ok := RunWithClientsGODEBUG(); ok {
			os.Exit(code)
		}
	}
	os.Exit(m.Run())
}

// database returns a fresh PostgreSQL database when TEST_DATABASE_URL is
// set (make bench starts a server), else a SQLite file.
func database(b testing.TB) testenv.Database {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return testenv.Postgres(b)
	}
	return testenv.SQLite(b)
}

// needPostgres returns a fresh PostgreSQL database or skips.
func needPostgres(b testing.TB) testenv.Database {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		b.Skip("this benchmark runs on PostgreSQL: set TEST_DATABASE_URL (make bench starts a server)")
	}
	return testenv.Postgres(b)
}

// startInstance builds roadreg and starts a central server process on
// centralDB (closed when the benchmark ends).
func startInstance(ctx context.Context, b testing.TB, centralDB string) *Instance {
	b.Helper()
	bin, err := Build(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	in, err := StartInstance(ctx, InstanceOptions{Bin: bin, Dir: b.TempDir(), CentralDB: centralDB})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(in.Close)
	return in
}

// report prints a titled table with the machine it ran on.
func report(b testing.TB, title string, t *Table, notes ...string) {
	b.Helper()
	out := "\n### " + title + "\n\n" + t.String()
	for _, n := range notes {
		out += "\n" + n
	}
	b.Logf("%s\nMachine: %s\n", out, MachineInfo())
}
