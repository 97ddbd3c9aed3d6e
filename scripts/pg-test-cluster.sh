#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster for the database tests and the server benchmark.
#   scripts/pg-test-cluster.sh start   → initdb + start on 127.0.0.1:$PGTEST_PORT, prints DATABASE_URL
#   scripts/pg-test-cluster.sh stop    → stops it and deletes its folder
#   scripts/pg-test-cluster.sh kill    → `pg_ctl -m immediate stop` (a crash: no checkpoint), data kept
#   scripts/pg-test-cluster.sh resume  → starts it again on the same data folder (crash recovery)
# Needs Debian's postgresql-NN and postgresql-NN-postgis-3. Run as root, it runs the server as the
# `postgres` user (initdb refuses root). Nothing outside $PGTEST_DIR is touched.
set -euo pipefail
PORT="${PGTEST_PORT:-55432}"
DIR="${PGTEST_DIR:-/tmp/onemap-pgtest-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/pg_ctl" ]; then
	echo "PostgreSQL server binaries not found (apt-get install postgresql postgresql-15-postgis-3)" >&2
	exit 1
fi

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_server() {
	as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
		-o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null ||
		{ cat "$DIR/server.log" >&2; exit 1; }
}

case "${1:-}" in
start)
	if [ -f "$DIR/data/postmaster.pid" ]; then as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true; fi
	rm -rf "$DIR"
	mkdir -p "$DIR"
	if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
	as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 ||
		{ cat "$DIR/initdb.log" >&2; exit 1; }
	start_server
	echo "postgres://postgres@127.0.0.1:$PORT/postgres"
	;;
kill)
	as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null
	;;
resume)
	start_server
	;;
stop)
	if [ -d "$DIR/data" ]; then as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true; fi
	rm -rf "$DIR"
	;;
*)
	echo "usage: $0 start|stop|kill|resume" >&2
	exit 2
	;;
esac
