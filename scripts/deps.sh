#!/usr/bin/env bash
# deps.sh [--npm-only] — install what `make test` needs when it is missing: PostgreSQL,
# SoftHSM2 + OpenSC (pkcs11-tool), libxml2-utils (xmllint), openssl, Debian's
# Chromium, HAProxy (the load balancer in front of the central server's
# replicas, examples/replicas/haproxy.cfg), and the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

npm_only=false
[ "${1:-}" = --npm-only ] && npm_only=true

need=()
have() { command -v "$1" >/dev/null 2>&1; }
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -e /usr/lib/softhsm/libsofthsm2.so ] && have softhsm2-util || need+=(softhsm2)
have pkcs11-tool || need+=(opensc)
have xmllint || need+=(libxml2-utils)
have openssl || need+=(openssl)
have chromium || need+=(chromium)
have curl || need+=(curl)
have jq || need+=(jq)
have haproxy || need+=(haproxy)

if ! $npm_only && [ ${#need[@]} -gt 0 ]; then
	echo "deps: installing ${need[*]}"
	SUDO=""
	if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
	export DEBIAN_FRONTEND=noninteractive
	for attempt in 1 2 3; do
		if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"; then
			break
		fi
		[ "$attempt" = 3 ] && { echo "deps: apt-get install failed" >&2; exit 1; }
		sleep 5
	done
fi

# npm packages (npm ci re-fetches metadata; it has been seen to hang, so
# bound it and retry).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	for attempt in 1 2 3; do
		if timeout 300 npm ci --prefer-offline --no-audit --no-fund --loglevel=error; then
			break
		fi
		[ "$attempt" = 3 ] && { echo "deps: npm ci failed" >&2; exit 1; }
		echo "deps: npm ci failed or timed out, retrying" >&2
	done
fi
