#!/usr/bin/env bash
# tools_reconcile.sh LONGNAN BIANZHI: `bianzhi reconcile` on the Longnan demo
# ledger against rosters written here (GB18030 and UTF-8 CSV) from the
# ledger's own records, read with python3's sqlite3 as an independent
# oracle: a clean roster (exit 0), one with differences in each format
# (exit 4), and the error paths (exit 1 and 2).
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger
date=2025-06-30

"$longnan" "$ledger" >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "the Longnan demo failed"; exit 1; }

# Table 3 of the whole ledger at $date, and those who left before it:
# "code|id|name|unit|category" lines
python3 - "$ledger" "$date" >"$tmp/people" <<'PY' || fail "reading the ledger with sqlite3"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
d = sys.argv[2]
for row in c.execute("""
    SELECT CASE WHEN x.date IS NULL OR x.date > ?1 THEN 'in' ELSE 'left' END, j.code, pe.id_number, pe.name,
      (SELECT after FROM fact f WHERE f.subject=p.unit AND f.attr='name' AND f.effective<=?1
       ORDER BY f.effective DESC, f.event DESC LIMIT 1), cat.name
    FROM placement p JOIN person pe ON pe.id=p.person JOIN category cat ON cat.code=p.category
    JOIN unit u ON u.id=p.unit JOIN jurisdiction j ON j.id=u.jurisdiction
    LEFT JOIN placement_exit x ON x.placement=p.id
    WHERE p.entry<=?1 ORDER BY pe.id_number, p.entry""", (d,)):
    print("|".join(row))
PY
# in post in 武都区: the roster of its finance bureau as it should be
awk -F'|' '$1 == "in" && $2 == "621202"' "$tmp/people" >"$tmp/wudu"
n_wudu=$(wc -l <"$tmp/wudu")
[ "$n_wudu" -ge 3 ] || fail "the demo has $n_wudu people in post in 武都区 on $date, 3 or more expected"
{
	printf '序号,单位名称,姓名,身份证号,编制类别,发放状态\r\n'
	awk -F'|' '{printf "%d,%s,%s,%s,%s,正常\r\n", NR, $5, $4, $3, $6}' "$tmp/wudu"
} >"$tmp/clean.utf8.csv"
iconv -f UTF-8 -t GB18030 "$tmp/clean.utf8.csv" >"$tmp/clean.csv" || fail "iconv to GB18030"
cmp -s "$tmp/clean.csv" "$tmp/clean.utf8.csv" && fail "the GB18030 roster is the UTF-8 one"

expect 0 "^no differences: .*clean.csv agrees with the ledger$" \
	"$bz" reconcile "$ledger" "$tmp/clean.csv" --date "$date" --jurisdiction 621202
expect 0 "行号,差异类型,身份证号" "$bz" reconcile --format csv --date "$date" -j 621202 "$ledger" "$tmp/clean.csv"
[ "$(wc -l <"$tmp/last")" -eq 1 ] || fail "csv of no differences is more than its header: $(cat "$tmp/last")"

# the differences: the first in post left out, someone who left still paid,
# someone of another county under a 武都区 unit, a ghost, the second twice
first_id=$(awk -F'|' 'NR == 1 {print $3}' "$tmp/wudu")
second=$(awk -F'|' 'NR == 2 {printf "%s,%s,%s,%s", $5, $4, $3, $6}' "$tmp/wudu")
left=$(awk -F'|' '$1 == "left" {printf "%s,%s,%s,%s", $5, $4, $3, $6; exit}' "$tmp/people")
other=$(awk -F'|' '$1 == "in" && $2 != "621202" {print $3 "," $4; exit}' "$tmp/people")
[ -n "$left" ] && [ -n "$other" ] || fail "the demo has nobody who left, or nobody in post outside 武都区"
# a valid number of nobody (GB 11643 check character)
ghost=$(python3 -c 'b="62120219880707777"; w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(b + "10X98765432"[sum(int(c) * w[i] for i, c in enumerate(b)) % 11])')
grep -q "|$ghost|" "$tmp/people" && fail "the ghost $ghost is in the ledger"
{
	printf '\xEF\xBB\xBF单位名称,姓名,身份证号,编制类别,发放状态\r\n'
	awk -F'|' 'NR > 1 {printf "%s,%s,%s,%s,\r\n", $5, $4, $3, $6}' "$tmp/wudu"   # line 2 on
	printf '%s,正常\r\n' "$left"
	printf '武都区教育局,%s,%s,行政编制,\r\n' "${other#*,}" "${other%%,*}"
	printf '武都区教育局,钱多多,%s,行政编制,\r\n' "$ghost"
	printf '%s,\r\n' "$second"
} >"$tmp/diff.csv"
last_line=$((n_wudu + 4))

expect 4 "^[0-9]+ differences: " "$bz" reconcile "$ledger" "$tmp/diff.csv" --date "$date" --jurisdiction 621202
grep -Eq "diff\.csv:$((n_wudu + 1))  出编仍发放  .*: left on [0-9-]{10} \((退休|调出|辞职|辞退/开除|死亡|其他)\)$" "$tmp/last" \
	|| fail "text: no 出编仍发放 line on line $((n_wudu + 1)): $(cat "$tmp/last")"
grep -Eq "diff\.csv:$((n_wudu + 2))  单位不符  ${other%%,*}  .* 武都区教育局 \(ledger: [^)]+\)" "$tmp/last" \
	|| fail "text: no 单位不符 line: $(cat "$tmp/last")"
grep -Eq "diff\.csv:$((n_wudu + 3))  在册未在编  ${ghost}  钱多多 .*: nobody with this ID number in the ledger$" "$tmp/last" \
	|| fail "text: no 在册未在编 line: $(cat "$tmp/last")"
grep -Eq "diff\.csv:${last_line}  重复  .*: also on line 2$" "$tmp/last" || fail "text: no 重复 line: $(cat "$tmp/last")"
grep -Eq "diff\.csv:-  在编未在册  ${first_id} .*: not on the roster$" "$tmp/last" \
	|| fail "text: no 在编未在册 line for $first_id: $(cat "$tmp/last")"
grep -q "^5 differences: 在册未在编 1 在编未在册 1 单位不符 1 出编仍发放 1 重复 1$" "$tmp/last" \
	|| fail "text: the counts: $(tail -n1 "$tmp/last")"

"$bz" reconcile --format csv --date "$date" --jurisdiction 621202 "$ledger" "$tmp/diff.csv" >"$tmp/out.csv"
[ $? -eq 4 ] || fail "csv: exit status not 4"
head -c 3 "$tmp/out.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "csv: no UTF-8 BOM"
head -n1 "$tmp/out.csv" | grep -q '行号,差异类型,身份证号,花名册姓名,台账姓名,花名册单位,台账单位' || fail "csv: header"
[ "$(wc -l <"$tmp/out.csv")" -eq 6 ] || fail "csv: not a header and 5 rows: $(cat "$tmp/out.csv")"
grep -q "^,在编未在册,${first_id}," "$tmp/out.csv" || fail "csv: no 在编未在册 row without a line"

"$bz" reconcile --format json --date "$date" --jurisdiction 621202 "$ledger" "$tmp/diff.csv" >"$tmp/out.json"
[ $? -eq 4 ] || fail "json: exit status not 4"
python3 - "$tmp/out.json" "$last_line" <<'PY' || fail "json: $(cat "$tmp/out.json")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
kinds = sorted(r["kind_name"] for r in rows)
assert kinds == sorted(["出编仍发放", "单位不符", "在册未在编", "重复", "在编未在册"]), kinds
dup = next(r for r in rows if r["kind"] == 8)
assert dup["line"] == int(sys.argv[2]) and dup["detail"] == "also on line 2", dup
ghost = next(r for r in rows if r["kind"] == 1)
assert ghost["person"] is None and ghost["roster_name"] == "钱多多", ghost
gone = next(r for r in rows if r["kind"] == 7)
assert len(gone["placement"]) == 36 and gone["document"], gone
PY

# the whole ledger: people in post in other counties are missing too
expect 4 "在编未在册" "$bz" reconcile "$ledger" "$tmp/clean.csv" --date "$date"

# errors: the file and the cause; bad command lines
expect 1 "^bianzhi: .*nope.csv: no such file or directory$" "$bz" reconcile "$ledger" "$tmp/nope.csv"
printf '姓名,单位名称\n张伟,武都区教育局\n' >"$tmp/nocol.csv"
expect 1 "nocol.csv line 1: no column 身份证号$" "$bz" reconcile "$ledger" "$tmp/nocol.csv"
printf '身份证号,姓名,单位名称\n"621202,张伟,武都区教育局\n' >"$tmp/quote.csv"
expect 1 "quote.csv line 2: a quoted field is not closed" "$bz" reconcile "$ledger" "$tmp/quote.csv"
head -c 2000 "$bz" >"$tmp/binary.csv"
expect 1 "binary.csv: not a CSV, XLSX or XLS file$" "$bz" reconcile "$ledger" "$tmp/binary.csv"
expect 1 "999999" "$bz" reconcile "$ledger" "$tmp/clean.csv" --jurisdiction 999999
expect 1 "[Nn]o such file" "$bz" reconcile "$tmp/none.ledger" "$tmp/clean.csv"
expect 2 "text, csv or json" "$bz" reconcile --format xml "$ledger" "$tmp/clean.csv"
expect 2 "." "$bz" reconcile --date 2025-02-30 "$ledger" "$tmp/clean.csv"
expect 2 "." "$bz" reconcile "$ledger"
expect 0 "^usage: bianzhi reconcile LEDGER ROSTER" "$bz" reconcile --help
grep -q "4 differences found" "$tmp/last" || fail "reconcile --help: exit status 4 not documented"

echo "$((fails == 0 ? 1 : 0)) passed, $fails failed"
[ "$fails" -eq 0 ]
