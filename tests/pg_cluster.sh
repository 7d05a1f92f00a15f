#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests of the PostgreSQL backend
# (issue 13): initdb + pg_ctl from Debian's postgresql-15 into a temporary
# directory, listening on a Unix socket only (listen_addresses=''), fsync off
# (test data: nothing to keep), run as an unprivileged user when invoked as
# root (the server refuses to run as root): `nobody` unless BZ_PG_USER names
# another.
#
#   tests/pg_cluster.sh start [--watch PID]
#                                    start one; prints `export BZ_PG_DIR=… BZ_PG_URI=…`
#                                    (eval it); exit 77 when the binaries are absent. With
#                                    --watch, a watcher stops it when process PID ends, however
#                                    it ends (a test that crashes or is killed by a timeout)
#   tests/pg_cluster.sh stop [DIR]   stop the cluster of DIR (default $BZ_PG_DIR), remove DIR
#   tests/pg_cluster.sh env [DIR]    print the exports again for a running cluster
#   tests/pg_cluster.sh run CMD...   start, run CMD with BZ_PG_URI set, stop — also when
#                                    CMD fails or the script is interrupted (a trap); CMD's status
#
# The URI is postgresql:///postgres?host=SOCKETDIR&port=PORT&user=USER: a
# ledger's schema is added by the caller (&schema=NAME).
set -euo pipefail
PGBIN=${BZ_PG_BIN:-/usr/lib/postgresql/15/bin}
PGUSER_OS=${BZ_PG_USER:-nobody}

have_binaries() {
	[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] && [ -x "$PGBIN/postgres" ]
}

# as_user CMD...: CMD as the unprivileged user when we are root
as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid="$PGUSER_OS" --regid="$(id -g "$PGUSER_OS")" --clear-groups \
			env HOME=/tmp PATH="$PATH" "$@"
	else
		"$@"
	fi
}

db_user() {
	if [ "$(id -u)" = 0 ]; then echo "$PGUSER_OS"; else id -un; fi
}

print_env() {
	local dir=$1 port
	port=$(cat "$dir/port")
	echo "export BZ_PG_DIR='$dir' BZ_PG_URI='postgresql:///postgres?host=$dir/sock&port=$port&user=$(db_user)'"
}

start() {
	if ! have_binaries; then
		echo "pg_cluster: SKIP: PostgreSQL 15 server binaries not found in $PGBIN (Debian: apt-get install postgresql-15)" >&2
		exit 77
	fi
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/bz-pg.XXXXXX")
	mkdir -p "$dir/sock"
	if [ "$(id -u)" = 0 ]; then
		chown -R "$PGUSER_OS:$(id -g "$PGUSER_OS")" "$dir"
	fi
	chmod 700 "$dir"
	if ! as_user "$PGBIN/initdb" -D "$dir/data" -U "$(db_user)" --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		echo "pg_cluster: initdb failed" >&2
		exit 1
	fi
	# a port number is still the socket's name (.s.PGSQL.PORT): one per
	# cluster, another one tried when the first is taken
	cp "$dir/data/postgresql.conf" "$dir/postgresql.conf.orig"
	local port started=
	for _ in 1 2 3; do
		port=$((20000 + RANDOM % 20000))
		echo "$port" >"$dir/port"
		cp "$dir/postgresql.conf.orig" "$dir/data/postgresql.conf"
		cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 32MB
max_locks_per_transaction = 256
max_pred_locks_per_transaction = 256
CONF
		if as_user "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
			started=1
			break
		fi
	done
	if [ -z "$started" ]; then
		cat "$dir/server.log" >&2 || true
		rm -rf "$dir"
		echo "pg_cluster: the server did not start" >&2
		exit 1
	fi
	if [ -n "${WATCH:-}" ]; then
		# every descriptor to /dev/null: nobody waits for the watcher's output
		(
			while kill -0 "$WATCH" 2>/dev/null; do sleep 1; done
			stop "$dir"
		) </dev/null >/dev/null 2>&1 &
	fi
	print_env "$dir"
}

stop() {
	local dir=${1:-${BZ_PG_DIR:-}}
	[ -n "$dir" ] && [ -d "$dir" ] || { echo "pg_cluster: no cluster directory to stop" >&2; return 1; }
	as_user "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

case "${1:-}" in
start)
	if [ "${2:-}" = --watch ]; then WATCH=${3:?--watch PID}; fi
	start
	;;
stop) stop "${2:-}" ;;
env) print_env "${2:-$BZ_PG_DIR}" ;;
run)
	shift
	set +e
	envs=$(start)
	st=$?
	set -e
	[ "$st" = 0 ] || exit "$st"
	eval "$envs"
	trap 'stop "$BZ_PG_DIR"' EXIT
	trap 'exit 130' INT TERM
	set +e
	"$@"
	exit $?
	;;
*)
	echo "usage: $0 start | stop [DIR] | env [DIR] | run CMD..." >&2
	exit 2
	;;
esac
