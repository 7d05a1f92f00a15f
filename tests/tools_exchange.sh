#!/usr/bin/env bash
# tools_exchange.sh LONGNAN BIANZHI: bianzhi export and bianzhi import-ledger on the
# Longnan demo ledger (built by examples/longnan): the city's ledger split into
# 武都区's and 成县's parts, consolidated again into a new ledger, imported twice,
# a conflict and damaged files refused with nothing written, exit statuses and
# error messages that name the file.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
demo=$tmp/longnan.ledger
city=$tmp/city.ledger

# the state of a ledger that an import must not touch when it refuses
state() { "$bz" changes "$1" --since 0 | tail -1; "$bz" info "$1"; }

"$longnan" "$demo" >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "the Longnan demo failed"; exit 1; }

# ---- export: the whole ledger, and two counties' parts
expect 0 "^$tmp/all.jsonl: [0-9]+ record\(s\) of ledger [0-9a-f-]{36} \(the whole ledger\)" \
	"$bz" export "$demo" "$tmp/all.jsonl"
jsonl "$tmp/all.jsonl" "recs[0]['type'] == 'header' and recs[0]['format'] == 'bianzhi-exchange' and recs[0]['version'] == 3 and recs[0]['scope'] is None"
jsonl "$tmp/all.jsonl" "recs[-1]['type'] == 'end' and recs[-1]['records'] == len(recs) - 2"
jsonl "$tmp/all.jsonl" "all(recs[-1]['counts'][k] == sum(r['type'] == k for r in recs) for k in recs[-1]['counts'])"
jsonl "$tmp/all.jsonl" "{'jurisdiction','document','unit','person','placement','slip','txn','change','category'} <= {r['type'] for r in recs}"
jsonl "$tmp/all.jsonl" "all(r['id'][0] == recs[0]['ledger'] for r in recs if r['type'] == 'change')"
expect 0 "\(621202\)" "$bz" export "$demo" "$tmp/wudu.jsonl" --jurisdiction 621202
expect 0 "\(621221\)" "$bz" export "$demo" "$tmp/chengxian.jsonl" --jurisdiction 621221
jsonl "$tmp/wudu.jsonl" "recs[0]['scope'] == '621202' and {r['code'] for r in recs if r['type'] == 'jurisdiction'} == {'620000', '621200', '621202'}"
jsonl "$tmp/chengxian.jsonl" "sum(r['type'] == 'unit' for r in recs) >= 1"
# errors: the file exists, no such jurisdiction, no such ledger, a directory that is not there
expect 1 "all.jsonl: the file exists" "$bz" export "$demo" "$tmp/all.jsonl"
expect 1 "999999" "$bz" export "$demo" "$tmp/none.jsonl" --jurisdiction 999999
[ -e "$tmp/none.jsonl" ] && fail "a failed export left a file"
expect 1 "nowhere.ledger: No such file" "$bz" export "$tmp/nowhere.ledger" "$tmp/x.jsonl"
expect 1 "$tmp/no/dir/x.jsonl: No such file or directory" "$bz" export "$demo" "$tmp/no/dir/x.jsonl"
expect 2 "FILE|positional|argument" "$bz" export "$demo"
expect 0 "^usage: bianzhi export" "$bz" export --help

# ---- consolidation: a new ledger made of the two parts, each county's records still its own
expect 0 "wudu.jsonl: [0-9]+ record\(s\) from ledger .*: [1-9][0-9]* added" \
	"$bz" import-ledger --create "$city" "$tmp/wudu.jsonl" "$tmp/chengxian.jsonl"
grep -Eq "chengxian.jsonl: .*[1-9][0-9]* added" "$tmp/last" || fail "成县's part added nothing: $(cat "$tmp/last")"
grep -Eq "the full check after the import: 0 error\(s\)" "$tmp/last" || fail "no clean check after the import: $(cat "$tmp/last")"
for j in 621202 621221; do
	"$bz" units "$demo" "$j" >"$tmp/units.demo" || fail "units $j of the demo"
	"$bz" units "$city" "$j" >"$tmp/units.city" || fail "units $j of the consolidated ledger"
	cmp -s "$tmp/units.demo" "$tmp/units.city" || fail "the units of $j differ: $(diff "$tmp/units.demo" "$tmp/units.city" | head -5)"
done
expect 0 "0 errors" "$bz" check "$city"
grep -q "INTEGRITY" "$tmp/last" && fail "the consolidated ledger's counters disagree with its records"
# a part exported again from the consolidated ledger holds the same records
"$bz" export "$city" "$tmp/wudu2.jsonl" --jurisdiction 621202 >/dev/null || fail "export of the consolidated ledger"
cmp -s <(tail -n +2 "$tmp/wudu.jsonl") <(tail -n +2 "$tmp/wudu2.jsonl") || fail "武都区's part changed on its way through the city"
# importing again adds nothing
before=$(state "$city")
expect 0 "wudu.jsonl: .*: 0 added \(0 change records\), [0-9]+ already here" "$bz" import-ledger "$city" "$tmp/wudu.jsonl"
[ "$(state "$city")" = "$before" ] || fail "a second import changed the ledger"
# a dry run of the whole ledger says what would come and writes nothing
expect 0 "dry run, nothing written: .* [1-9][0-9]* added" "$bz" import-ledger --dry-run "$city" "$tmp/all.jsonl"
[ "$(state "$city")" = "$before" ] || fail "a dry run changed the ledger"

# ---- refusals: nothing written
python3 - "$tmp/chengxian.jsonl" "$tmp/conflict.jsonl" <<'EOF' || fail "could not make the conflicting file"
import json, sys
out = []
done = False
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["type"] == "person" and not done:
        r["name"] = "欧阳修"
        done = True
    out.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
assert done
EOF
expect 3 "conflict.jsonl:[0-9]+: person [0-9X]{18}: name: the ledger has .*, the file 欧阳修" \
	"$bz" import-ledger "$city" "$tmp/conflict.jsonl"
grep -q "1 conflict(s) with the ledger; nothing was written" "$tmp/last" || fail "no summary of the conflicts: $(cat "$tmp/last")"
[ "$(state "$city")" = "$before" ] || fail "a refused import changed the ledger"
# a placement that disagrees with its entry record (another entry date) into a new ledger: refused, nothing made
python3 - "$tmp/chengxian.jsonl" "$tmp/entry.jsonl" <<'EOF' || fail "could not make the file with a moved entry"
import json, sys
out = []
done = False
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["type"] == "placement" and not done:
        r["entry"] = "1999-01-01"
        done = True
    out.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
assert done
EOF
expect 3 "entry.jsonl:[0-9]+: placement [0-9a-f-]{36}: entry: the ledger has -, the file 1999-01-01" \
	"$bz" import-ledger --create "$tmp/entry.ledger" "$tmp/entry.jsonl"
grep -q "1 conflict(s) with the ledger; nothing was written" "$tmp/last" || fail "no summary of the conflict: $(cat "$tmp/last")"
head -n -3 "$tmp/all.jsonl" >"$tmp/cut.jsonl"
expect 1 "cut.jsonl: truncated" "$bz" import-ledger "$city" "$tmp/cut.jsonl"
sed '1s/"version":3/"version":7/' "$tmp/all.jsonl" >"$tmp/v7.jsonl"
expect 1 "v7.jsonl: exchange format version 7 is newer" "$bz" import-ledger "$city" "$tmp/v7.jsonl"
printf 'not json\n' >"$tmp/junk.jsonl"
expect 1 "junk.jsonl:1: not JSON" "$bz" import-ledger "$city" "$tmp/junk.jsonl"
expect 1 "missing.jsonl: No such file or directory" "$bz" import-ledger "$city" "$tmp/missing.jsonl"
[ "$(state "$city")" = "$before" ] || fail "a damaged file changed the ledger"
# without --create a missing ledger is an error, not a new file
expect 1 "new.ledger: No such file" "$bz" import-ledger "$tmp/new.ledger" "$tmp/wudu.jsonl"
[ -e "$tmp/new.ledger" ] && fail "import-ledger made a ledger without --create"
expect 0 "^usage: bianzhi import-ledger" "$bz" import-ledger --help

# ---- offices and transaction identities travel (format version 3); a version 2 file still imports
withoff=$tmp/offices.ledger
cp "$demo" "$withoff"
wudu_est=陇南市武都区机构编制委员会办公室
wudu_hr=陇南市武都区人力资源和社会保障局
BIANZHI_OFFICE=$wudu_est expect 0 '^[0-9a-f-]{36}$' "$bz" office add "$withoff" "$wudu_est" 621202 establishment
BIANZHI_OFFICE=$wudu_est expect 0 '^[0-9a-f-]{36}$' "$bz" office add "$withoff" "$wudu_hr" 621202 hr
expect 0 "\(621202\)" "$bz" export "$withoff" "$tmp/wudu3.jsonl" --jurisdiction 621202
jsonl "$tmp/wudu3.jsonl" "recs[0]['version'] == 3 and sorted(r['name'] for r in recs if r['type'] == 'office') == sorted(['$wudu_est', '$wudu_hr'])"
jsonl "$tmp/wudu3.jsonl" "all(len(r['uuid']) == 36 for r in recs if r['type'] == 'txn') and recs[-1]['counts']['office'] == 2"
txn=$(python3 -c 'import json,sys; print([r for r in map(json.loads, open(sys.argv[1], encoding="utf-8")) if r["type"] == "txn"][-1]["uuid"])' "$tmp/wudu3.jsonl")
expect 0 "added" "$bz" import-ledger --create "$tmp/city3.ledger" "$tmp/wudu3.jsonl"
expect 0 "621202	人社	$wudu_hr	" "$bz" office list "$tmp/city3.ledger" 621202
[ "$(wc -l <"$tmp/last")" -eq 2 ] || fail "the city knows not both of 武都区's offices: $(cat "$tmp/last")"
expect 0 "" "$bz" committed "$tmp/city3.ledger" "$txn"
# R15 at the city as at the county: the HR office may not register offices, nothing written
for l in "$withoff" "$tmp/city3.ledger"; do
	before=$(state "$l")
	BIANZHI_OFFICE=$wudu_hr expect 3 'R15 error' "$bz" office add "$l" 陇南市武都区审计局 621202 hr
	grep -q "acting office: $wudu_hr" "$tmp/last" || fail "the refusal names no office: $(cat "$tmp/last")"
	[ "$(state "$l")" = "$before" ] || fail "a refused office changed $l"
done
# the same file as version 2 wrote it: imported without offices or identities; the version 3 file completes it
python3 - "$tmp/wudu3.jsonl" "$tmp/wudu2v.jsonl" <<'EOF' || fail "could not make the version 2 file"
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["type"] == "office":
        continue
    if r["type"] == "header":
        r["version"] = 2
    if r["type"] == "txn":
        del r["uuid"]
    if r["type"] == "end":
        del r["counts"]["office"]
        r["records"] = len(out) - 1
    out.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
EOF
expect 0 "added" "$bz" import-ledger --create "$tmp/city2v.ledger" "$tmp/wudu2v.jsonl"
expect 0 '^no offices' "$bz" office list "$tmp/city2v.ledger"
expect 4 "" "$bz" committed "$tmp/city2v.ledger" "$txn"
expect 0 "wudu3.jsonl: .*: 2 added \(0 change records\)" "$bz" import-ledger "$tmp/city2v.ledger" "$tmp/wudu3.jsonl"
expect 0 "621202	人社	$wudu_hr	" "$bz" office list "$tmp/city2v.ledger" 621202
expect 0 "" "$bz" committed "$tmp/city2v.ledger" "$txn"
expect 0 "" "$bz" verify "$tmp/city2v.ledger"

if [ "$fails" -eq 0 ]; then
	echo "tools_exchange: all passed"
	exit 0
fi
echo "tools_exchange: $fails failure(s)"
exit 1
