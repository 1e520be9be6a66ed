#!/usr/bin/env bash
# test.sh — everything `make test` runs, on a machine that has Go, Node and
# Debian's apt: installs the tools, starts a throwaway PostgreSQL, checks
# formatting/vet/staticcheck and that generated code is up to date, runs the
# Go tests on SQLite and on PostgreSQL (with real SoftHSM2, openssl, xmllint),
# the frontend's unit tests and build, and the end-to-end checks. It stops
# what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
step() { printf '\n=== %s (%s)\n' "$1" "$(date +%T)"; }

step "dependencies"
scripts/deps.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/roadreg-test.XXXXXX")
port=${ROADREG_TEST_PG_PORT:-$((40000 + RANDOM % 20000))}
cleanup() {
	scripts/pg.sh stop "$work/pg" "$port"
	if [ -n "${dev_pid:-}" ]; then kill "$dev_pid" 2>/dev/null || true; wait "$dev_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

step "postgresql"
export TEST_DATABASE_URL=$(scripts/pg.sh start "$work/pg" "$port")
export ROADREG_REQUIRE_TOOLS=1
export XROAD_FIXTURES=${XROAD_FIXTURES:-$root/../shared/xroad}
[ -d "$XROAD_FIXTURES/xsd" ] || echo "warning: X-Road fixtures not found at $XROAD_FIXTURES (set XROAD_FIXTURES); the interoperability tests will fail" >&2

step "gofmt, go vet, staticcheck"
unformatted=$(gofmt -l $(git ls-files '*.go'))
[ -z "$unformatted" ] || { echo "gofmt: $unformatted" >&2; exit 1; }
go vet ./...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

step "generated code is up to date (go generate ./...)"
go generate ./...
git diff --exit-code -- ent graph frontend/src/gql || { echo "generated code differs: run go generate ./... and commit" >&2; exit 1; }

step "go test (SQLite)"
ROADREG_TEST_DB=sqlite go test -count=1 ./...
step "go test (PostgreSQL)"
ROADREG_TEST_DB=postgres go test -count=1 ./...

step "frontend: types, unit tests, build, e2e harness self-test"
npm run codegen --silent
git diff --exit-code -- frontend/src/gql || { echo "frontend/src/gql is out of date: run npm run codegen and commit" >&2; exit 1; }
npm run build --silent
npm run test:unit --silent
npm run test:e2e:selftest --silent

step "done"
