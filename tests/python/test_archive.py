"""The files behind the documents (archive.h): Transaction.attach from paths and file objects,
Ledger.open_file as a binary file object, verify_files, archive categories, export_archive and
verify_archive."""
import csv
import hashlib
import io
import json
import os
import zipfile

import pytest

import bianzhi
from conftest import behind


def scan_bytes(n, seed):
    """n bytes that look like a scan: a PDF header, then pseudo-random bytes."""
    head = b"%PDF-1.4\n"
    x = seed * 2654435761 + 1
    out = bytearray(head)
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0xffffffff
        out.append((x >> 16) & 0xff)
    return bytes(out[:n])


class NoSeek(io.RawIOBase):
    """A stream that cannot seek (a pipe, a socket): attach must spool it."""

    def __init__(self, data):
        self._b = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, b):
        return self._b.readinto(b)


@pytest.fixture
def county(ln):
    l = ln.ledger
    ln.whg = ln.unit("武都区文化馆", nature=bianzhi.Nature.INSTITUTION, rank=bianzhi.Rank.ZHENGGU,
                     doc=ln.county_doc, founded="2014-07-01")
    with l.transaction("王科长", "武都区委编办", document=ln.county_doc) as t:
        t.set_establishment(ln.whg, "SY", 8, "2014-07-01")
        ln.memo = t.register_document("武都区机构编制委员会", "武编纪〔2014〕3号", "2014年第三次编委会议纪要",
                                      "2014-06-12", bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT, "621202")
    return ln


def test_attach_path_and_read_back(county, tmp_path):
    l = county.ledger
    data = scan_bytes(700_000, 1)
    src = tmp_path / "批复扫描件.pdf"
    src.write_bytes(data)
    with l.transaction("王科长", "武都区委编办") as t:
        f = t.attach(county.county_doc, src)
    assert isinstance(f, bianzhi.File)
    assert f.name == "批复扫描件.pdf" and f.size == len(data)
    assert f.sha256 == hashlib.sha256(data).hexdigest()
    assert f.document == county.county_doc.uuid
    assert str(f.attached) == "2026-12-01"
    # the change record that attached it carries the hash
    rec = next(c for c in l.subject_changes(county.county_doc) if c.kind == "document.attach")
    assert rec.seq == f.seq
    assert dict((a.name, a.after) for a in rec.attributes)["sha256"] == f.sha256
    # a binary file object, read in pieces of any size
    with l.open_file(f) as r:
        assert r.readable() and r.name == "批复扫描件.pdf"
        head = r.read(9)
        assert head == b"%PDF-1.4\n"
        rest = r.read()
    assert head + rest == data
    with l.open_file(f.uuid) as r:
        chunks = iter(lambda: r.read(4093), b"")
        assert b"".join(chunks) == data
    assert l.files(county.county_doc) == [f]
    out = tmp_path / "out.pdf"
    l.export_file(f, out)
    assert out.read_bytes() == data
    with pytest.raises(bianzhi.Exists):
        l.export_file(f, out)
    assert l.verify_files() == (1, [])


def test_attach_file_objects_stored_once(county):
    l = county.ledger
    data = scan_bytes(300_000, 2)
    with l.transaction("王科长", "武都区委编办") as t:
        a = t.attach(county.county_doc, io.BytesIO(data), "附件一.pdf")
        b = t.attach(county.memo, NoSeek(data), "纪要附件.pdf")
        c = t.attach(county.city_doc, io.BytesIO(b"abc"), "abc.txt")
    assert a.sha256 == b.sha256 == hashlib.sha256(data).hexdigest()
    assert c.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert county.count("file_blob") == 2
    assert county.count("document_file") == 3
    # a file object read from where it stands
    stream = io.BytesIO(b"JUNK" + data)
    stream.seek(4)
    with l.transaction("王科长", "武都区委编办") as t:
        d = t.attach(county.business_doc, stream, "通知附件.pdf")
    assert d.sha256 == a.sha256 and county.count("file_blob") == 2


def test_bad_input_refused_nothing_written(county, tmp_path):
    l = county.ledger
    before = (county.count("file_blob"), county.count("document_file"), county.count("event"))
    with l.transaction("王科长", "武都区委编办") as t:
        with pytest.raises(bianzhi.LedgerIOError) as e:
            t.attach(county.county_doc, tmp_path / "no-such.pdf")
        assert e.value.errno == 2 and "no-such.pdf" in str(e.value)
        with pytest.raises(bianzhi.LedgerIOError):
            t.attach(county.county_doc, tmp_path)  # a directory
        with pytest.raises(bianzhi.NotFound):
            t.attach("3f1c5b7e-0000-4000-8000-000000000000", io.BytesIO(b"x"), "x.pdf")
        with pytest.raises(bianzhi.InvalidArgument):
            t.attach(county.county_doc, io.BytesIO(b"x"))  # no name
        with pytest.raises(bianzhi.InvalidArgument):
            t.attach(county.county_doc, io.BytesIO(b"x"), "a/b.pdf")
        with pytest.raises(TypeError):
            t.attach(county.county_doc, 42, "x.pdf")

        class Broken(io.RawIOBase):
            def readable(self):
                return True

            def seekable(self):
                return True

            def seek(self, pos, whence=0):
                return 10 if whence == io.SEEK_END else 0

            def tell(self):
                return 0

            def readinto(self, b):
                raise OSError(5, "the scanner went away")

        with pytest.raises(OSError):
            t.attach(county.county_doc, Broken(), "broken.pdf")
    assert (county.count("file_blob"), county.count("document_file"), county.count("event")) == before


def test_altered_file_noticed(county, tmp_path):
    l = county.ledger
    data = scan_bytes(200_000, 3)
    with l.transaction("王科长", "武都区委编办") as t:
        f = t.attach(county.county_doc, io.BytesIO(data), "批复.pdf")
    # someone with the database (sqlite3 on the file, psql on the server) changes one byte of the scan
    behind(county.path, "DROP TRIGGER file_blob_no_update;"
           " UPDATE file_blob SET data = substr(data, 1, 99) || x'ff' || substr(data, 101)",
           "ALTER TABLE file_chunk DISABLE TRIGGER file_chunk_append_only;"
           " UPDATE file_chunk SET data = set_byte(data, 99, (get_byte(data, 99) + 1) % 256) WHERE n=0")
    checked, problems = l.verify_files()
    assert checked == 1 and len(problems) == 1
    assert "武编发〔2013〕5号 批复.pdf" in problems[0] and f.sha256 in problems[0]
    report = l.check("2026-12-01")
    v = [v for v in report.errors if v.rule == bianzhi.Rule.INTEGRITY]
    assert len(v) == 1 and v[0].subject == f.uuid and v[0].document == county.county_doc.uuid
    with l.open_file(f) as r, pytest.raises(bianzhi.Corrupt):
        r.read()
    with pytest.raises(bianzhi.Corrupt):
        l.export_file(f, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_categories_filing_and_archives(county, tmp_path):
    l = county.ledger
    cats = {c.code: c.name for c in l.archive_categories()}
    assert cats["SMZ"] == "机构编制实名制管理档案" and cats["LXHY"] == "联席会议记录" and len(cats) == 11
    data = scan_bytes(50_000, 4)
    with l.transaction("王科长", "武都区委编办") as t:
        t.add_archive_category("ZDGZ", "重点工作台账档案")
        t.attach(county.county_doc, io.BytesIO(data), "设立批复.pdf")
        t.attach(county.memo, io.BytesIO(b"%PDF-1.4 minutes"), "纪要.pdf")
        t.file_under(county.memo, "BWHY")
        t.file_under(county.county_doc, "ZDGZ", 2014)
    assert l.filed(county.memo) == ("BWHY", 2014)
    assert l.filed(county.city_doc) == (None, 1990)
    assert "ZDGZ" in {c.code for c in l.archive_categories()}
    with pytest.raises(bianzhi.NotFound):
        with l.transaction("王科长", "武都区委编办") as t:
            t.file_under(county.memo, "NOPE")

    # the unit's archive as a zip: the document its changes rest on, index in CSV and JSON
    z = tmp_path / "文化馆.zip"
    assert l.export_archive(z, unit=county.whg) == 1
    with zipfile.ZipFile(z) as zf:
        names = zf.namelist()
        assert "index.csv" in names and "index.json" in names
        entry = next(n for n in names if n.endswith("/设立批复.pdf"))
        assert zf.read(entry) == data
        assert entry.startswith("1990-01-10 武编发〔2013〕5号 ")
        rows = list(csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8-sig"))))
        index = json.loads(zf.read("index.json"))
    assert len(rows) == 1
    assert rows[0]["文号"] == "武编发〔2013〕5号" and rows[0]["档案类别"] == "重点工作台账档案"
    assert rows[0]["年度"] == "2014" and rows[0]["SHA-256"] == hashlib.sha256(data).hexdigest()
    assert rows[0]["文件"] == entry
    cited = [c.seq for c in l.changes(county.whg)]
    assert [int(x) for x in rows[0]["引用记录"].split()] == cited
    assert index["entries"][0]["records"] == cited and index["files"] == 1
    assert bianzhi.verify_archive(z) == (1, [])

    # by category, as a folder; tampered afterwards
    d = tmp_path / "编委会议纪要"
    assert l.export_archive(d, category="BWHY") == 1
    assert bianzhi.verify_archive(d) == (1, [])
    (f,) = [p for p in d.rglob("纪要.pdf")]
    f.write_bytes(b"%PDF-1.4 minutes, edited")
    checked, problems = bianzhi.verify_archive(d)
    assert checked == 1 and len(problems) == 1 and "纪要.pdf: SHA-256" in problems[0]
    with pytest.raises(bianzhi.Exists):
        l.export_archive(d, category="BWHY")
    with pytest.raises(bianzhi.InvalidArgument):
        bianzhi.verify_archive(tmp_path)
    with pytest.raises(bianzhi.NotFound):
        l.export_archive(tmp_path / "x", jurisdiction="629999")
    assert l.export_archive(tmp_path / "y2014", year=2014) == 2


def test_copy_carries_the_files(county, tmp_path):
    """export + import_ledger carry the records (categories, filings, attachments); copy_files_from the bytes."""
    l = county.ledger
    big, small = scan_bytes(3_000_017, 7), scan_bytes(1, 8)
    with l.transaction("王科长", "武都区委编办") as t:
        t.add_archive_category("ZDGZ", "重点工作台账档案")
        fb = t.attach(county.county_doc, io.BytesIO(big), "扫描件.ofd")
        fs = t.attach(county.memo, io.BytesIO(small), "纪要.pdf")
        fd = t.attach(county.memo, io.BytesIO(big), "附件.ofd")  # the same bytes: stored once
        t.file_under(county.county_doc, "ZDGZ", 2014)
    x = tmp_path / "all.jsonl"
    l.export(x)
    with bianzhi.open(tmp_path / "copy.ledger", clock="2026-12-01") as d:
        d.import_ledger(x, check=False)
        assert d.filed(county.county_doc) == ("ZDGZ", 2014)
        assert d.files(county.memo) == []
        with pytest.raises(bianzhi.InvalidArgument):
            d.copy_files_from(d)
        assert d.copy_files_from(l) == 3
        assert d.copy_files_from(l) == 0
        for f, data in ((fb, big), (fs, small), (fd, big)):
            g = d.file(f.uuid)
            assert (g.document, g.name, g.sha256, g.size, g.seq) == (f.document, f.name, f.sha256, f.size, f.seq)
            with d.open_file(f.uuid) as r:
                assert r.read() == data
        assert d.verify_files() == (3, [])
