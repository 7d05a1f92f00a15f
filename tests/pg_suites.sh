#!/usr/bin/env bash
# The C suites against the PostgreSQL backend (issue 13): one throwaway
# cluster (tests/pg_cluster.sh: initdb + pg_ctl of Debian's postgresql-15,
# Unix socket only, stopped however this ends), then every suite given runs
# with BZ_TEST_PG_URI set, so tu_ledger() (tests/testutil.c) opens each
# test's ledger in a schema of its own on that server instead of :memory:.
#
#   tests/pg_suites.sh CLUSTER_SCRIPT PENDING_FILE with-driver|without-driver SUITE_EXE...
#
# The suites run two at a time (BZ_PG_SUITES_JOBS). PENDING_FILE lists the suites that do not run on PostgreSQL yet, one per
# line, `name  why` — each is reported as skipped with its reason, never
# run and never counted as passed. Exit 77 (meson's skip) when the server
# binaries are absent or the library has no PostgreSQL driver; otherwise 1
# when any suite failed.
set -uo pipefail
cluster=$1 pending=$2 driver=$3
shift 3
if [ "$driver" != with-driver ]; then
	echo "pg_suites: SKIP: this libbianzhi was built without the PostgreSQL driver (libpq not found, or -Dpostgresql=disabled)"
	exit 77
fi

envs=$(bash "$cluster" start --watch $$)
st=$?
if [ "$st" = 77 ]; then
	echo "pg_suites: SKIP: no PostgreSQL 15 server binaries (apt-get install postgresql-15)"
	exit 77
fi
[ "$st" = 0 ] || { echo "pg_suites: the cluster did not start" >&2; exit 1; }
eval "$envs"
trap 'exit 130' INT TERM
export BZ_TEST_PG_URI=$BZ_PG_URI

# two suites at a time (the server takes both; the machines have 2 cores),
# each one's report printed in order once it is done
jobs=${BZ_PG_SUITES_JOBS:-2}
out_dir=$(mktemp -d)
trap 'bash "$cluster" stop "$BZ_PG_DIR"; rm -rf "$out_dir"' EXIT

run_one() { # exe → $out_dir/NAME.{out,rc,secs}
	local exe=$1 name start
	name=$(basename "$exe")
	name=${name#test_}
	start=$SECONDS
	CK_FORK=no "$exe" >"$out_dir/$name.out" 2>&1
	echo $? >"$out_dir/$name.rc"
	echo $((SECONDS - start)) >"$out_dir/$name.secs"
}

names=()
running=0
for exe in "$@"; do
	name=$(basename "$exe")
	name=${name#test_}
	names+=("$name")
	why=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ +/, ""); print; exit }' "$pending")
	if [ -n "$why" ]; then
		echo "$why" >"$out_dir/$name.pending"
		continue
	fi
	run_one "$exe" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

failed=() passed=0 skipped=0
for name in "${names[@]}"; do
	if [ -f "$out_dir/$name.pending" ]; then
		echo "pg_suites: $name: SKIP (not on PostgreSQL yet: $(cat "$out_dir/$name.pending"))"
		skipped=$((skipped + 1))
		continue
	fi
	rc=$(cat "$out_dir/$name.rc" 2>/dev/null || echo 1)
	secs=$(cat "$out_dir/$name.secs" 2>/dev/null || echo "?")
	out=$(cat "$out_dir/$name.out" 2>/dev/null)
	if [ "$rc" = 0 ]; then
		echo "pg_suites: $name: ok ($secs s) $(grep -E '^[0-9]+%' <<<"$out" | tail -1)"
		passed=$((passed + 1))
	elif [ "$rc" = 77 ]; then
		echo "pg_suites: $name: SKIP ($(tail -1 <<<"$out"))"
		skipped=$((skipped + 1))
	else
		echo "pg_suites: $name: FAILED (exit $rc, $secs s):"
		grep -E ':[EF]:|^[0-9]+%|ERROR|SUMMARY' <<<"$out" | head -40 | sed 's/^/    /'
		failed+=("$name")
	fi
done
echo "pg_suites: $passed passed, ${#failed[@]} failed${failed[*]:+ (${failed[*]})}, $skipped not on PostgreSQL yet"
[ "${#failed[@]}" = 0 ]
