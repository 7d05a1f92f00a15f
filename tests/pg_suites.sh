#!/usr/bin/env bash
# The C suites against the PostgreSQL backend (issue 13): one throwaway
# cluster (tests/pg_cluster.sh: initdb + pg_ctl of Debian's postgresql-15,
# Unix socket only, stopped however this ends), then every suite given runs
# with BZ_TEST_PG_URI set, so tu_ledger() (tests/testutil.c) opens each
# test's ledger in a schema of its own on that server instead of :memory:.
#
#   tests/pg_suites.sh CLUSTER_SCRIPT PENDING_FILE SUITE_EXE...
#
# PENDING_FILE lists the suites that do not run on PostgreSQL yet, one per
# line, `name  why` — each is reported as skipped with its reason, never
# run and never counted as passed. Exit 77 (meson's skip) when the server
# binaries are absent or the library has no PostgreSQL driver; otherwise 1
# when any suite failed.
set -uo pipefail
cluster=$1 pending=$2
shift 2

envs=$(bash "$cluster" start --watch $$)
st=$?
if [ "$st" = 77 ]; then
	echo "pg_suites: SKIP: no PostgreSQL 15 server binaries (apt-get install postgresql-15)"
	exit 77
fi
[ "$st" = 0 ] || { echo "pg_suites: the cluster did not start" >&2; exit 1; }
eval "$envs"
trap 'bash "$cluster" stop "$BZ_PG_DIR"' EXIT
trap 'exit 130' INT TERM
export BZ_TEST_PG_URI=$BZ_PG_URI

failed=() passed=0 skipped=0
for exe in "$@"; do
	name=$(basename "$exe")
	name=${name#test_}
	why=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ +/, ""); print; exit }' "$pending")
	if [ -n "$why" ]; then
		echo "pg_suites: $name: SKIP (not on PostgreSQL yet: $why)"
		skipped=$((skipped + 1))
		continue
	fi
	start=$SECONDS
	out=$(CK_FORK=no "$exe" 2>&1)
	rc=$?
	if [ "$rc" = 0 ]; then
		echo "pg_suites: $name: ok ($((SECONDS - start)) s) $(grep -E '^[0-9]+%' <<<"$out" | tail -1)"
		passed=$((passed + 1))
	elif [ "$rc" = 77 ]; then
		echo "pg_suites: $name: SKIP ($(tail -1 <<<"$out"))"
		skipped=$((skipped + 1))
	else
		echo "pg_suites: $name: FAILED (exit $rc, $((SECONDS - start)) s):"
		grep -E ':[EF]:|^[0-9]+%' <<<"$out" | head -40 | sed 's/^/    /'
		failed+=("$name")
	fi
done
echo "pg_suites: $passed passed, ${#failed[@]} failed${failed[*]:+ (${failed[*]})}, $skipped not on PostgreSQL yet"
[ "${#failed[@]}" = 0 ]
