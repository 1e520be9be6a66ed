#!/usr/bin/env bash
# pg.sh start|stop DIR PORT — a throwaway PostgreSQL cluster on 127.0.0.1.
# start prints the postgres:// URL of its "postgres" database.
set -euo pipefail
cmd=$1 dir=$2 port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() {
	if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case "$cmd" in
start)
	rm -rf "$dir"
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
	as_pg "$bin/initdb -D $dir/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync" >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as_pg "$bin/pg_ctl -D $dir/data -l $dir/log -w -t 60 -o '-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300' start" >/dev/null ||
		{ cat "$dir/log" >&2; exit 1; }
	echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	;;
stop)
	[ -d "$dir/data" ] && as_pg "$bin/pg_ctl -D $dir/data -w -m fast stop" >/dev/null 2>&1 || true
	;;
*)
	echo "usage: pg.sh start|stop DIR [PORT]" >&2
	exit 2
	;;
esac
