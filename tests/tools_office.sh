#!/usr/bin/env bash
# tools_office.sh LONGNAN BIANZHI: who may change what — bianzhi office add|list|powers on the
# Longnan demo ledger, $BIANZHI_OFFICE naming the acting office, R15 refusals (exit 3, the
# office named, nothing written), a ledger without offices taking any name, usage errors.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger
one() { python3 -c "
import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"; }

"$longnan" "$ledger" >/dev/null || { echo "FAIL: the demo did not run"; exit 1; }
city='陇南市机构编制委员会办公室'
wudu='陇南市武都区机构编制委员会办公室'
chengxian='成县机构编制委员会办公室'
hr='陇南市武都区人力资源和社会保障局'
city_doc='中共陇南市委机构编制委员会:陇编发〔2012〕31号'
wudu_doc='中共武都区委机构编制委员会:武编发〔2015〕8号'

# the demo's own ledger has no offices: any name writes, as before
expect 0 '^no offices' "$bz" office list "$ledger"
BIANZHI_OFFICE=随便 expect 0 'committed$' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution 20 2024-01-01

# the default powers
expect 0 '^placement +yes +yes +yes +yes' "$bz" office powers "$ledger"
grep -Eq '^establishment +yes +- +- +-' "$tmp/last" || fail "powers: HR may not grant establishment: $(cat "$tmp/last")"
grep -Eq '^appointment +yes +yes +- +-' "$tmp/last" || fail "powers: appointments: $(cat "$tmp/last")"

# the first office: registered acting as itself, an establishment office
BIANZHI_OFFICE=$hr expect 3 'R15 error' "$bz" office add "$ledger" "$hr" 621202 hr
grep -q "acting office: $hr" "$tmp/last" || fail "the refusal names no office: $(cat "$tmp/last")"
expect 0 '^no offices' "$bz" office list "$ledger"
BIANZHI_OFFICE=$city expect 0 '^[0-9a-f-]{36}$' "$bz" office add "$ledger" "$city" 621200 编办
BIANZHI_OFFICE=$city expect 0 '^[0-9a-f-]{36}$' "$bz" office add "$ledger" "$wudu" 621202 establishment
BIANZHI_OFFICE=$city expect 0 '^[0-9a-f-]{36}$' "$bz" office add "$ledger" "$chengxian" 621221 establishment
BIANZHI_OFFICE=$wudu expect 0 '^[0-9a-f-]{36}$' "$bz" office add "$ledger" "$hr" 621202 人社 --document "$wudu_doc"
expect 0 "621202	人社	$hr	" "$bz" office list "$ledger" 621202
[ "$(wc -l <"$tmp/last")" -eq 2 ] || fail "office list 621202: $(cat "$tmp/last")"
expect 0 "621200	编办	$city" "$bz" office list "$ledger"
[ "$(wc -l <"$tmp/last")" -eq 4 ] || fail "office list: $(cat "$tmp/last")"
BIANZHI_OFFICE=$city expect 1 'already' "$bz" office add "$ledger" "$hr" 621202 hr

# once there are offices, an unknown office is refused, and nothing is written
events=$(one "$ledger" 'SELECT count(*) FROM event')
BIANZHI_OFFICE=bianzhi expect 3 'not an office of this ledger' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution 25 2024-01-01
grep -q '^1 violation: 1 error' "$tmp/last" || fail "unknown office: $(cat "$tmp/last")"
# a county office on the city's rule data (R6 too), HR on the rules: refused, the office named
BIANZHI_OFFICE=$hr expect 3 'R15 error .*\[rules\]' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution 25 2024-01-01
grep -q "acting office: $hr" "$tmp/last" || fail "R15 names no office: $(cat "$tmp/last")"
# another county's office freezing a 武都区 unit's posts: outside its scope
BIANZHI_OFFICE=$chengxian expect 3 'outside its scope' "$bz" freeze "$ledger" "$wudu_doc" 武都区教育局 XZ 1 2024-01-01
grep -q "acting office: $chengxian" "$tmp/last" || fail "R15 names no office: $(cat "$tmp/last")"
[ "$(one "$ledger" 'SELECT count(*) FROM event')" = "$events" ] || fail "a refused change wrote records"
# its own county's office may
BIANZHI_OFFICE=$wudu expect 0 'committed$' "$bz" freeze "$ledger" "$wudu_doc" 武都区教育局 XZ 1 2024-01-01
# the powers are rule data: the city gives HR the slips from a date on
BIANZHI_OFFICE=$wudu expect 3 'R6' "$bz" set-param "$ledger" "$wudu_doc" power.hr.slip 1 2024-01-01
BIANZHI_OFFICE=$city expect 0 'committed$' "$bz" set-param "$ledger" "$city_doc" power.hr.slip 1 2024-01-01
expect 0 '^slip +yes +- +yes +-' "$bz" office powers "$ledger" 2024-01-01
expect 0 '^slip +yes +- +- +-' "$bz" office powers "$ledger" 2023-12-31

# usage
expect 2 'add, list or powers' "$bz" office
expect 2 'no action' "$bz" office remove "$ledger"
expect 2 'KIND is' "$bz" office add "$ledger" 某局 621202 audit
expect 2 'too few' "$bz" office add "$ledger" 某局 621202
expect 2 'with add only' "$bz" office list "$ledger" --document "$city_doc"
expect 1 'No such file' "$bz" office list "$tmp/none.ledger"
expect 0 'BIANZHI_OFFICE' "$bz" office --help

[ "$fails" -eq 0 ] && echo "ok: bianzhi office" || exit 1
