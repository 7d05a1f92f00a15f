#!/usr/bin/env bash
# tools_import.sh LONGNAN BIANZHI: bianzhi import on the Longnan demo ledger —
# a county's unit and person sheets (GB18030 CSV as Chinese Excel writes it)
# loaded as an opening, a sheet with bad rows refused with its lines, the
# usage and file errors.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger

# idnum BODY17: the ID number with its check character
idnum() {
	python3 -c 'import sys; b=sys.argv[1]; w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; print(b+"10X98765432"[sum(int(c)*w[i] for i,c in enumerate(b))%11])' "$1"
}
gb() { iconv -f UTF-8 -t GB18030 >"$1"; }

"$longnan" "$ledger" >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "the Longnan demo failed"; exit 1; }
doc='中共陇南市委机构编制委员会:陇编发〔2012〕31号'

printf '机构名称,机构性质,机构级别,经费形式,编制数,领导职数,成立时间,规范简称\r\n武都区统计局,行政机关,正科级,全额拨款,8,1正1副,1990年1月1日,区统计局\r\n武都区档案馆,事业单位,正股级,全额拨款,5,1正0副,1992.6.1,\r\n' | gb "$tmp/units.csv"
{
	printf '姓名,身份证号,单位名称,编制类别,进入形式,进入时间,民族,学历\r\n'
	for i in 1 2 3 4 5 6; do
		unit=武都区统计局; cat=行政编制
		[ "$i" -gt 4 ] && { unit=武都区档案馆; cat=事业编制; }
		printf '王%s,%s,%s,%s,调入,2010.%d.1,汉族,大学本科\r\n' "$i" "$(idnum "62120219700${i}0100${i}")" "$unit" "$cat" "$i"
	done
} | gb "$tmp/people.csv"

expect 0 '^import: committed$' "$bz" import "$ledger" --units "$tmp/units.csv" --people "$tmp/people.csv" \
	--jurisdiction 621202 --opening 2024-12-31 --document "$doc"
grep -q "units.csv: 2 row(s), 2 unit(s)" "$tmp/last" || fail "import: no unit count: $(cat "$tmp/last")"
grep -q "people.csv: 6 row(s), 6 person(s) registered, 6 placement(s), 0 appointment(s)" "$tmp/last" \
	|| fail "import: no person count: $(cat "$tmp/last")"
expect 0 '武都区统计局 +\[行政机关, 正科, 全额拨款\]' "$bz" units "$ledger" 621202
expect 0 '武都区档案馆' "$bz" units "$ledger" 621202
expect 0 ' 0 errors' "$bz" check "$ledger"

# bad rows: every one printed as FILE:LINE: COLUMN: reason, nothing written
{
	printf '姓名,身份证号,单位名称,编制类别,进入时间\r\n'
	printf '李明,%s,武都区统计局,行政编制,2011-03-01\r\n' "$(idnum 62120219710301007)"
	printf '李红,%s,武都区不存在局,行政编制,2011-03-01\r\n' "$(idnum 62120219710301008)"
	printf '李刚,%s,武都区统计局,行政编制,2011-02-30\r\n' "$(idnum 62120219710301009)"
} >"$tmp/bad.csv"
before=$("$bz" changes "$ledger" --since 0 | tail -1)
expect 1 "bad.csv:3: 单位名称: .*武都区不存在局" "$bz" import "$ledger" --people "$tmp/bad.csv" --opening 2024-12-31 --document "$doc"
grep -q "bad.csv:4: 进入时间: 2011-02-30" "$tmp/last" || fail "import: line 4 not reported: $(cat "$tmp/last")"
grep -q "2 row(s) refused; nothing was written" "$tmp/last" || fail "import: no closing line"
[ "$("$bz" changes "$ledger" --since 0 | tail -1)" = "$before" ] || fail "a refused import wrote records"

# an entry after the cut-over is refused
printf '姓名,身份证号,单位名称,编制类别,进入时间\r\n李明,%s,武都区统计局,行政编制,2025-03-01\r\n' "$(idnum 62120219710301007)" >"$tmp/late.csv"
expect 1 'late.csv:2: .*cut-over' "$bz" import "$ledger" --people "$tmp/late.csv" --opening 2024-12-31 --document "$doc"
# 300 rows, more than one of the import's batches (256 rows under one savepoint): an entry after the
# cut-over in each batch (the person registered, then the entry refused) — both printed, nothing written
{
	printf '姓名,身份证号,单位名称,编制类别,进入时间\r\n'
	for i in $(seq 1 300); do
		entry=2011-03-01
		[ "$i" -eq 3 ] && entry=2025-03-01
		[ "$i" -eq 280 ] && entry=2025.1.5
		printf '职工%s,%s,武都区统计局,行政编制,%s\r\n' "$i" "$(idnum "$(printf '621202197203%02d%03d' $((i % 28 + 1)) "$i")")" "$entry"
	done
} | gb "$tmp/late300.csv"
expect 1 'late300.csv:4: 进入时间: .*cut-over' "$bz" import "$ledger" --people "$tmp/late300.csv" --opening 2024-12-31 \
	--document "$doc"
grep -q "late300.csv:281: 进入时间: .*cut-over" "$tmp/last" || fail "import: line 281 not reported: $(cat "$tmp/last")"
grep -q "2 row(s) refused; nothing was written" "$tmp/last" || fail "import of 300 rows: not 2 rows refused"
[ "$("$bz" changes "$ledger" --since 0 | tail -1)" = "$before" ] || fail "a refused import of 300 rows wrote records"
# outside an opening the same hire needs a slip: the rules refuse it (exit 3)
expect 3 'R8' "$bz" import "$ledger" --people "$tmp/late.csv" --document "$doc"

# usage and file errors
expect 2 'nothing to import' "$bz" import "$ledger"
expect 2 'rests on a document' "$bz" import "$ledger" --people "$tmp/late.csv" --opening 2024-12-31
expect 2 'not a date' "$bz" import "$ledger" --people "$tmp/late.csv" --opening 2024-13-01 --document "$doc"
expect 1 'missing.csv: [Nn]o such file' "$bz" import "$ledger" --people "$tmp/missing.csv" --document "$doc"
expect 1 "No such file" "$bz" import "$tmp/nothing.ledger" --people "$tmp/late.csv"
expect 0 '^usage: bianzhi import' "$bz" import --help

[ "$fails" -eq 0 ] && echo "ok: bianzhi import (opening from GB18030 sheets, refused rows, cut-over across batches, rules, errors)"
exit $((fails > 0))
