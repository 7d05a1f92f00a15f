#!/usr/bin/env bash
# tools_copy.sh COUNTY LONGNAN BIANZHI CLUSTER with-driver|without-driver: bianzhi copy SRC DST between an SQLite file and a
# PostgreSQL schema (one throwaway cluster, tests/pg_cluster.sh), and back: the reports' county
# (50 units, 1,000 people, tests/report_county) and the Longnan demo go file → server → file, and
# the file that comes back holds every table's rows as the first (meta, the ledger's own identity,
# aside), the Longnan demo with an archive grown to files of odd sizes (one ~3 MB) filed under categories:
# every file comes back byte for byte under its UUID, from the server too, and verifies (bz_files_copy);
# the chain verifies and the check finds the same on each; a DST that exists or holds
# change records is refused (exit 3) with nothing written; a password in a URI is never printed.
set -uo pipefail
county=$1 longnan=$2 bz=$3 cluster=$4 driver=${5:-with-driver}
if [ "$driver" != with-driver ]; then
	echo "tools_copy: SKIP: the library is built without the PostgreSQL driver (libpq)"
	exit 77
fi
. "$(dirname "$0")/tools_lib.sh"
tmp=$(mktemp -d)
chmod 755 "$tmp"
envs=$(bash "$cluster" start --watch $$)
st=$?
if [ "$st" = 77 ]; then
	rm -rf "$tmp"
	echo "tools_copy: SKIP: no PostgreSQL 15 server binaries (apt-get install postgresql-15)"
	exit 77
fi
[ "$st" = 0 ] || { rm -rf "$tmp"; echo "tools_copy: the cluster did not start" >&2; exit 1; }
eval "$envs"
trap 'bash "$cluster" stop "$BZ_PG_DIR"; rm -rf "$tmp"' EXIT
uri() { case "$BZ_PG_URI" in *\?*) echo "$BZ_PG_URI&schema=$1";; *) echo "$BZ_PG_URI?schema=$1";; esac; }

# every table of two SQLite ledgers the same rows (each column as text, blobs as hex), but:
#  - meta: each ledger's own identity;
#  - event_origin, txn_origin: compared resolved — a change record (transaction) of the source with no
#    origin row is the source's own, (its identity, its number); the copy stores that origin explicitly;
#  - counter, tl: compared as values — every counter the same value on every date either changes it (the
#    import recomputes them; the source's may keep a breakpoint that does not change the value);
#  - file_blob: ids are the copy's own; compared as the bytes each file_hash names (their SHA-256 again).
# document_file, file_hash, document_tag and archive_category are compared row by row like the rest: the
# archive travels (the filings and categories with their change records, the bytes by bz_files_copy).
same_tables() {
	python3 - "$1" "$2" <<'PY' || fail "tables differ: $1 $2"
import sqlite3, sys
a, b = (sqlite3.connect(p) for p in sys.argv[1:3])
def rows(db, t):
    cols = db.execute("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", (t,)).fetchall()
    sel = ", ".join(f'hex("{c}")' if ty == "BLOB" else f'CAST("{c}" AS TEXT)' for c, ty in cols)
    return db.execute(f'SELECT {sel} FROM "{t}" ORDER BY ' + ", ".join(str(i + 1) for i in range(len(cols)))).fetchall()
special = {"meta", "event_origin", "txn_origin", "counter", "tl", "file_blob", "file_hash"}
tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")]
assert len(tables) > 30, tables
bad = [t for t in tables if t not in special and rows(a, t) != rows(b, t)]
assert not bad, bad
self = a.execute("SELECT value FROM meta WHERE key='ledger'").fetchone()[0]
def origins(db):
    ev = db.execute("SELECT e.id, COALESCE(o.ledger, ?1), COALESCE(o.seq, e.id) FROM event e"
                    " LEFT JOIN event_origin o ON o.event=e.id ORDER BY e.id", (self,)).fetchall()
    tx = db.execute("SELECT t.id, COALESCE(o.ledger, ?1), COALESCE(o.id, t.id) FROM txn_log t"
                    " LEFT JOIN txn_origin o ON o.txn=t.id ORDER BY t.id", (self,)).fetchall()
    return ev, tx
assert origins(a) == origins(b), "origins"
assert len(origins(a)[0]) > 100
def series(db):
    s = {}
    for k, e, v in db.execute("SELECT c.key, t.effective, t.value FROM counter c JOIN tl t ON t.counter=c.id ORDER BY 1, 2"):
        s.setdefault(k, []).append((e, v))
    return s
def at(ser, d):
    v = 0
    for e, x in ser:
        if e <= d:
            v = x
    return v
sa, sb = series(a), series(b)
points = 0
for k in set(sa) | set(sb):
    for d in {e for e, _ in sa.get(k, [])} | {e for e, _ in sb.get(k, [])}:
        assert at(sa.get(k, []), d) == at(sb.get(k, []), d), (k, d)
        points += 1
assert points > 20, points
import hashlib
def stored(db):
    out = {}
    for sha, size, data in db.execute("SELECT h.sha256, h.size, b.data FROM file_hash h JOIN file_blob b ON b.id=h.blob"):
        assert hashlib.sha256(data).hexdigest() == sha and len(data) == size, sha
        out[sha] = size
    return out
assert stored(a) == stored(b), "stored files"
assert len(stored(a)) == a.execute("SELECT count(*) FROM file_blob").fetchone()[0], "a staged blob left"
assert len(stored(b)) == b.execute("SELECT count(*) FROM file_blob").fetchone()[0], "a staged blob left in the copy"
PY
}

# the archive of the Longnan demo grown: files of odd sizes around PostgreSQL's 1 MiB chunk (none, 1 byte, 1 MiB,
# 1 MiB + 1, ~3 MB), the same bytes on two documents (stored once), documents filed under categories
W=中共武都区委机构编制委员会:武编发〔2015〕8号 C=中共成县县委机构编制委员会:成编发〔2016〕3号 G=中共甘肃省委机构编制委员会:甘编发〔2012〕15号
grow_archive() {
	python3 - "$tmp/f" <<'PY' || fail "making the files"
import os, random, sys
os.makedirs(sys.argv[1], exist_ok=True)
r = random.Random(13)
for name, n in (("empty.txt", 0), ("one.bin", 1), ("chunk.pdf", 1 << 20), ("chunk1.pdf", (1 << 20) + 1), ("scan.ofd", 3145739)):
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(r.randbytes(n))
PY
	expect 0 "" "$bz" attach "$1" "$W" "$tmp/f/empty.txt" "$tmp/f/one.bin" "$tmp/f/scan.ofd"
	expect 0 "" "$bz" attach "$1" "$C" "$tmp/f/chunk.pdf" "$tmp/f/chunk1.pdf" "$tmp/f/one.bin" --category SMZ --year 2017
	expect 0 "" "$bz" attach "$1" "$G" "$tmp/f/scan.ofd" --name 扫描件.ofd --category HC
}

# every file of DOC on LEDGER written out to DIR, byte for byte those attached, and listed as on the source
same_files() {
	local ledger=$1 doc=$2 dir=$3
	mkdir -p "$dir"
	expect 0 "" "$bz" files "$ledger" "$doc" --output "$dir"
	for f in "$dir"/*; do
		case "$(basename "$f")" in
		扫描件.ofd) cmp -s "$f" "$tmp/f/scan.ofd" || fail "$ledger: $f differs" ;;
		*.txt | *.bin | *.pdf | *.ofd) [ ! -e "$tmp/f/$(basename "$f")" ] || cmp -s "$f" "$tmp/f/$(basename "$f")" ||
			fail "$ledger: $f differs" ;;
		esac
	done
	cmp -s <("$bz" files "$tmp/longnan.ledger" "$doc" --format json) <("$bz" files "$ledger" "$doc" --format json) ||
		fail "$ledger: the files of $doc differ from the source's"
}

for src in county longnan; do
	if [ $src = county ]; then "$county" "$tmp/$src.ledger" >"$tmp/build.out" 2>&1; else "$longnan" "$tmp/$src.ledger" >"$tmp/build.out" 2>&1; fi ||
		{ cat "$tmp/build.out"; fail "building $src failed"; exit 1; }
	[ $src = longnan ] && grow_archive "$tmp/$src.ledger"
	nf=$([ $src = longnan ] && echo 8 || echo 0)
	expect 0 "record\(s\) copied .*, $nf file\(s\); new ledger [0-9a-f-]{36}" "$bz" copy "$tmp/$src.ledger" "$(uri "$src")"
	grep -q "the files verify: yes ($nf)" "$tmp/last" || fail "copy: $(cat "$tmp/last")"
	out=$("$bz" copy "$(uri "$src")" "$tmp/$src.back.ledger" 2>&1) || fail "copy back: $out"
	grep -q "the chain verifies: yes; the files verify: yes ($nf); the full check: 0 error(s)" <<<"$out" ||
		fail "copy back: $out"
	grep -q ", $nf file(s);" <<<"$out" || fail "copy back: $out"
	same_tables "$tmp/$src.ledger" "$tmp/$src.back.ledger"
	if [ $src = longnan ]; then
		for d in "$W" "$C" "$G"; do
			same_files "$(uri "$src")" "$d" "$tmp/out.pg.$RANDOM"
			same_files "$tmp/$src.back.ledger" "$d" "$tmp/out.back.$RANDOM"
		done
		# the archive exported from the server's copy verifies against its own index, as the source's does
		expect 0 "" "$bz" archive "$(uri "$src")" -o "$tmp/pg-archive.zip"
		expect 0 "" "$bz" archive --verify "$tmp/pg-archive.zip"
	fi
	# the same check and the same change feed (numbers, kinds, subjects) on the file and its copy back (the
	# server's check and verify: the copy's own lines above)
	[ "$("$bz" check "$tmp/$src.ledger" 2>&1 | tail -1)" = "$("$bz" check "$tmp/$src.back.ledger" 2>&1 | tail -1)" ] ||
		fail "check differs: $src"
	expect 0 "" "$bz" verify "$tmp/$src.back.ledger"
	[ "$("$bz" changes "$tmp/$src.ledger" --since 0 | wc -l)" -gt 100 ] || fail "$src: few change records"
	cmp -s <("$bz" changes "$tmp/$src.ledger" --since 0) <("$bz" changes "$tmp/$src.back.ledger" --since 0) ||
		fail "$src: the change feed differs after the round trip"
done

# refused, nothing written: a DST file that exists, a schema holding change records, a missing SRC
before=$(cksum <"$tmp/longnan.back.ledger")
expect 3 "exists; a copy goes into a new ledger" "$bz" copy "$tmp/county.ledger" "$tmp/longnan.back.ledger"
[ "$(cksum <"$tmp/longnan.back.ledger")" = "$before" ] || fail "an existing DST was written"
expect 3 "holds a ledger with [0-9]+ change record\(s\)" "$bz" copy "$tmp/county.ledger" "$(uri longnan)"
expect 1 "no such ledger" "$bz" copy "$tmp/none.ledger" "$tmp/none2.ledger"
[ ! -e "$tmp/none2.ledger" ] || fail "a DST was made for a missing SRC"
expect 2 "" "$bz" copy "$tmp/county.ledger"
# a password in a URI is never printed (the server trusts the socket: the password is not needed)
out=$("$bz" copy "$tmp/longnan.ledger" "$(uri pw)&password=sekrit9" 2>&1) || fail "copy with a password: $out"
grep -q "password=\*\*\*" <<<"$out" || fail "the URI not shown redacted: $out"
! grep -q sekrit9 <<<"$out" || fail "the password printed: $out"
out=$("$bz" copy "$(uri pw)&password=sekrit9" "$tmp/longnan.ledger" 2>&1)
! grep -q sekrit9 <<<"$out" || fail "the password printed: $out"
expect 0 "Copy a whole ledger" "$bz" copy --help

if [ "$fails" -eq 0 ]; then
	echo "tools_copy: all passed"
	exit 0
fi
echo "tools_copy: $fails failure(s)"
exit 1
