#!/usr/bin/env bash
# tools_feed.sh LONGNAN BIANZHI: the change feed (bianzhi changes --since,
# --format json) and backup/restore (bianzhi backup, bianzhi restore) on the
# Longnan demo ledger (built by examples/longnan): output, JSON that parses,
# exit statuses and error paths.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger

"$longnan" "$ledger" >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "the Longnan demo failed"; exit 1; }

# ---- the feed from the start: every record, numbered 1 … N, each line JSON
"$bz" changes "$ledger" --since 0 --format json >"$tmp/all.jsonl" || fail "changes --since 0 --format json exited $?"
n=$(wc -l <"$tmp/all.jsonl")
[ "$n" -gt 50 ] || fail "the demo's feed has only $n records"
keys='["seq","kind","subject","unit","effective","document","document_number","recorded_at","recorded_by","office","note","attrs"]'
jsonl "$tmp/all.jsonl" "[r['seq'] for r in recs] == list(range(1, len(recs) + 1))"
jsonl "$tmp/all.jsonl" "all(list(r) == $keys for r in recs)"
jsonl "$tmp/all.jsonl" "all(isinstance(a, dict) and list(a) == ['name','before','after'] for r in recs for a in r['attrs'])"
jsonl "$tmp/all.jsonl" "{'jurisdiction.create','document.register','unit.establish','establishment.set','person.register','slip.issue','placement.enter'} <= {r['kind'] for r in recs}"
jsonl "$tmp/all.jsonl" "any(r['kind'] == 'unit.establish' and {'name': 'name', 'before': None, 'after': '陇南市教育局'} in r['attrs'] for r in recs)"
jsonl "$tmp/all.jsonl" "all(r['unit'] is None for r in recs if r['kind'] == 'jurisdiction.create')"
# the text form says the same and where to go on from
expect 0 "^$n change records after #0; next time: --since $n\$" "$bz" changes "$ledger" --since 0
grep -Eq '^#1 [0-9]{4}-[0-9]{2}-[0-9]{2} jurisdiction.create [0-9a-f-]{36}  document ' "$tmp/last" ||
	fail "changes --since 0: record #1 not as expected: $(head -3 "$tmp/last")"
half=$((n / 2))
"$bz" changes "$ledger" --since "$half" --format json >"$tmp/half.jsonl"
jsonl "$tmp/half.jsonl" "[r['seq'] for r in recs] == list(range($half + 1, $n + 1))"

# ---- a consumer that remembers the last number gets exactly what is new
edu=$("$bz" units "$ledger" 621202 | awk '$2 == "武都区教育局" {print $1}')
[ ${#edu} -eq 36 ] || fail "no UUID for 武都区教育局"
city_doc='中共陇南市委机构编制委员会:陇编发〔2012〕31号'
expect 0 'committed$' "$bz" set-plan "$ledger" "$city_doc" "$edu" 2027 3
expect 0 'committed$' "$bz" freeze "$ledger" "$city_doc" "$edu" XZ 2 2026-06-01
# refused by the rules (R1): nothing in the feed
expect 3 '^R1 error' "$bz" freeze "$ledger" "$city_doc" "$edu" XZ 30 2026-07-01
"$bz" changes "$ledger" --since "$n" --format json >"$tmp/new.jsonl"
jsonl "$tmp/new.jsonl" "[(r['seq'], r['kind'], r['subject'], r['unit']) for r in recs] == [($n + 1, 'plan.set', '$edu', '$edu'), ($n + 2, 'establishment.freeze', '$edu', '$edu')]"
jsonl "$tmp/new.jsonl" "recs[1]['attrs'] == [{'name': 'frozen:XZ', 'before': None, 'after': '2'}] and recs[1]['effective'] == '2026-06-01'"
jsonl "$tmp/new.jsonl" "all(r['document_number'] == '陇编发〔2012〕31号' for r in recs)"
expect 0 "^2 change records after #$n; next time: --since $((n + 2))\$" "$bz" changes "$ledger" --since "$n"
grep -q '^    frozen:XZ: - -> 2$' "$tmp/last" || fail "changes --since: no attribute line"
out=$("$bz" changes "$ledger" --since $((n + 2)) --format json)
[ -z "$out" ] || fail "nothing is new, yet: $out"
expect 0 "^0 change records after #$((n + 2)); next time: --since $((n + 2))\$" "$bz" changes "$ledger" --since $((n + 2))

# ---- a unit's Table 2: as text (as before) and as JSON Lines
expect 0 '^Table 2 \(机构编制变更记录\) of .* 武都区教育局$' "$bz" changes "$ledger" 武都区教育局
grep -q '^    frozen:XZ: - -> 2$' "$tmp/last" || fail "changes UNIT: the freeze is missing"
"$bz" changes "$ledger" 武都区教育局 --format json >"$tmp/unit.jsonl" || fail "changes UNIT --format json exited $?"
jsonl "$tmp/unit.jsonl" "len(recs) > 2 and all(r['unit'] == '$edu' for r in recs)"
jsonl "$tmp/unit.jsonl" "recs[0]['kind'] == 'unit.establish' and {'plan.set', 'establishment.freeze'} <= {r['kind'] for r in recs}"

# ---- JSON string escaping: a record with quotes, backslashes, control characters
# and Chinese, written behind the library (no command takes free text)
python3 - "$ledger" <<'EOF' || fail "could not write the record with special characters"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
txn = con.execute("INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES(?,?,?)",
                  ("2026-12-01T10:00:00", '王"五\\', "编办\t值班")).lastrowid
ev = con.execute("INSERT INTO event(txn, kind, subject, unit, effective, doc, note) VALUES(?,?,?,?,?,?,?)",
                 (txn, "person.attr", "00000000-0000-4000-8000-000000000001", None, "2026-12-01", None,
                  "第一行\n第二行\r\x01\x1f\x7f \"引号\" \\反斜杠 / 😀")).lastrowid
con.execute("INSERT INTO fact(event, subject, attr, effective, before, after) VALUES(?,?,?,?,?,?)",
            (ev, "00000000-0000-4000-8000-000000000001", "籍贯", "2026-12-01", 'C:\\旧"址', "甘肃\b陇南\f"))
con.commit()
EOF
"$bz" changes "$ledger" --since $((n + 2)) --format json >"$tmp/odd.jsonl"
jsonl "$tmp/odd.jsonl" "len(recs) == 1 and recs[0]['recorded_by'] == '王\"五\\\\' and recs[0]['office'] == '编办\\t值班'"
jsonl "$tmp/odd.jsonl" "recs[0]['note'] == '第一行\\n第二行\\r\\x01\\x1f\\x7f \"引号\" \\\\反斜杠 / 😀'"
jsonl "$tmp/odd.jsonl" "recs[0]['attrs'] == [{'name': '籍贯', 'before': 'C:\\\\旧\"址', 'after': '甘肃\\b陇南\\f'}]"
jsonl "$tmp/odd.jsonl" "recs[0]['document'] is None and recs[0]['unit'] is None"
# UTF-8 passed through, not \u-escaped; one record, one line
grep -q '😀' "$tmp/odd.jsonl" || fail "JSON: UTF-8 not passed through: $(cat "$tmp/odd.jsonl")"
[ "$(wc -l <"$tmp/odd.jsonl")" -eq 1 ] || fail "JSON: the record spans more than one line"
last=$((n + 3))

# ---- usage errors
expect 2 'not a whole number' "$bz" changes "$ledger" --since -1
expect 2 'not a whole number' "$bz" changes "$ledger" --since 十
expect 2 'text or json, not xml' "$bz" changes "$ledger" --since 0 --format xml
expect 2 'not both' "$bz" changes "$ledger" 武都区教育局 --since 0
expect 2 'UNIT or --since N is needed' "$bz" changes "$ledger" --format json
expect 2 'needs a value' "$bz" changes "$ledger" --since
expect 1 'No such file or directory' "$bz" changes "$tmp/missing.ledger" --since 0

# ---- backup: a ledger of its own, with the same records
backup=$tmp/备份/longnan-2026-12.ledger
mkdir "$tmp/备份"
expect 0 "^backed up .* to $backup \\(change records up to #$last\\)\$" "$bz" backup "$ledger" "$backup"
[ -f "$backup" ] || fail "backup: no file"
[ "$(stat -c %a "$backup")" = 600 ] || fail "backup: mode $(stat -c %a "$backup"), want 600"
[ "$(ls "$tmp/备份")" = "longnan-2026-12.ledger" ] || fail "backup: other files left: $(ls "$tmp/备份")"
expect 0 '^schema version: ' "$bz" info "$backup"
"$bz" changes "$backup" --since 0 --format json >"$tmp/backup.jsonl"
"$bz" changes "$ledger" --since 0 --format json >"$tmp/now.jsonl"
cmp -s "$tmp/backup.jsonl" "$tmp/now.jsonl" || fail "backup: the change records differ"
expect 0 '^hiring plan 2027: 3$' "$bz" plan "$backup" "$edu" 2027
expect 0 ' 0 errors' "$bz" check "$backup"
# never over an existing file
sum=$(md5sum <"$backup")
expect 1 "$backup: the file exists" "$bz" backup "$ledger" "$backup"
[ "$(md5sum <"$backup")" = "$sum" ] || fail "backup overwrote $backup"
echo "上个月的名册" >"$tmp/名册.csv"
expect 1 'the file exists' "$bz" backup "$ledger" "$tmp/名册.csv"
[ "$(cat "$tmp/名册.csv")" = "上个月的名册" ] || fail "backup overwrote a CSV file"
expect 1 "$tmp/没有/x.ledger: No such file or directory" "$bz" backup "$ledger" "$tmp/没有/x.ledger"
[ -e "$tmp/没有" ] && fail "backup created a directory"
expect 1 'No such file or directory' "$bz" backup "$tmp/missing.ledger" "$tmp/x.ledger"
[ -e "$tmp/x.ledger" ] && fail "backup of a missing ledger wrote a file"
expect 2 '^usage:' "$bz" backup "$ledger"

# ---- restore: the ledger goes back to the backup
expect 0 'committed$' "$bz" set-plan "$ledger" "$city_doc" "$edu" 2028 2
expect 0 '^hiring plan 2028: 2$' "$bz" plan "$ledger" "$edu" 2028
# what is not a ledger is refused, and nothing changes
expect 1 "$tmp/名册.csv: not a ledger" "$bz" restore "$ledger" "$tmp/名册.csv"
python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE payroll(id TEXT)'); c.commit()" "$tmp/payroll.db"
expect 1 'another application' "$bz" restore "$ledger" "$tmp/payroll.db"
expect 1 "$tmp/nothing.ledger: No such file or directory" "$bz" restore "$ledger" "$tmp/nothing.ledger"
expect 1 'the ledger itself' "$bz" restore "$ledger" "$ledger"
expect 0 '^hiring plan 2028: 2$' "$bz" plan "$ledger" "$edu" 2028
expect 0 "^0 change records after #$((last + 1))" "$bz" changes "$ledger" --since $((last + 1))
# restored: the plan of 2028 is gone, the feed is back at the backup's last record
expect 0 "^restored .* from $backup: change records up to #$last \\(before: #$((last + 1))\\)\$" \
	"$bz" restore "$ledger" "$backup"
expect 0 '^hiring plan 2028: none$' "$bz" plan "$ledger" "$edu" 2028
expect 0 '^hiring plan 2027: 3$' "$bz" plan "$ledger" "$edu" 2027
expect 0 "^0 change records after #$last; next time: --since $last\$" "$bz" changes "$ledger" --since "$last"
"$bz" changes "$ledger" --since 0 --format json >"$tmp/restored.jsonl"
cmp -s "$tmp/backup.jsonl" "$tmp/restored.jsonl" || fail "restore: the change records differ from the backup's"
# and it goes on from there
expect 0 'committed$' "$bz" set-plan "$ledger" "$city_doc" "$edu" 2028 1
"$bz" changes "$ledger" --since "$last" --format json >"$tmp/after.jsonl"
jsonl "$tmp/after.jsonl" "[(r['seq'], r['kind']) for r in recs] == [($last + 1, 'plan.set')]"
expect 2 '^usage:' "$bz" restore "$ledger"
expect 0 '^usage: bianzhi restore LEDGER BACKUP' "$bz" restore --help
grep -q 'asks nothing' "$tmp/last" || fail "restore --help does not say it asks nothing"
expect 0 '^usage: bianzhi backup LEDGER DEST' "$bz" backup --help

[ "$fails" -eq 0 ] && echo "ok: bianzhi changes --since/--format json, backup, restore and their error paths"
exit $((fails > 0))
