// Package bench measures Roadreg and makes the numbers reproducible: the
// propagation latency of a registration (central server → security server
// over the watch channel, and by polling), the throughput of complete
// MEMBER_01 registrations, global configuration at scale, the GraphQL read
// path and subscriptions at scale. docs/BENCHMARKS.md has a real run.
//
// The benchmarks are the Benchmark* functions of this package's tests
// (`make bench`, or e.g. `go test ./bench -run '^$' -bench Propagation
// -benchtime 1x`); each prints a table and reports its key numbers with
// b.ReportMetric. This package holds what they share: running roadreg
// processes and a test instance (certification authority, central server,
// security servers) on loopback, in-process servers wired like `roadreg
// serve`, a small GraphQL and graphql-ws client, a statement-counting
// database driver, and sample statistics with a table printer.
//
// Nothing here is used by Roadreg itself.
package bench
