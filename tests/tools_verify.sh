#!/usr/bin/env bash
# tools_verify.sh LONGNAN BIANZHI: tamper evidence on the Longnan demo ledger — bianzhi head,
# bianzhi verify (alone and against a head signed off earlier), honest changes keeping an old
# head good, edits made behind the library with SQLite found with their position, usage errors.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger

# sql FILE STATEMENTS: SQLite on the file behind the library (python3's sqlite3: no sqlite3 shell needed)
sql() { python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()
r = c.execute('SELECT changes()').fetchone()" "$1" "$2"; }
one() { python3 -c "
import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"; }

"$longnan" "$ledger" >/dev/null || { echo "FAIL: the demo did not run"; exit 1; }

# the head: SEQ HASH, SEQ the last change record
expect 0 '^[0-9]+ [0-9a-f]{64}$' "$bz" head "$ledger"
read -r seq1 head1 <"$tmp/last"
[ "$seq1" = "$(one "$ledger" 'SELECT max(id) FROM event')" ] || fail "head: $seq1 is not the last change record"
expect 0 '^intact: the chain' "$bz" verify "$ledger"
grep -q '^0 violations' "$tmp/last" || fail "verify of the demo reports violations"
expect 0 "^intact: unchanged since the head of record $seq1\$" "$bz" verify "$ledger" --head "$head1" --seq "$seq1"

# an honest change moves the head; the old head still verifies
city_doc='中共陇南市委机构编制委员会:陇编发〔2012〕31号'
expect 0 'committed$' "$bz" set-param "$ledger" "$city_doc" vacancy_reserve.institution 20 2024-01-01
expect 0 '^[0-9]+ [0-9a-f]{64}$' "$bz" head "$ledger"
read -r seq2 head2 <"$tmp/last"
[ "$seq2" -gt "$seq1" ] && [ "$head2" != "$head1" ] || fail "head did not move with a commit ($seq1 $head1 → $seq2 $head2)"
expect 0 '^intact: unchanged since' "$bz" verify "$ledger" --head "$head1" --seq "$seq1"
expect 3 "CHAIN.*actual $seq1" "$bz" verify "$ledger" --head "$head2" --seq "$seq1"
grep -q '^tampered' "$tmp/last" || fail "a wrong head is not called tampering"

# behind the library: a fact's value changed (its trigger dropped first, as an attacker would)
cp "$ledger" "$tmp/a.ledger"
ev=$(one "$tmp/a.ledger" "SELECT event FROM fact WHERE attr='name' ORDER BY rowid LIMIT 1 OFFSET 5")
sql "$tmp/a.ledger" "DROP TRIGGER fact_no_update; UPDATE fact SET after=after || '（改）'
 WHERE rowid=(SELECT rowid FROM fact WHERE attr='name' ORDER BY rowid LIMIT 1 OFFSET 5)"
expect 3 "altered: change record #$ev differs from what was hashed at its commit: its facts" "$bz" verify "$tmp/a.ledger"
grep -q '^1 violation: 1 error' "$tmp/last" || fail "an altered fact is reported more than once: $(cat "$tmp/last")"
expect 3 "^tampered" "$bz" verify "$tmp/a.ledger" --head "$head2" --seq "$seq2"

# a change record deleted
cp "$ledger" "$tmp/d.ledger"
sql "$tmp/d.ledger" "DROP TRIGGER event_no_delete; DELETE FROM event WHERE id=7"
expect 3 "deleted: change record #7 was hashed at its commit but is no longer in the ledger" "$bz" verify "$tmp/d.ledger"
grep -q '^1 violation: 1 error' "$tmp/last" || fail "a deleted record is reported more than once"

# a change record inserted
cp "$ledger" "$tmp/i.ledger"
sql "$tmp/i.ledger" "INSERT INTO event(txn, kind, subject, unit, effective) SELECT txn, kind, subject, unit, '2024-06-01'
 FROM event WHERE id=(SELECT max(id) FROM event)"
expect 3 "inserted: change record #$((seq2 + 1)) has no hash" "$bz" verify "$tmp/i.ledger"

# a counter edited: no change record explains it
cp "$ledger" "$tmp/c.ledger"
sql "$tmp/c.ledger" "UPDATE tl SET value=value+1 WHERE counter IN (SELECT id FROM counter WHERE key LIKE 'U:%:staff:%' ORDER BY id LIMIT 1)"
expect 3 '账实不符' "$bz" verify "$tmp/c.ledger"
grep -q 'CHAIN' "$tmp/last" && fail "a counter edit is reported as a change record's"

# a past breakpoint of a counter edited (an establishment before its later change): today's figures are
# right, the counter's timeline is not — verify names the counter, the day and both figures
cp "$ledger" "$tmp/p.ledger"
key=$(one "$tmp/p.ledger" "SELECT c.key FROM counter c JOIN tl t ON t.counter=c.id WHERE c.key LIKE 'U:%:est:%'
 GROUP BY c.id HAVING count(*)=2 ORDER BY c.key LIMIT 1")
day=$(one "$tmp/p.ledger" "SELECT min(effective) FROM tl WHERE counter=(SELECT id FROM counter WHERE key='$key')")
was=$(one "$tmp/p.ledger" "SELECT value FROM tl WHERE counter=(SELECT id FROM counter WHERE key='$key') AND effective='$day'")
sql "$tmp/p.ledger" "UPDATE tl SET value=value+5 WHERE counter=(SELECT id FROM counter WHERE key='$key') AND effective='$day'"
expect 3 "^INTEGRITY error $day: .* \\[$key\\] allowed $was, actual $((was + 5))\$" "$bz" verify "$tmp/p.ledger"
grep -q "the counter $key says $((was + 5)) on $day, but the records .* give $was (the first day" "$tmp/last" ||
	fail "verify does not say the counter's first differing day: $(cat "$tmp/last")"
grep -q '^1 violation: 1 error' "$tmp/last" || fail "a past breakpoint is reported other than once: $(cat "$tmp/last")"
expect 0 '^0 violations' "$bz" check "$tmp/p.ledger"
# a future-dated breakpoint inserted
cp "$ledger" "$tmp/f.ledger"
now=$(one "$tmp/f.ledger" "SELECT value FROM tl WHERE counter=(SELECT id FROM counter WHERE key='$key') ORDER BY effective DESC LIMIT 1")
sql "$tmp/f.ledger" "INSERT INTO tl(counter, effective, value) SELECT id, '2031-01-01', 99 FROM counter WHERE key='$key'"
expect 3 "^INTEGRITY error 2031-01-01: .* \\[$key\\] allowed $now, actual 99\$" "$bz" verify "$tmp/f.ledger"

# usage and errors
expect 2 '--head and --seq go together' "$bz" verify "$ledger" --head "$head1"
expect 2 '64 hexadecimal digits' "$bz" verify "$ledger" --head abc --seq 1
expect 2 '' "$bz" verify "$ledger" --head "$head1" --seq -4
expect 1 'zz\.ledger' "$bz" verify "$tmp/zz.ledger"
expect 1 'zz\.ledger' "$bz" head "$tmp/zz.ledger"
expect 0 'exit 0 intact, 3 tampering found' "$bz" verify --help
expect 0 'sign off' "$bz" head --help
expect 0 'verify.*tampering' "$bz" --help

[ "$fails" -eq 0 ] && echo "ok: bianzhi head, verify, verify --head and their error paths"
exit $((fails > 0))
