#!/usr/bin/env bash
# tools_report.sh REPORT_COUNTY BIANZHI: `bianzhi report` on the reports' test
# county (50 units, 1,000 people, built by tests/report_county): every
# report in every format, the bytes of CSV, JSON that parses, XLSX opened
# with openpyxl (when installed), the chart, and the errors.
set -uo pipefail
county=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/county.ledger

# py EXPRESSION-SCRIPT: a Python check (its exit status decides)
py() { python3 -c "$1" "${@:2}" || fail "python check failed: $1"; }

out=$("$county" "$ledger") || { echo "FAIL: cannot build the county: $out"; exit 1; }
card=$(sed -n 1p <<<"$out")
over=$(sed -n 2p <<<"$out")
d=2026-12-01

# --- Table 1 as CSV on stdout: BOM, CRLF, the header, the quoted name
"$bz" report "$ledger" table1 --date $d >"$tmp/t1.csv" || fail "table1 csv exited $?"
head -c 3 "$tmp/t1.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "table1.csv has no BOM"
head -1 "$tmp/t1.csv" | grep -q $'^\xef\xbb\xbf行政区划,单位名称,单位性质,规格,经费形式,编制类别,编制数,实有人员,控编预留,空编,超编,冻结,核定正职,核定副职,在任正职,在任副职,核定内设机构,内设机构,机构编制管理证编号,管理证状态\r$' \
	|| fail "table1.csv header: $(head -1 "$tmp/t1.csv")"
grep -q '^武都区,"武都区""两新""组织服务中心,党群服务站",事业单位' "$tmp/t1.csv" || fail "the quoted name is not in table1.csv"
[ "$(grep -c $'\r$' "$tmp/t1.csv")" -eq "$(wc -l <"$tmp/t1.csv")" ] || fail "table1.csv has lines without CR"
# the units in the offices' order: 陇南市's (recorded later) before 武都区's, 成县 last
py 'import csv,sys
rows=list(csv.reader(open(sys.argv[1],encoding="utf-8-sig",newline="")))[1:]
j=[r[0] for r in rows]
assert j.index("陇南市")<j.index("武都区")<j.index("成县"), j[:3]
assert rows[0][1]=="陇南市机构编制委员会办公室" and rows[0][5]=="行政编制", rows[0]
assert all(r[2] in ("行政机关","事业单位") for r in rows)' "$tmp/t1.csv"
# a jurisdiction alone, and as JSON (numbers unquoted)
"$bz" report "$ledger" table1 --jurisdiction 621221 --format json >"$tmp/t1.json" || fail "table1 json exited $?"
py 'import json,sys
d=json.load(open(sys.argv[1],encoding="utf-8"))
s=d[0]; assert s["title"]=="机构编制基本情况表 (表1)"
assert all(r[0]=="成县" for r in s["rows"]) and s["rows"], s["rows"][:2]
k=[c["name"] for c in s["columns"]].index("编制数")
assert s["columns"][k]["kind"]=="integer" and all(isinstance(r[k],int) for r in s["rows"] if r[k] is not None)' "$tmp/t1.json"

# --- Table 2 of a unit over a range, Table 3 of a unit and of a jurisdiction
expect 0 '^2019-04-01,武都区融媒体中心,调整规格,陇编发〔2009〕31号,规格: 副科 → 正科' \
	"$bz" report "$ledger" table2 --unit 武都区融媒体中心 --from 2019-01-01 --to 2019-12-31
expect 0 '^2019-04-01,武都区文化馆（非物质文化遗产保护中心）,更名' \
	"$bz" report "$ledger" table2 --jurisdiction 621202 --from 2019-01-01 --to 2019-12-31
"$bz" report "$ledger" table3 --date $d >"$tmp/t3.csv" || fail "table3 exited $?"
# as many people as Table 1 counts in post (1,000 hired, a few retired since)
py 'import csv,sys
t1=list(csv.reader(open(sys.argv[1],encoding="utf-8-sig",newline="")))
t3=list(csv.reader(open(sys.argv[2],encoding="utf-8-sig",newline="")))
staff=sum(int(r[7]) for r in t1[1:] if r[7])
assert len(t3)-1==staff and 950<staff<1000, (len(t3)-1, staff)
assert t3[0][:6]==["单位名称","姓名","性别","身份证号","出生日期","编制类别"]' "$tmp/t1.csv" "$tmp/t3.csv"
expect 0 '在编,调入,2016-09-01,621202-2016-001,'"$card" "$bz" report "$ledger" table3 --unit 武都区实验小学

# --- the quota ledgers: three sheets in XLSX and JSON, one in CSV with --branch
"$bz" report "$ledger" limits --jurisdiction 621202 -o "$tmp/limits.xlsx" || fail "limits xlsx exited $?"
"$bz" report "$ledger" limits --jurisdiction 621202 --format json >"$tmp/limits.json" || fail "limits json exited $?"
py 'import json,sys
d=json.load(open(sys.argv[1],encoding="utf-8"))
assert [s["title"].split()[1] for s in d]==["总账","分账1","分账2"], [s["title"] for s in d]
assert d[1]["rows"][0][:5]==["2009-06-01","陇编发〔2009〕31号","核定行政编制限额",600,600], d[1]["rows"][0]
assert d[0]["rows"][-1][2]=="现状" and d[0]["rows"][-1][4]==560+1260' "$tmp/limits.json"
expect 0 '^2015-03-01,陇编发〔2009〕31号,核定行政编制限额,-40,560,' "$bz" report "$ledger" limits --jurisdiction 621202 --branch 1
if python3 -c 'import openpyxl' 2>/dev/null; then
	py 'import openpyxl,sys
wb=openpyxl.load_workbook(sys.argv[1])
assert len(wb.sheetnames)==3 and all(len(n)<=31 for n in wb.sheetnames), wb.sheetnames
ws=wb.worksheets[1]
assert ws.freeze_panes=="A2" and ws["A1"].value=="日期" and ws["A1"].font.b
assert ws["E2"].value==600 and ws["A2"].value.year==2009' "$tmp/limits.xlsx"
fi

# --- the per-unit ledger, a card, the vacancies
expect 0 '^2017-01-01,陇编发〔2009〕31号,核定编制,事业编制: 44 → 39,39,' "$bz" report "$ledger" unit --unit "$over"
expect 0 "^$card,2011-03-01,.*,武都区实验小学,事业编制,调入,2016-09-01," "$bz" report "$ledger" card --card "$card"
"$bz" report "$ledger" vacancies -o "$tmp/空编.csv" || fail "vacancies exited $?"
py 'import csv,sys
rows=list(csv.reader(open(sys.argv[1],encoding="utf-8-sig",newline="")))
assert rows[0][-1]=="空编" and all(int(r[-1])>0 for r in rows[1:]) and len(rows)>10' "$tmp/空编.csv"

# --- the organisation chart
"$bz" report "$ledger" chart -o "$tmp/org.svg" || fail "chart svg exited $?"
grep -q '<svg' "$tmp/org.svg" || fail "org.svg is not SVG"
grep -q '武都区人民医院' "$tmp/org.svg" || fail "org.svg lacks a unit"
"$bz" report "$ledger" chart --jurisdiction 621202 --format dot -o "$tmp/org.gv" || fail "chart dot exited $?"
grep -q 'subgraph "cluster_621202"' "$tmp/org.gv" || fail "org.gv has no cluster"
grep -q '超编 3", color=red' "$tmp/org.gv" || fail "org.gv does not mark the unit over establishment"

# --- errors: usage (2) and failures (1) with the file and the cause
expect 2 'no report' "$bz" report "$ledger" table9
expect 2 'XLSX goes to a file' "$bz" report "$ledger" table1 --format xlsx
expect 2 'give --branch' "$bz" report "$ledger" limits --jurisdiction 621202
expect 2 'needs --card' "$bz" report "$ledger" card
expect 2 'needs --unit' "$bz" report "$ledger" unit
expect 2 'not a date|YYYY-MM-DD' "$bz" report "$ledger" table1 --date 2026-13-01
expect 2 'csv, xlsx, json, dot or svg' "$bz" report "$ledger" table1 --format pdf
expect 2 'dot or svg' "$bz" report "$ledger" chart --format csv -o "$tmp/x.csv"
expect 1 'no such file|No such file' "$bz" report "$tmp/missing.ledger" table1
expect 1 "$tmp/no/such/dir/t1.xlsx: No such file or directory" "$bz" report "$ledger" table1 -o "$tmp/no/such/dir/t1.xlsx"
expect 1 "$tmp/no/org.svg.*No such file or directory" "$bz" report "$ledger" chart -o "$tmp/no/org.svg"
expect 1 'not found|no jurisdiction' "$bz" report "$ledger" table1 --jurisdiction 629999
expect 1 'not found' "$bz" report "$ledger" card --card 621202-999999
expect 0 'Usage|usage|report' "$bz" report --help
ls "$tmp" | grep -q '\.tmp-' && fail "a temporary file was left: $(ls "$tmp")"

if [ "$fails" -gt 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "tools_report: all checks passed"
