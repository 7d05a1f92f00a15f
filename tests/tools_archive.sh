#!/usr/bin/env bash
# tools_archive.sh LONGNAN BIANZHI: the files behind the documents on the Longnan demo ledger
# (built by examples/longnan, which attaches the scan of 武编发〔2015〕8号 and exports 武都区教育局's
# archive): bianzhi attach, files, archive -o DIR|FILE.zip, archive --verify; every file
# compared with its source byte for byte, the index read back, tampering found, error paths
# writing nothing.
set -uo pipefail
longnan=$1
bz=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tools_lib.sh"
ledger=$tmp/longnan.ledger

count() { sqlite3 "$ledger" "SELECT count(*) FROM $1" 2>/dev/null || python3 -c "
import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM ' + sys.argv[2]).fetchone()[0])" "$ledger" "$1"; }

"$longnan" "$ledger" >"$tmp/demo.out" || { echo "FAIL: the demo did not run"; exit 1; }
grep -q "武都区教育局's archive: .*1 file(s).*verified: every file as its index says" "$tmp/demo.out" ||
	fail "the demo does not export and verify the unit's archive"
[ -f "$ledger.archive.zip" ] || fail "the demo left no archive beside the ledger"
wudu='中共武都区委机构编制委员会:武编发〔2015〕8号'
city='中共陇南市委机构编制委员会:陇编发〔2014〕12号'

# the demo's scan, listed and written out: a PDF
expect 0 '扫描件\.pdf +[0-9]+ bytes +SHA-256 [0-9a-f]{64}' "$bz" files "$ledger" "$wudu"
grep -q 'filed under JGGG, 2015' "$tmp/last" || fail "files does not say where the document is filed"
mkdir "$tmp/out"
expect 0 '^1 file written to' "$bz" files "$ledger" "$wudu" --output "$tmp/out"
head -c 8 "$tmp/out/武编发〔2015〕8号 扫描件.pdf" | grep -q '%PDF-1.4' || fail "the demo's scan is not a PDF"
tail -c 6 "$tmp/out/武编发〔2015〕8号 扫描件.pdf" | grep -q '%%EOF' || fail "the demo's PDF has no %%EOF"
expect 1 'exists' "$bz" files "$ledger" "$wudu" --output "$tmp/out"

# two scans attached in one go, one of them twice: stored once; the change record carries the hash
python3 -c "import os,sys; open(sys.argv[1],'wb').write(b'%PDF-1.4\n' + os.urandom(300000))" "$tmp/批复.pdf"
printf '%%PDF-1.4 minutes of the 2014 meeting\n' >"$tmp/纪要.pdf"
sha=$(sha256sum "$tmp/批复.pdf" | cut -d' ' -f1)
blobs=$(count file_blob)
expect 0 "批复\\.pdf, 300009 bytes, SHA-256 $sha" "$bz" attach "$ledger" "$city" "$tmp/批复.pdf" "$tmp/纪要.pdf"
expect 0 "SHA-256 $sha" "$bz" attach "$ledger" "$wudu" "$tmp/批复.pdf" --name '批复副本.pdf' --category JGGG
[ "$(count file_blob)" -eq $((blobs + 2)) ] || fail "the same scan twice was stored twice ($(count file_blob) blobs, had $blobs)"
"$bz" changes "$ledger" --since 0 --format json | grep -c '"document.attach"' | grep -qx 4 ||
	fail "four document.attach records expected in the feed"
"$bz" changes "$ledger" --since 0 --format json | grep '"document.attach"' | grep -q "$sha" ||
	fail "the attach record does not carry the SHA-256"
# beside each change of a unit, the files of its document
expect 0 'file: 批复副本\.pdf \(300009 bytes' "$bz" changes "$ledger" 武都区教育局

# bad input writes nothing
events=$("$bz" changes "$ledger" --since 0 --format json | wc -l)
cp "$tmp/纪要.pdf" "$tmp/附件.pdf"
expect 1 'no-such\.pdf: No such file or directory' "$bz" attach "$ledger" "$city" "$tmp/附件.pdf" "$tmp/no-such.pdf"
grep -q 'nothing was attached' "$tmp/last" || fail "a failed attach does not say nothing was attached"
chmod 000 "$tmp/纪要.pdf"
if [ "$(id -u)" -ne 0 ]; then
	expect 1 'Permission denied' "$bz" attach "$ledger" "$city" "$tmp/纪要.pdf"
fi
chmod 644 "$tmp/纪要.pdf"
expect 1 'directory' "$bz" attach "$ledger" "$city" "$tmp"
expect 1 'no such document|not found' "$bz" attach "$ledger" '陇南市教育局:陇教发〔2099〕1号' "$tmp/纪要.pdf"
expect 1 'already has a file named 纪要\.pdf' "$bz" attach "$ledger" "$city" "$tmp/纪要.pdf"
expect 1 'no archive category NOPE' "$bz" attach "$ledger" "$city" --category NOPE
expect 2 '^usage:|--name names one file' "$bz" attach "$ledger" "$city" "$tmp/纪要.pdf" "$tmp/批复.pdf" --name x.pdf
[ "$("$bz" changes "$ledger" --since 0 --format json | wc -l)" -eq "$events" ] || fail "a refused attach wrote records"

# archives: a zip of the unit, a folder of the jurisdiction, by category and year; verified
expect 0 '^.*教育局\.zip: 4 files and index\.csv, index\.json$' "$bz" archive "$ledger" --unit 武都区教育局 -o "$tmp/教育局.zip"
expect 0 'every one as its index says' "$bz" archive --verify "$tmp/教育局.zip"
python3 - "$tmp/教育局.zip" "$tmp/批复.pdf" <<'PY' || fail "the zip's index or files are not what was attached"
import csv, io, json, sys, zipfile, hashlib
z = zipfile.ZipFile(sys.argv[1])
rows = list(csv.DictReader(io.StringIO(z.read("index.csv").decode("utf-8-sig"))))
idx = json.loads(z.read("index.json"))
files = [r for r in rows if r["文件"]]
# 教育局 rests on 陇编发〔2014〕12号 (two scans) and 武编发〔2015〕8号 (the demo's and a copy)
assert len(files) == 4 and idx["files"] == 4, rows
src = open(sys.argv[2], "rb").read()
hit = [r for r in files if r["文件"].endswith("/批复副本.pdf")]
assert hit and z.read(hit[0]["文件"]) == src and hit[0]["SHA-256"] == hashlib.sha256(src).hexdigest()
assert hit[0]["文号"] == "武编发〔2015〕8号" and hit[0]["档案类别"] == "机构改革档案" and hit[0]["引用记录"]
for r in files:
    assert hashlib.sha256(z.read(r["文件"])).hexdigest() == r["SHA-256"]
PY
expect 0 ': [0-9]+ files and index' "$bz" archive "$ledger" --jurisdiction 621200 -o "$tmp/陇南市"
expect 0 'every one as its index says' "$bz" archive --verify "$tmp/陇南市"
expect 0 ': 2 files' "$bz" archive "$ledger" --category JGGG -o "$tmp/jggg.zip"
expect 0 ': 2 files' "$bz" archive "$ledger" --year 2014 -o "$tmp/2014"
expect 0 '^JGGG +机构改革档案$' "$bz" archive "$ledger" --categories
# tampered: a byte changed, a file added
f=$(find "$tmp/陇南市" -name '批复.pdf' | head -1)
python3 -c "import sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(1000); b = f.read(1); f.seek(1000); f.write(bytes([b[0] ^ 0xff]))" "$f"
echo extra >"$tmp/陇南市/extra.txt"
expect 3 '批复\.pdf: SHA-256' "$bz" archive --verify "$tmp/陇南市"
grep -q 'extra.txt: not in the index' "$tmp/last" || fail "verify does not name the file not in the index"
expect 1 'no readable index\.csv|index\.csv' "$bz" archive --verify "$tmp/out"
expect 1 'No such file' "$bz" archive --verify "$tmp/nothing.zip"
# the archive is never written over, nor half-written
expect 1 'exists' "$bz" archive "$ledger" --unit 武都区教育局 -o "$tmp/教育局.zip"
expect 1 'no such jurisdiction 629999' "$bz" archive "$ledger" --jurisdiction 629999 -o "$tmp/none"
[ -e "$tmp/none" ] && fail "a refused archive left $tmp/none"
expect 2 '^usage:|where to' "$bz" archive "$ledger" --unit 武都区教育局
expect 2 '^usage:|--verify takes' "$bz" archive --verify "$tmp/教育局.zip" --year 2014
expect 0 '^usage: bianzhi archive' "$bz" archive --help
expect 0 '^usage: bianzhi files' "$bz" files --help

# a stored file altered in the database: the self-inspection says so
python3 - "$ledger" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("DROP TRIGGER file_blob_no_update")
con.execute("UPDATE file_blob SET data = x'00' || substr(data, 2) WHERE id = (SELECT min(blob) FROM file_hash)")
con.commit()
PY
expect 3 '档案不符' "$bz" check "$ledger"
expect 1 'SHA-256|corrupt|damaged' "$bz" files "$ledger" "$wudu" --output "$tmp/out2"

[ "$fails" -eq 0 ] && echo "ok: bianzhi attach, files, archive, archive --verify and their error paths"
exit $((fails > 0))
