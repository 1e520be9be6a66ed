# Roadreg — the two commands a newcomer needs are `make run` and `make test`.

GO ?= go

.PHONY: run test build frontend generate migration fuzz clean

## run: install npm packages, build the SPA and start a demo instance (roadreg dev)
run: frontend
	$(GO) run ./server dev

## test: everything CI runs (installs PostgreSQL, SoftHSM2, Chromium, npm packages when missing)
test:
	scripts/test.sh

## build: the roadreg binary in ./bin
build:
	$(GO) build -o bin/roadreg ./server

frontend:
	scripts/deps.sh --npm-only
	npm run build --silent

## generate: rebuild ent and gqlgen code (commit the result)
generate:
	$(GO) generate ./...

## migration name=NAME: write versioned migrations for the current ent schema (SQLite and PostgreSQL)
migration:
	@test -n "$(name)" || { echo "usage: make migration name=add_something" >&2; exit 2; }
	$(GO) run -mod=mod ./ent/migrate/diff.go -dialect sqlite -name $(name)
	@d=$$(mktemp -d); chmod 755 $$d; url=$$(scripts/pg.sh start $$d/pg 55499); \
	  $(GO) run -mod=mod ./ent/migrate/diff.go -dialect postgres -dev-url "$$url" -name $(name); rc=$$?; \
	  scripts/pg.sh stop $$d/pg 55499; rm -rf $$d; exit $$rc

## fuzz: run every fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

## bench: the benchmarks of docs/BENCHMARKS.md, each printing its table; starts a throwaway
##        PostgreSQL unless TEST_DATABASE_URL is set. BENCH picks benchmarks (a regexp), BENCHFLAGS
##        passes their flags, e.g. 1,000 EC registrations:
##        make bench BENCH=Registration BENCHFLAGS='-bench.n=1000 -bench.alg=EC'
##        Flags: -bench.reps -bench.pollreps -bench.poll (Propagation), -bench.n -bench.workers
##        -bench.alg (Registration), -bench.scale (GlobalConf), -bench.servers -bench.clients
##        -bench.requests (ReadPath), -bench.subscribers (Subscriptions), -bench.rounds (HostileDocuments).
BENCH ?= .
BENCHFLAGS ?=
.PHONY: bench
bench:
	@set -e; if [ -z "$$TEST_DATABASE_URL" ]; then \
		d=$$(mktemp -d "$${TMPDIR:-/tmp}/roadreg-bench.XXXXXX"); chmod 755 "$$d"; port=$$((40000 + $$$$ % 20000)); \
		TEST_DATABASE_URL=$$(scripts/pg.sh start "$$d/pg" $$port); export TEST_DATABASE_URL; \
		trap 'scripts/pg.sh stop "$$d/pg" '$$port'; rm -rf "$$d"' EXIT; \
	fi; \
	$(GO) test ./bench -run '^$$' -bench '$(BENCH)' -benchtime 1x -timeout 0 -v $(BENCHFLAGS)

clean:
	rm -rf bin frontend/dist
