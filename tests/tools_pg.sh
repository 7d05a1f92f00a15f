#!/usr/bin/env bash
# tools_pg.sh LONGNAN BIANZHI: the bianzhi tool on a ledger in a PostgreSQL
# server (issue 13), run by meson under tests/pg_cluster.sh (a throwaway
# cluster; BZ_PG_URI set): the Longnan demo builds its ledger in a schema,
# then the main commands read and change it there through a URI, and a
# password given in the URI never appears in anything printed.
set -uo pipefail
longnan=$(realpath "$1")
bz=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
[ -n "${BZ_PG_URI:-}" ] || { echo "tools_pg: SKIP: BZ_PG_URI unset (run under tests/pg_cluster.sh run)"; exit 77; }
case $BZ_PG_URI in *\?*) sep='&' ;; *) sep='?' ;; esac
# the server trusts the socket: the password is never asked for, only carried
secret='Pg-s3cret-7f2e'
uri="$BZ_PG_URI${sep}schema=longnan_tools&password=$secret"
all=$tmp/all # everything every command printed, looked through for the password at the end

run() { expect "$@"; cat "$tmp/last" >>"$all"; }

(cd "$tmp" && "$longnan" "$uri") >"$tmp/demo.out" 2>&1 || { cat "$tmp/demo.out"; fail "the Longnan demo failed on a URI"; exit 1; }
cat "$tmp/demo.out" >>"$all"
grep -q 'the Longnan ledger in schema longnan_tools of a PostgreSQL server' "$tmp/demo.out" || fail "demo: no heading naming the schema"

# create: a new ledger in a schema; never over one that is there
new="$BZ_PG_URI${sep}schema=tools_new&password=$secret"
run 0 '^created postgresql://.*schema=tools_new.*\(schema version 14\)$' "$bz" create "$new"
run 1 'a ledger is there already' "$bz" create "$new"
run 1 'a ledger is there already' "$bz" create "$uri"
run 0 '^jurisdictions: +0$' "$bz" info "$new"
run 1 'exists; a new ledger is never made' "$bz" create "$tmp/demo.out"
run 0 '^created .*/made.ledger \(schema version 14\)$' "$bz" create "$tmp/made.ledger"

run 0 '^schema version: 14$' "$bz" info "$uri"
grep -Eq '^jurisdictions: +1[01]$' "$tmp/last" || fail "info: not the city, its nine counties (and the province)"
grep -q '^ledger: .*password=\*\*\*' "$tmp/last" || fail "info: the ledger's URI not shown redacted"
run 0 '^  621200 陇南市$' "$bz" units "$uri"
grep -q '621202 武都区' "$tmp/last" || fail "units: 武都区 missing"
edu=$("$bz" units "$uri" 621202 | awk '$2 == "武都区教育局" {print $1}')
[ ${#edu} -eq 36 ] || fail "no UUID for 武都区教育局"
run 0 '^#[0-9]+ [0-9]{4}-[0-9]{2}-[0-9]{2} unit.establish  document ' "$bz" changes "$uri" "$edu"
run 0 '^[0-9]+ violations?: 0 errors, [0-9]+ warnings?$' "$bz" check "$uri"

# changes on a document, each one transaction on the server; a refusal writes nothing
city_doc='中共陇南市委机构编制委员会:陇编发〔2012〕31号'
run 0 '^vacancy_reserve.institution = 15$' "$bz" param "$uri" vacancy_reserve.institution
run 0 'committed$' "$bz" set-param "$uri" "$city_doc" vacancy_reserve.institution 20 2024-01-01
run 0 '^vacancy_reserve.institution = 20$' "$bz" param "$uri" vacancy_reserve.institution
run 3 '^R1 error 2025-01-01: 武都区教育局 \[XZ\]' "$bz" freeze "$uri" "$city_doc" "$edu" XZ 30 2025-01-01
run 0 '^frozen XZ: 0$' "$bz" frozen "$uri" "$edu" XZ
run 0 'committed$' "$bz" freeze "$uri" "$city_doc" "$edu" XZ 5 2025-01-01
run 0 '^frozen XZ: 5$' "$bz" frozen "$uri" "$edu" XZ
run 0 'committed$' "$bz" set-plan "$uri" "$city_doc" "$edu" 2026 4
run 0 '^hiring plan 2026: 4$' "$bz" plan "$uri" 武都区教育局 2026
run 0 'committed$' "$bz" grant "$uri" "$city_doc" R1 "$edu" 2026-01-01
run 0 ' 0 errors' "$bz" check "$uri"

# reports, the change feed, the hash chain
run 0 '武都区教育局' "$bz" report "$uri" table1 --jurisdiction 621202 --date 2021-06-30 --format csv
run 0 '武都区教育局' "$bz" report "$uri" table3 --unit 武都区教育局 --date 2021-06-30 --format json
"$bz" changes "$uri" --since 0 --format json >"$tmp/feed.jsonl" 2>>"$all" || fail "changes --since 0 failed"
jsonl "$tmp/feed.jsonl" 'len(recs) > 50 and len(recs) == len(set(r["seq"] for r in recs)) and any(r["subject"] == "'"$edu"'" for r in recs)'
# on a server numbers are unique, the order is commit order: go on from the last read; a number no record has is refused
last=$(tail -1 "$tmp/feed.jsonl" | python3 -c 'import json, sys; print(json.load(sys.stdin)["seq"])')
run 0 "^0 change records after #$last; next time: --since $last\$" "$bz" changes "$uri" --since "$last"
run 1 'no committed change record has sequence number 987654321: ask from a number the feed gave' "$bz" changes "$uri" --since 987654321
run 0 '^[0-9]+ [0-9a-f]{64}$' "$bz" head "$uri"
read -r seq hash <"$tmp/last"
run 0 'intact' "$bz" verify "$uri"
run 0 'intact' "$bz" verify "$uri" --head "$hash" --seq "$seq"
run 4 'not committed$' "$bz" committed "$uri" 00000000-0000-4000-8000-000000000000
run 0 '^placement +yes +yes +yes +yes' "$bz" office powers "$uri"

# what is for files says so, naming no password
run 1 'pg_dump' "$bz" backup "$uri" "$tmp/copy.ledger"
[ -e "$tmp/copy.ledger" ] && fail "backup of a server's ledger left a file"
run 1 'pg_dump' "$bz" restore "$uri" "$tmp/made.ledger"
run 1 'pg_restore' "$bz" restore "$tmp/made.ledger" "$uri"
run 0 '^schema version: 14$' "$bz" info "$uri"

# a schema without a ledger, a server that is not there: refused, nothing made, no password
none="$BZ_PG_URI${sep}schema=tools_none&password=$secret"
# the tool says how its user makes one (bianzhi create), not how a program does (BZ_OPEN_CREATE)
run 1 'no ledger schema "tools_none" .*`bianzhi create LEDGER` makes a new ledger there' "$bz" info "$none"
grep -q BZ_OPEN_CREATE "$tmp/last" && fail "the tool's user shown the library's flag: $(cat "$tmp/last")"
# a schema that is there but empty (made by hand): the same
"${BZ_PG_BIN:-/usr/lib/postgresql/15/bin}/psql" -qX "$BZ_PG_URI" -c 'CREATE SCHEMA tools_empty' >/dev/null 2>&1 ||
	fail "psql could not make an empty schema"
run 1 'tools_empty.* holds no ledger \(not a libbianzhi ledger\); `bianzhi create LEDGER` makes a new ledger there' \
	"$bz" units "$BZ_PG_URI${sep}schema=tools_empty&password=$secret"
grep -q BZ_OPEN_CREATE "$tmp/last" && fail "the tool's user shown the library's flag: $(cat "$tmp/last")"
run 0 '^created postgresql://.*schema=tools_empty' "$bz" create "$BZ_PG_URI${sep}schema=tools_empty&password=$secret"
run 1 'tools_none' "$bz" set-param "$none" "$city_doc" vacancy_reserve.institution 20 2024-01-01
run 1 '^bianzhi: .*tools_none' "$bz" create "$BZ_PG_URI${sep}schema=tools_none&password=$secret&port=1"
run 1 'tools_none' "$bz" info "$none"
bad="postgresql://wang:$secret@/postgres?host=$tmp/nosock&schema=x"
run 1 'wang:\*\*\*@' "$bz" info "$bad"

grep -q -- "$secret" "$all" && fail "the password was printed: $(grep -- "$secret" "$all" | head -3)"
[ "$fails" -eq 0 ] && echo "ok: the Longnan demo and bianzhi create, info, units, changes, check, param, set-param, freeze, frozen, set-plan, plan, grant, report, head, verify, committed, office, backup/restore refusals on a postgresql:// URI, no password printed"
exit $((fails > 0))
