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
chmod 755 "$work" # the postgres user must reach its cluster folder
port=${ROADREG_TEST_PG_PORT:-$((40000 + RANDOM % 20000))}
cleanup() {
	if [ -n "${nocgo_pid:-}" ]; then pkill -P "$nocgo_pid" 2>/dev/null || true; kill "$nocgo_pid" 2>/dev/null || true; wait "$nocgo_pid" 2>/dev/null || true; fi
	scripts/pg.sh stop "$work/pg" "$port"
	if [ -n "${dev_pid:-}" ]; then kill "$dev_pid" 2>/dev/null || true; wait "$dev_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

step "postgresql"
TEST_DATABASE_URL=$(scripts/pg.sh start "$work/pg" "$port")
export TEST_DATABASE_URL
# The tools deps.sh installed are required from here on; X-Road's own schemas
# and samples only under CI=true or ROADREG_REQUIRE_TOOLS=1 (internal/testenv).
export ROADREG_DEPS_INSTALLED=1
export XROAD_FIXTURES=${XROAD_FIXTURES:-$root/../shared/xroad}
if [ ! -d "$XROAD_FIXTURES/xsd" ] || [ ! -d "$XROAD_FIXTURES/samples" ]; then
	if [ "${CI:-}" = true ] || [ "${ROADREG_REQUIRE_TOOLS:-}" = 1 ]; then
		echo "X-Road fixtures not found at $XROAD_FIXTURES: required (CI=true or ROADREG_REQUIRE_TOOLS=1); set XROAD_FIXTURES=<folder with xsd/ and samples/>" >&2
		exit 1
	fi
	echo "note: X-Road fixtures not found at $XROAD_FIXTURES: the tests against X-Road's schemas and samples are skipped; run with XROAD_FIXTURES=<folder with xsd/ and samples/> to enable them"
fi

step "gofmt, go vet, staticcheck"
unformatted=$(gofmt -l $(git ls-files '*.go'))
[ -z "$unformatted" ] || { echo "gofmt: $unformatted" >&2; exit 1; }
go vet ./...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(go list ./... | grep -v "/ent") # ent is generated

# A static binary without cgo (no PKCS#11) for each system. The three builds
# compile everything again (minutes of CPU): they run beside the Go tests,
# which mostly wait, and their result is checked after them.
step "builds without cgo (linux, darwin, windows): started beside the Go tests"
(
	for goos in linux darwin windows; do
		CGO_ENABLED=0 GOOS=$goos go build ./... || { echo "CGO_ENABLED=0 GOOS=$goos go build ./... failed"; exit 1; }
	done
	CGO_ENABLED=0 go test -count=1 ./internal/signer/pkcs11token # says why there are no hardware tokens
) >"$work/nocgo.log" 2>&1 &
nocgo_pid=$!

step "generated code is up to date (go generate ./...)"
go generate ./...
git diff --exit-code -- ent graph frontend/src/gql || { echo "generated code differs: run go generate ./... and commit" >&2; exit 1; }

# The server package's tests mostly wait (on servers, pebble, the browser):
# most of them run in parallel, more at a time than there are processors.
step "go test (SQLite)"
ROADREG_TEST_DB=sqlite go test -count=1 -timeout 30m -parallel 8 ./...
step "go test (PostgreSQL)"
ROADREG_TEST_DB=postgres go test -count=1 -timeout 30m -parallel 8 ./...
step "builds without cgo: result"
nocgo=0
wait "$nocgo_pid" || nocgo=$?
nocgo_pid=
cat "$work/nocgo.log"
[ "$nocgo" = 0 ] || { echo "the builds without cgo failed (above)" >&2; exit 1; }

step "frontend: types, unit tests, build, e2e harness self-test"
npm run codegen --silent
git diff --exit-code -- frontend/src/gql || { echo "frontend/src/gql is out of date: run npm run codegen and commit" >&2; exit 1; }
npm run build --silent
npm run test:unit --silent
npm run test:e2e:selftest --silent

step "end to end: roadreg dev, the example script, the browser, the GraphQL-over-HTTP audit"
go build -o "$work/roadreg" ./server
dev_port=$((20000 + RANDOM % 10000))
ca_port=$((dev_port + 50))
"$work/roadreg" dev --data-dir "$work/dev" --port "$dev_port" --ca-port "$ca_port" --security-servers 2 \
	--frontend-dir frontend/dist >"$work/dev.out" 2>"$work/dev.err" &
dev_pid=$!
for _ in $(seq 1 100); do
	grep -q "Next step" "$work/dev.out" 2>/dev/null && break
	kill -0 "$dev_pid" 2>/dev/null || { cat "$work/dev.err" >&2; exit 1; }
	sleep 0.2
done
cat "$work/dev.out"
cs_url=http://127.0.0.1:$dev_port ss_url=http://127.0.0.1:$((dev_port + 1)) ss2_url=http://127.0.0.1:$((dev_port + 2)) ca_url=http://127.0.0.1:$ca_port
creds=$work/dev/dev-credentials.json
pw() { jq -r --arg s "$1" --arg u "$2" '.users[] | select(.server==$s and .username==$u) | .password' "$creds"; }

CS=$cs_url SS=$ss_url CA=$ca_url CREDS=$creds examples/register-security-server.sh
# Run again against the security server it initialised: it changes nothing and says so (exit 3).
again=0
CS=$cs_url SS=$ss_url CA=$ca_url CREDS=$creds examples/register-security-server.sh >"$work/again.out" 2>"$work/again.err" || again=$?
if [ "$again" != 3 ] || ! grep -q "is already initialised" "$work/again.err"; then
	echo "the example script's second run exited $again, want 3 with its message:" >&2
	cat "$work/again.out" "$work/again.err" >&2
	exit 1
fi
cat "$work/again.err"

ROADREG_E2E_URL=$cs_url ROADREG_E2E_USER=cs-admin ROADREG_E2E_PASSWORD=$(pw central cs-admin) ROADREG_E2E_ROLE=CENTRAL npm run test:e2e --silent
ROADREG_E2E_URL=$ss2_url ROADREG_E2E_USER=ss-admin ROADREG_E2E_PASSWORD=$(pw security ss-admin) ROADREG_E2E_ROLE=SECURITY npm run test:e2e --silent
ROADREG_E2E_CS_URL=$cs_url ROADREG_E2E_SS_URL=$ss2_url ROADREG_E2E_CA_URL=$ca_url ROADREG_E2E_DEV_CREDENTIALS=$creds \
	ROADREG_E2E_SERVER_CODE=SS2 npm run test:e2e:member01 --silent
ROADREG_E2E_CS_URL=$cs_url ROADREG_E2E_SS_URL=$ss2_url ROADREG_E2E_CA_URL=$ca_url ROADREG_E2E_DEV_CREDENTIALS=$creds \
	ROADREG_E2E_SERVER_CODE=SS2 npm run test:e2e:walk --silent
ROADREG_E2E_CS_URL=$cs_url ROADREG_E2E_SS_URL=$ss2_url ROADREG_E2E_CA_URL=$ca_url ROADREG_E2E_DEV_CREDENTIALS=$creds \
	ROADREG_E2E_SERVER_CODE=SS2 npm run test:e2e:lifecycle --silent
ROADREG_E2E_URL=$cs_url ROADREG_E2E_USER=cs-admin ROADREG_E2E_PASSWORD=$(pw central cs-admin) npm run test:audit --silent
# Ordering a certificate with ACME in the browser, from pebble (frontend/e2e/acme.mjs, driven by the Go test).
ROADREG_E2E_FRONTEND=$root/frontend/dist ROADREG_TEST_DB=sqlite go test -count=1 -run '^TestBrowserACMEOrder$' ./server

step "done"
