#!/usr/bin/env bash
# fuzz.sh [TIME] — run every `go test -fuzz` target of the project for TIME
# each (default 30s), one after the other, and print a summary line per
# target (package, target, time, executions, new corpus entries, result).
# FUZZ_PARALLEL sets the number of fuzzing workers (default: all cores).
# New crashers land in the package's testdata/fuzz and become regression
# tests once committed; the script exits non-zero if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-30s}
parallel=${FUZZ_PARALLEL:+-parallel $FUZZ_PARALLEL}
log=$(mktemp "${TMPDIR:-/tmp}/roadreg-fuzz.XXXXXX")
trap 'rm -f "$log"' EXIT
summary=()
failed=0
for f in $(grep -rl --include='*_test.go' '^func Fuzz' internal | sort); do
	pkg=./$(dirname "$f")
	for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | cut -d' ' -f2); do
		echo "=== $pkg $target ($time)"
		result=ok
		# shellcheck disable=SC2086
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" -fuzzminimizetime 5s $parallel "$pkg" 2>&1 | tee "$log" || {
			result=FAILED
			failed=1
		}
		last=$(grep -o 'elapsed: [^,]*, execs: [0-9]*' "$log" | tail -1 || true)
		corpus=$(grep -o 'new interesting: [0-9]* (total: [0-9]*)' "$log" | tail -1 || true)
		summary+=("$(printf '%-22s %-28s %-6s %s, %s' "$pkg" "$target" "$result" "$last" "$corpus")")
	done
done
echo
echo "=== summary (fuzztime $time each)"
printf '%s\n' "${summary[@]}"
exit $failed
