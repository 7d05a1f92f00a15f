#!/usr/bin/env bash
# tools_unitcert.sh LONGNAN BIANZHI: the units' 机构编制管理证 from the tool on the Longnan demo
# ledger (which issues them in 2016, renews them in 2021 and 2026, and turns R14 on from
# 2016-06-01): show, issue, renew, void, the number in Table 1 and Table 2, R14 in the full
# check, usage errors and refusals with their exit codes.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger
doc='中共陇南市委机构编制委员会:陇编发〔2012〕31号'
# the changes count from the ledger's file: rows of the certificate tables
one() { python3 -c "
import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"; }

"$longnan" "$ledger" >/dev/null || { echo "FAIL: the demo did not run"; exit 1; }

jy=$(one "$ledger" "SELECT c.number FROM unitcert c JOIN unit_name n ON n.unit=c.unit WHERE n.name='武都区教育局' AND c.issued='2016-05-03'")
[[ "$jy" =~ ^621202-BZZ-2016-[0-9]{4}$ ]] || fail "武都区教育局's certificate of 2016 is numbered '$jy'"
# show: every certificate of a unit with its state at a date, and the one held
expect 0 '^held on 2022-01-01: 621202-BZZ-2021-0002, 有效 valid$' "$bz" unitcert "$ledger" show 武都区教育局 --date 2022-01-01
grep -q "^$jy  issued 2016-05-03  valid until 2021-05-02  已换发 renewed (renewed 2021-05-03)" "$tmp/last" \
	|| fail "show: the 2016 certificate is not listed as renewed: $(cat "$tmp/last")"
grep -q '^621202-BZZ-2024-0001  issued 2024-06-10  valid until 2029-06-09  未生效 not yet issued' "$tmp/last" \
	|| fail "show: the 2024 certificate is not listed: $(cat "$tmp/last")"
expect 0 '已作废 void \(voided 2024-05-20\)' "$bz" unitcert "$ledger" show 武都区教育局 --date 2024-05-31
expect 0 '^held on 2016-05-02: none \(3 certificate' "$bz" unitcert "$ledger" show 武都区档案馆 --date 2016-05-02

# issue: a unit founded after the last round has none; the number made up; a given number
expect 0 '^set-param: committed$' "$bz" set-param "$ledger" "$doc" unitcert.validity_years 5 2026-01-01
before=$(one "$ledger" 'SELECT count(*) FROM unitcert')
expect 1 'already holds 机构编制管理证 621202-BZZ-2026-' "$bz" unitcert "$ledger" issue "$doc" 武都区教育局 2026-06-01
[ "$(one "$ledger" 'SELECT count(*) FROM unitcert')" = "$before" ] || fail "a refused issue wrote a certificate"
expect 0 'unitcert void: committed' "$bz" unitcert "$ledger" void "$doc" 621202-BZZ-2026-0002 2026-06-01
expect 0 '^陇证〔2026〕1号  issued 2026-06-02  valid until 2031-06-01  有效 valid' \
	"$bz" unitcert "$ledger" issue "$doc" 武都区教育局 2026-06-02 --number '陇证〔2026〕1号'
grep -q '^unitcert issue: committed$' "$tmp/last" || fail "issue: no commit line"
expect 1 'numbered 陇证〔2026〕1号 already exists' "$bz" unitcert "$ledger" renew "$doc" 621221-BZZ-2026-0001 2026-06-02 --number '陇证〔2026〕1号'
# renew by number: the new one's number made up, the old one renewed that day
expect 0 '^621202-BZZ-2026-[0-9]{4}  issued 2026-07-01  valid until 2031-06-30  有效 valid' \
	"$bz" unitcert "$ledger" renew "$doc" '陇证〔2026〕1号' 2026-07-01
expect 0 '^陇证〔2026〕1号  .*已换发 renewed \(renewed 2026-07-01\)' "$bz" unitcert "$ledger" show 武都区教育局 --date 2026-07-01
expect 1 'already renewed on 2026-07-01' "$bz" unitcert "$ledger" void "$doc" '陇证〔2026〕1号' 2026-08-01
expect 1 'no 机构编制管理证 numbered' "$bz" unitcert "$ledger" void "$doc" 'NO-SUCH-1' 2026-08-01

# Table 1 shows the number held; Table 2 the certificate at each record's date
expect 0 '武都区教育局,.*,621202-BZZ-2026-[0-9]{4},有效' "$bz" report "$ledger" table1 --jurisdiction 621202 --date 2026-07-01
expect 0 '^2024-05-20,武都区教育局,作废机构编制管理证,.*,已作废' "$bz" report "$ledger" table2 --unit 武都区教育局
grep -Eq "^2016-05-03,武都区教育局,核发机构编制管理证,[^,]*,管理证编号: 无 → $jy；有效期至: 无 → 2021-05-02,.*,$jy,2016-05-03,2021-05-02,有效" "$tmp/last" \
	|| fail "table2: no row of the 2016 issue: $(grep 管理证 "$tmp/last" | head -3)"

# R14 in the full check: a certificate voided and none new, with the rule in force: a warning (a
# certificate to issue); the placements themselves are judged as enforced (test_unitcert)
expect 0 ' 0 errors' "$bz" check "$ledger" 2026-07-01
expect 0 'unitcert void: committed' "$bz" unitcert "$ledger" void "$doc" "$(one "$ledger" "SELECT number FROM unitcert WHERE issued='2026-07-01'")" 2026-08-01
expect 0 'R14 warning 2026-09-01: 武都区教育局 \[unitcert:' "$bz" check "$ledger" 2026-09-01
grep -q 'voided on 2026-08-01' "$tmp/last" || fail "check: the R14 finding does not say when the certificate was voided"
# the rule turned back off from a date: the check is clean again at that date
expect 0 'set-param: committed' "$bz" set-param "$ledger" "$doc" unitcert.enforce off 2026-09-01
expect 0 ' 0 errors' "$bz" check "$ledger" 2026-09-01
grep -q 'R14' "$tmp/last" && fail "check: R14 reported with the rule off: $(cat "$tmp/last")"

# usage errors: exit 2, nothing opened
expect 2 'one of issue, renew, void, show' "$bz" unitcert "$ledger"
expect 2 'unknown action' "$bz" unitcert "$ledger" reissue "$doc" 武都区教育局 2026-06-01
expect 2 'issue takes DOC, UNIT and DATE' "$bz" unitcert "$ledger" issue "$doc" 武都区教育局
expect 2 'not a date|YYYY-MM-DD' "$bz" unitcert "$ledger" issue "$doc" 武都区教育局 2026-02-30
expect 2 '--number is for issue and renew' "$bz" unitcert "$ledger" show 武都区教育局 --number X
expect 2 '--date is for show' "$bz" unitcert "$ledger" void "$doc" X 2026-06-01 --date 2026-06-01
expect 0 '^usage: bianzhi unitcert' "$bz" unitcert --help
expect 0 'unitcert +Issue, renew' "$bz" --help
expect 1 'No such file' "$bz" unitcert "$tmp/none.ledger" show 武都区教育局

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tools_unitcert: all passed"
