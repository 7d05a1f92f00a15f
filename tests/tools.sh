#!/usr/bin/env bash
# tools.sh LONGNAN BIANZHI: the bianzhi command-line tool on the Longnan
# demo ledger (built by examples/longnan): every command, its output and
# its exit status, and its error paths.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ledger=$tmp/longnan.ledger

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect STATUS PATTERN COMMAND...: exit status and a line matching PATTERN (grep -E)
expect() {
	local want=$1 pat=$2 got out; shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, want $want: $out"
	printf '%s\n' "$out" | grep -Eq -- "$pat" || fail "'$*' printed no line matching /$pat/: $out"
	printf '%s\n' "$out" >"$tmp/last"
}

"$longnan" "$ledger" >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "the Longnan demo failed"; exit 1; }

expect 0 '^schema version: 1$' "$bz" info "$ledger"
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

[ "$fails" -eq 0 ] && echo "ok: bianzhi info, units, changes, check and their error paths"
exit $((fails > 0))
