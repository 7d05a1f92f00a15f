#!/usr/bin/env bash
# tools.sh LONGNAN BIANZHI: the bianzhi command-line tool on the Longnan
# demo ledger (built by examples/longnan): every command, its output and
# its exit status, and its error paths.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger

"$longnan" "$ledger" >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "the Longnan demo failed"; exit 1; }

expect 0 '^schema version: 14$' "$bz" info "$ledger"
grep -Eq '^jurisdictions: +1[01]$' "$tmp/last" || fail "info: not the city, its nine counties (and the province)"
grep -Eq '^units in being: +[1-9]' "$tmp/last" || fail "info: no units counted"

expect 0 '^  621200 陇南市$' "$bz" units "$ledger"
grep -q '621202 武都区' "$tmp/last" || fail "units: 武都区 missing"
grep -Eq '^[0-9]+ units? in being$' "$tmp/last" || fail "units: no closing count"
expect 0 '陇南市教育局' "$bz" units "$ledger" 621200
grep -q '武都区' "$tmp/last" && fail "units 621200 listed a county's units"
# before the city's units were founded (2004) there is none
expect 0 '^0 units in being$' "$bz" units "$ledger" 621200 2000-01-01
expect 0 '^0 units in being$' "$bz" units "$ledger" 2000-01-01

uuid=$("$bz" units "$ledger" 621200 | awk '$2 == "陇南市教育局" {print $1}')
[ ${#uuid} -eq 36 ] || fail "no UUID for 陇南市教育局 in: $("$bz" units "$ledger" 621200)"
expect 0 '^#[0-9]+ [0-9]{4}-[0-9]{2}-[0-9]{2} unit.establish  document .*〔[0-9]{4}〕[0-9]+号' \
	"$bz" changes "$ledger" "$uuid"
grep -q '^Table 2 (机构编制变更记录) of .* 陇南市教育局$' "$tmp/last" || fail "changes: no heading"
grep -q '^    name: - -> 陇南市教育局$' "$tmp/last" || fail "changes: no name attribute"

# the full check: the demo's ledger holds only what its commits accepted,
# so no error-severity violation (warnings may be there)
expect 0 '^[0-9]+ violations?: 0 errors, [0-9]+ warnings?$' "$bz" check "$ledger"
expect 0 ' 0 errors' "$bz" check "$ledger" 2010-01-01

# the rules table needs no ledger
expect 0 '^R1 +error +exceptable +不准超编进人' "$bz" rules
grep -Eq '^R5 +error +- ' "$tmp/last" || fail "rules: R5 shown as exceptable"
grep -Eq '^[0-9]+ rules$' "$tmp/last" || fail "rules: no closing count"

# rule parameters, frozen posts, hiring plans, exceptions: read, then changed on a document
edu=$("$bz" units "$ledger" 621202 | awk '$2 == "武都区教育局" {print $1}')
[ ${#edu} -eq 36 ] || fail "no UUID for 武都区教育局"
city_doc='中共陇南市委机构编制委员会:陇编发〔2012〕31号'
expect 0 '^vacancy_reserve.institution = 15$' "$bz" param "$ledger" vacancy_reserve.institution
expect 0 'committed$' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution 20 2024-01-01
expect 0 '^vacancy_reserve.institution = 20$' "$bz" param "$ledger" vacancy_reserve.institution
expect 0 '^vacancy_reserve.institution = 15$' "$bz" param "$ledger" vacancy_reserve.institution 2023-12-31
expect 1 'malformed value' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution lots 2024-01-01
expect 0 '^vacancy_reserve.institution = 20$' "$bz" param "$ledger" vacancy_reserve.institution
expect 0 'committed$' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution - 2025-01-01
expect 0 '^vacancy_reserve.institution = 15$' "$bz" param "$ledger" vacancy_reserve.institution

# 武都区教育局: XZ 30, 1 in post — freezing 30 leaves no room (R1), 5 commits
expect 0 '^frozen XZ: 0$' "$bz" frozen "$ledger" "$edu" XZ
expect 3 '^R1 error 2025-01-01: 武都区教育局 \[XZ\]' "$bz" freeze "$ledger" "$city_doc" "$edu" XZ 30 2025-01-01
expect 0 '^frozen XZ: 0$' "$bz" frozen "$ledger" "$edu" XZ
expect 0 'committed$' "$bz" freeze "$ledger" "$city_doc" "$edu" XZ 5 2025-01-01
expect 0 '^frozen XZ: 5$' "$bz" frozen "$ledger" "$edu" XZ
expect 0 '^frozen XZ: 0$' "$bz" frozen "$ledger" "$edu" XZ 2024-12-31

expect 0 '^hiring plan 2026: none$' "$bz" plan "$ledger" "$edu" 2026
expect 0 'committed$' "$bz" set-plan "$ledger" "$city_doc" "$edu" 2026 4
expect 0 '^hiring plan 2026: 4$' "$bz" plan "$ledger" "$edu" 2026

expect 1 'admits no exception' "$bz" grant "$ledger" "$city_doc" R5 "$edu" 2026-01-01
expect 0 'committed$' "$bz" grant "$ledger" "$city_doc" R1 "$edu" 2026-01-01
expect 2 'no rule R99' "$bz" grant "$ledger" "$city_doc" R99 "$edu" 2026-01-01
expect 1 'not found' "$bz" freeze "$ledger" '中共陇南市委机构编制委员会:陇编发〔2099〕1号' "$edu" XZ 1 2025-01-01
expect 2 'not a whole number' "$bz" freeze "$ledger" "$city_doc" "$edu" XZ 2.5 2025-01-01
expect 2 'not a whole number' "$bz" set-plan "$ledger" "$city_doc" "$edu" 20x6 4
expect 2 'not a date' "$bz" set-param "$ledger" "$city_doc" working_age.max 65 2025-02-30
expect 2 '^usage:' "$bz" freeze "$ledger" "$city_doc" "$edu" XZ 1
# the changes left the ledger clean
expect 0 ' 0 errors' "$bz" check "$ledger"

# error paths
expect 1 'not found' "$bz" changes "$ledger" 00000000-0000-0000-0000-000000000000
expect 1 'not found' "$bz" units "$ledger" 999999
expect 2 'not a date' "$bz" units "$ledger" 621200 2023-02-29
expect 2 'not a date' "$bz" check "$ledger" 2023-13-01
expect 2 '^usage:' "$bz" frobnicate "$ledger"
expect 2 '^usage:' "$bz" info
expect 2 '^usage:' "$bz" changes "$ledger"
expect 1 "$tmp/missing.ledger" "$bz" info "$tmp/missing.ledger"
[ -e "$tmp/missing.ledger" ] && fail "info created a missing ledger"
echo "this is not a ledger" >"$tmp/text"
expect 1 'not a libbianzhi ledger' "$bz" info "$tmp/text"

expect 1 'No such file or directory' "$bz" info "$tmp/missing.ledger"
expect 2 'unknown option --bogus' "$bz" units --bogus "$ledger"

# --help and --version on stdout with exit 0; every command has its help
out=$("$bz" --help 2>/dev/null) || fail "--help exited non-zero"
grep -q '^  4  `reconcile` found differences' <<<"$out" || fail "--help lists no exit codes: $out"
for c in $(printf '%s\n' "$out" | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} /^$/ {on=0}'); do
	h=$("$bz" "$c" --help 2>/dev/null) || fail "$c --help exited non-zero"
	grep -q "^usage: bianzhi $c" <<<"$h" || fail "$c --help printed no usage: $h"
done
grep -Eq '^bianzhi \(libbianzhi\) [0-9]+\.[0-9]+\.[0-9]+$' <<<"$("$bz" --version 2>/dev/null)" || fail "--version"

# a unit by its name or its credit code as well as by its UUID
expect 0 '^Table 2 \(机构编制变更记录\) of .* 武都区教育局$' "$bz" changes "$ledger" 武都区教育局
grep -q "$edu" "$tmp/last" || fail "changes by name: another unit than $edu"
code=$("$bz" units "$ledger" 621202 | awk '$2 == "武都区教育局" {print $0}' | sed -n 's/.*credit code \([0-9A-Z]*\),.*/\1/p')
if [ -n "$code" ] && [ "$code" != "-" ]; then
	expect 0 "of $edu 武都区教育局" "$bz" changes "$ledger" "$code"
fi
expect 0 '^hiring plan 2026: 4$' "$bz" plan "$ledger" 武都区教育局 2026
expect 1 'not found' "$bz" changes "$ledger" 没有这个单位

# committed: whether a transaction (by its identity) is in the ledger (issue 11)
txn=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT uuid FROM txn_id ORDER BY txn DESC LIMIT 1").fetchone()[0])' "$ledger")
[ -n "$txn" ] || fail "the demo's transactions have no identity"
expect 0 "^$txn: committed\$" "$bz" committed "$ledger" "$txn"
expect 4 '^00000000-0000-4000-8000-000000000000: not committed$' "$bz" committed "$ledger" 00000000-0000-4000-8000-000000000000
expect 1 'not-a-uuid' "$bz" committed "$ledger" not-a-uuid
expect 2 '^usage:' "$bz" committed "$ledger"
mkfifo "$tmp/fifo"
expect 1 'not a regular file' "$bz" info "$tmp/fifo"

# BIANZHI_BUSY_TIMEOUT: a change waits that long for another writer, then says the ledger is locked (issue 11)
python3 -c 'import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None); db.execute("BEGIN IMMEDIATE")
print("locked", flush=True); time.sleep(3); db.execute("ROLLBACK")' "$ledger" >"$tmp/lock.out" &
locker=$!
for _ in $(seq 50); do grep -q locked "$tmp/lock.out" && break; sleep 0.1; done
BIANZHI_BUSY_TIMEOUT=200 expect 1 'locked by another connection.*200 ms' \
	"$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution 20 2024-01-01
BIANZHI_BUSY_TIMEOUT=soon expect 1 'BIANZHI_BUSY_TIMEOUT=soon: not a busy timeout' "$bz" info "$ledger"
wait "$locker"
BIANZHI_BUSY_TIMEOUT=0 expect 0 'committed$' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution - 2024-01-01

# BIANZHI_FAIL_ALLOC: out of memory from the Nth allocation on says so, exit 1, nothing written (issue 11)
before=$("$bz" info "$ledger")
BIANZHI_FAIL_ALLOC=1+ expect 1 'out of memory' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution 7 2024-01-01
BIANZHI_FAIL_ALLOC=1+ expect 1 'out of memory' "$bz" check "$ledger"
BIANZHI_FAIL_ALLOC=many expect 1 'BIANZHI_FAIL_ALLOC=many: not an allocation number' "$bz" info "$ledger"
BIANZHI_FAIL_ALLOC=0 expect 1 'BIANZHI_FAIL_ALLOC=0: not an allocation number' "$bz" info "$ledger"
[ "$("$bz" info "$ledger")" = "$before" ] || { echo "FAIL: an out-of-memory change wrote something"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "ok: bianzhi info, units, changes, check, rules, param, frozen, plan, set-param, freeze, set-plan, grant and their error paths"
exit $((fails > 0))
