#!/usr/bin/env bash
# fuzz.sh [TIME] — run every `go test -fuzz` target of the project for TIME
# each (default 30s). New crashers land in the package's testdata/fuzz and
# become regression tests once committed.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-30s}
grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do
	pkg=./$(dirname "${f#./}")
	for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | cut -d' ' -f2); do
		echo "=== $pkg $target ($time)"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" -fuzzminimizetime 5s "$pkg"
	done
done
