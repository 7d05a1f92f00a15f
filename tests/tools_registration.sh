#!/usr/bin/env bash
# tools_registration.sh LONGNAN BIANZHI: 事业单位法人登记 from the tool on the Longnan demo
# ledger — show, compare (exit 4 when a report and the ledger differ), the rates and the list
# (bianzhi report registration / registration-units), changes refused by R12 and R13 with nothing
# written (exit 3), the 'not registered' finding once the ledger keeps registration, usage errors.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
demo=$tmp/longnan.ledger
ledger=$demo.registration   # the demo registers its institutions on a copy beside its ledger
one() { python3 -c "
import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"; }

"$longnan" "$demo" >"$tmp/demo.out" || { echo "FAIL: the demo did not run"; exit 1; }
grep -q 'R13 年度报告: the annual report of 2024 of 武都区实验中学 states 从业人员 2; the establishment ledger has 0' \
	"$tmp/demo.out" || fail "the demo does not print the refused annual report"
wudu='中共武都区委机构编制委员会:武编发〔2015〕8号'
city='中共陇南市委机构编制委员会:陇编发〔2012〕31号'

expect 0 '^证书	事证第162120200001号	2024-02-01	2029-01-31	有效$' "$bz" registration "$ledger" show 武都区实验中学 --date 2026-06-30
expect 0 '^举办单位	-$' "$bz" registration "$ledger" show 武都区实验中学 --date 2025-01-01
expect 1 'not registered by 2024-01-01' "$bz" registration "$ledger" show 武都区实验中学 --date 2024-01-01
expect 0 '^一致$' "$bz" registration "$ledger" compare 武都区实验中学 2024
grep -q '^从业人员	0	0$' "$tmp/last" || fail "compare does not show the staff figures: $(cat "$tmp/last")"
expect 1 'no annual report of 2023' "$bz" registration "$ledger" compare 武都区实验中学 2023

# the rates and the list
expect 0 '^合计,3,2,66.7%,2025,2,2,2,100.0%' "$bz" report "$ledger" registration --date 2026-06-30
expect 0 '^621202 武都区,2,1,50.0%' "$bz" report "$ledger" registration --date 2026-06-30 --jurisdiction 621202
"$bz" report "$ledger" registration --date 2026-06-30 --format json -o "$tmp/r.json" || fail "report registration json"
python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))[0]
assert s['title'] == '事业单位登记管理情况', s['title']
assert s['rows'][-1][:3] == ['合计', 3, 2], s['rows'][-1]" "$tmp/r.json" || fail "the rates as JSON"
expect 0 '^621202 武都区,武都区档案馆,未登记' "$bz" report "$ledger" registration-units --date 2026-06-30

# R12 refuses a registration whose name is not the ledger's; nothing written
n=$(one "$ledger" 'SELECT count(*) FROM event')
expect 3 'R12 登记与台账一致: the registration of 武都区档案馆 states 名称 武都区档案局' "$bz" registration "$ledger" found \
	"$wudu" 武都区档案馆 2024-03-01 "$wudu" --name 武都区档案局 --address 武都区 --legal-rep 王 --scope 档案 --funds 1 \
	--credit-code 12621202MA74C3P65G
grep -q 'nothing was written' "$tmp/last" || fail "a refused registration does not say nothing was written"
[ "$(one "$ledger" 'SELECT count(*) FROM event')" = "$n" ] || fail "a refused registration wrote records"
# ... and a deregistration of a unit in being, and an annual report stating other figures
expect 3 'is in being on 2025-01-01' "$bz" registration "$ledger" deregister "$wudu" 武都区实验中学 2025-01-01 "$wudu" 合并
expect 3 'states 编制 99; the establishment ledger has 120' "$bz" registration "$ledger" report "$wudu" 武都区实验中学 \
	2024 2025-03-29 0 99 500000
[ "$(one "$ledger" 'SELECT count(*) FROM event')" = "$n" ] || fail "refused changes wrote records"

# the archive registered with the ledger's own name (the default), its certificate renewed
expect 0 'found: committed$' "$bz" registration "$ledger" found "$wudu" 武都区档案馆 2024-03-01 "$wudu" \
	--address 武都区 --legal-rep 王明 --scope 档案收集、保管和利用 --funds 100000 --credit-code 12621202MA74C3P65G
expect 0 'certificate: committed$' "$bz" registration "$ledger" certificate "$wudu" 武都区档案馆 issue 事证3 2024-03-01
expect 1 'exists already' "$bz" registration "$ledger" certificate "$wudu" 武都区档案馆 renew 事证3 2025-03-01
expect 0 'change: committed$' "$bz" registration "$ledger" change "$wudu" 武都区档案馆 legal_rep 李丽 2025-06-01 "$wudu"
expect 0 '^法定代表人	李丽$' "$bz" registration "$ledger" show 武都区档案馆 --date 2026-06-30
# the archive's credit code in the ledger, as its registration assigned it (set-credit-code; lower case taken)
code_of() { one "$ledger" "SELECT coalesce(u.credit_code, '-') FROM unit u JOIN unit_name n ON n.unit=u.id WHERE n.name='武都区档案馆'"; }
[ "$(code_of)" = "-" ] || fail "the demo's archive has a credit code already: $(code_of)"
n=$(one "$ledger" 'SELECT count(*) FROM event')
expect 3 'R10 统一社会信用代码: 12621202MA74C3P65H of 武都区档案馆 has a wrong check character' \
	"$bz" set-credit-code "$ledger" "$wudu" 武都区档案馆 12621202MA74C3P65H 2024-04-01
[ "$(one "$ledger" 'SELECT count(*) FROM event')" = "$n" ] && [ "$(code_of)" = "-" ] ||
	fail "a refused credit code wrote records"
expect 0 'set-credit-code: committed$' "$bz" set-credit-code "$ledger" "$wudu" 武都区档案馆 12621202ma74c3p65g 2024-04-01
[ "$(code_of)" = "12621202MA74C3P65G" ] || fail "set-credit-code did not give the archive its code: $(code_of)"
expect 1 'already holds credit code 12621202MA74C3P65G' \
	"$bz" set-credit-code "$ledger" "$wudu" 12621202MA74C3P65G 12621202MA74C3P65G 2024-05-01
expect 2 'usage' "$bz" set-credit-code "$ledger" "$wudu" 武都区档案馆 12621202MA74C3P65G
expect 0 '统一社会信用代码' "$bz" set-credit-code --help
# the demo ledger itself holds no registration: its full check does not depend on the years passing
expect 1 'not registered' "$bz" registration "$demo" show 武都区实验中学

# the ledger keeps registration from 2013-03-01: an unregistered institution is found at a date
expect 0 'committed$' "$bz" set-param "$ledger" "$city" registration.required_from 2013-03-01 2013-03-01
expect 3 'R12.*武都区档案馆, a public institution since 2015-06-01, holds no registration on 2016-01-01' \
	"$bz" check "$ledger" 2016-01-01

# usage errors: exit 2, the ledger not opened
expect 2 'no registration command' "$bz" registration "$ledger" nothing 武都区档案馆
expect 2 'issue, renew or reissue' "$bz" registration "$ledger" certificate "$wudu" 武都区档案馆 lost 事证4 2025-01-01
expect 2 'no registered field' "$bz" registration "$ledger" change "$wudu" 武都区档案馆 colour red 2025-01-01 "$wudu"
expect 2 'states --address' "$bz" registration "$ledger" found "$wudu" 武都区档案馆 2024-03-01 "$wudu"
expect 2 'registration compare takes' "$bz" registration "$ledger" compare 武都区档案馆
expect 0 'registration-units  every' "$bz" report --help
expect 0 '设立登记' "$bz" registration --help

[ "$fails" -eq 0 ] && echo "ok: bianzhi registration, report registration and their refusals"
exit $((fails > 0))
