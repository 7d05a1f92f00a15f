"""The change feed (Ledger.changes_since, Ledger.last_seq) and backup/restore (Ledger.backup, Ledger.restore)."""
import datetime
import errno
import os
import sqlite3
import stat

import pytest

import bianzhi
from conftest import PG_URI

D = datetime.date


def idnum(body17):
    """A citizen ID number with its GB 11643 check character."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(c) * w[i] for i, c in enumerate(body17)) % 11]


PEOPLE = [("张伟", idnum("62120219850615011")), ("李娜", idnum("62120219900301022")),
          ("王强", idnum("62120219880808033")), ("刘洋", idnum("62120219920117044")),
          ("陈静", idnum("62120219870425055")), ("杨帆", idnum("62120219931102066"))]


@pytest.fixture
def county(ln):
    """武都区: 教育局 (3 XZ), 卫生健康局 (4 XZ), 审计局 (2 XZ); three hires in 教育局."""
    l = ln.ledger
    jyj = ln.unit("武都区教育局", doc=ln.county_doc, founded="2010-01-01")
    wj = ln.unit("武都区卫生健康局", doc=ln.county_doc, founded="2010-01-01")
    sj = ln.unit("武都区审计局", doc=ln.county_doc, founded="2010-01-01")
    with l.transaction("王科长", "武都区委编办", document=ln.county_doc) as t:
        t.set_establishment(jyj, "XZ", 3, "2010-01-01")
        t.set_establishment(wj, "XZ", 4, "2010-01-01")
        t.set_establishment(sj, "XZ", 2, "2010-01-01")
    persons = []
    with l.transaction("王科长", "武都区委编办") as t:
        for name, idn in PEOPLE:
            persons.append(t.register_person(idn, name))
    with l.transaction("王科长", "武都区委编办", document=ln.county_doc) as t:
        slip = t.issue_slip(jyj, "XZ", 3, bianzhi.Purpose.RECRUIT, "2020-01-01", "2020-12-31")
    for p in persons[:3]:
        with l.transaction("王科长", "武都区委编办", document=ln.county_doc) as t:
            t.enter(p, jyj, "XZ", slip, bianzhi.EntryKind.RECRUIT, "2020-02-01")
    ln.units = {"jyj": jyj, "wj": wj, "sj": sj}
    ln.persons = persons
    return ln


def test_feed_is_every_record_in_order(county):
    l = county.ledger
    feed = list(l.changes_since())
    n = county.count("event")
    assert [c.seq for c in feed] == list(range(1, n + 1))
    assert l.last_seq() == n
    assert feed[0].kind == "jurisdiction.create"
    # records of several kinds of subject, with their fields
    doc = next(c for c in feed if c.kind == "document.register" and c.subject == county.county_doc.uuid)
    assert doc.document == doc.subject and doc.document_number == county.county_doc.number and doc.unit is None
    est = next(c for c in feed if c.kind == "establishment.set" and c.subject == county.units["wj"].uuid)
    assert est.unit == est.subject and est.effective == D(2010, 1, 1)
    assert [(a.name, a.before, a.after) for a in est.attributes] == [("est:XZ", None, "4")]
    assert est.recorded_by == "王科长" and est.office == "武都区委编办"
    assert est.recorded_at.date() == D(2026, 12, 1)
    reg = next(c for c in feed if c.kind == "person.register" and c.subject == county.persons[4].uuid)
    assert {a.name: a.after for a in reg.attributes} == {"name": "陈静", "id_number": PEOPLE[4][1]}
    enter = [c for c in feed if c.kind == "placement.enter"]
    assert [c.note for c in enter] == ["张伟", "李娜", "王强"]
    assert all(c.unit == county.units["jyj"].uuid and c.document == county.county_doc.uuid for c in enter)
    # from the middle and from the end
    assert [c.seq for c in l.changes_since(n - 3)] == [n - 2, n - 1, n]
    assert list(l.changes_since(n)) == []


def test_consumer_pulls_only_what_is_new(county):
    l = county.ledger
    last = l.last_seq()
    with l.transaction("王科长", "武都区委编办", document=county.county_doc) as t:
        t.set_establishment(county.units["sj"], "XZ", 3, "2022-01-01")
        t.exit(county.persons[1], bianzhi.ExitReason.RETIREMENT, "2022-06-30")
    with l.transaction("王科长", "武都区委编办", document=county.county_doc) as t:
        t.rename_unit(county.units["sj"], "武都区审计和统计局", "2023-01-01")
    new = list(l.changes_since(last))
    assert [c.seq for c in new] == [last + 1, last + 2, last + 3]
    assert [c.kind for c in new] == ["establishment.set", "placement.exit", "unit.rename"]
    assert [(a.name, a.before, a.after) for a in new[0].attributes] == [("est:XZ", "2", "3")]
    assert new[1].note == "李娜" and new[1].effective == D(2022, 6, 30)
    assert [(a.name, a.before, a.after) for a in new[2].attributes] == [("name", "武都区审计局", "武都区审计和统计局")]
    assert list(l.changes_since(new[-1].seq)) == []


def test_refused_and_rolled_back_add_nothing(county):
    l = county.ledger
    last = l.last_seq()
    # 审计局 has 2 posts: a slip for 3 is refused (R1)
    with pytest.raises(bianzhi.ConstraintViolation):
        with l.transaction("王科长", "武都区委编办", document=county.county_doc) as t:
            t.issue_slip(county.units["sj"], "XZ", 3, bianzhi.Purpose.RECRUIT, "2022-01-01", "2022-06-30")
    assert l.last_seq() == last and list(l.changes_since(last)) == []
    # an exception in the block rolls back
    with pytest.raises(RuntimeError):
        with l.transaction("王科长", "武都区委编办", document=county.county_doc) as t:
            t.set_establishment(county.units["sj"], "XZ", 5, "2022-01-01")
            raise RuntimeError("停电")
    assert l.last_seq() == last and list(l.changes_since(last)) == []
    # an open transaction on the handle is not in the feed until it commits
    t = l.begin("王科长", "武都区委编办")
    t.set_document(county.county_doc)
    t.set_establishment(county.units["sj"], "XZ", 3, "2022-01-01")
    assert l.last_seq() == last and list(l.changes_since(last)) == []
    t.commit()
    t.close()
    new = [c.seq for c in l.changes_since(last)]
    assert len(new) == 1 and l.last_seq() == new[0]
    if PG_URI:
        # a server never gives a number twice: the refused and rolled-back ones are gaps
        assert new[0] > last + 1
        # a number no committed record has (one of the gap) is refused, naming it
        with pytest.raises(bianzhi.NotFound) as e:
            l.changes_since(last + 1)
        assert e.value.code == bianzhi.NotFound.code
        assert ("no committed change record has sequence number %d: ask from a number the feed gave" % (last + 1)
                in str(e.value))
    else:
        # in a file the numbers stay 1 … N: the next commit took the first refused one
        assert new == [last + 1]
        assert list(l.changes_since(last + 100)) == []
    assert list(l.changes_since(new[0])) == []


def test_two_handles(county):
    writer = county.ledger
    with bianzhi.open(county.path) as reader:
        seen = reader.last_seq()
        got = []
        for p in county.persons[3:6]:
            it = reader.changes_since(seen)
            with writer.transaction("王科长", "武都区委编办", document=county.county_doc) as t:
                t.set_establishment(county.units["wj"], "XZ", 4 + len(got) + 1, "2024-01-01")
            for c in it:
                got.append(c.seq)
                seen = c.seq
        got += [c.seq for c in reader.changes_since(seen)]
        assert got == sorted(set(got)) and len(got) == 3
        assert got[-1] == writer.last_seq() == reader.last_seq()


def test_feed_arguments(county):
    l = county.ledger
    with pytest.raises(bianzhi.InvalidArgument):
        l.changes_since(-1)
    with pytest.raises(TypeError):
        l.changes_since("5")
    with pytest.raises(TypeError):
        l.changes_since(True)
    with bianzhi.open(":memory:") as m:
        assert m.last_seq() == 0 and list(m.changes_since(0)) == []


def test_backup_and_restore(county, tmp_path):
    l = county.ledger
    dest = tmp_path / "备份" / "wudu-2026-12.ledger"
    dest.parent.mkdir()
    last = l.last_seq()
    l.backup(dest)
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert [p for p in os.listdir(dest.parent)] == [dest.name]
    with bianzhi.open(dest, create=False) as b:
        assert b.last_seq() == last
        assert [(c.seq, c.kind, c.subject) for c in b.changes_since()] == \
               [(c.seq, c.kind, c.subject) for c in l.changes_since()]
        assert [p.person_name for p in b.roster(county.units["jyj"], "2021-01-01")] == ["张伟", "李娜", "王强"]
    # never over an existing file
    with pytest.raises(bianzhi.Exists):
        l.backup(dest)
    # work after the backup, then restore
    new = county.unit("武都区数据局", doc=county.county_doc, founded="2024-01-01")
    with l.transaction("王科长", "武都区委编办", document=county.county_doc) as t:
        t.exit(county.persons[0], bianzhi.ExitReason.RESIGNATION, "2024-03-31")
    assert l.last_seq() > last
    it = l.changes_since(0)
    next(it)
    l.restore(str(dest))
    with pytest.raises(bianzhi.Misuse):
        next(it)
    assert l.last_seq() == last
    with pytest.raises(bianzhi.NotFound):
        l.unit(new)
    assert len(list(l.roster(county.units["jyj"], "2024-06-01"))) == 3
    # the ledger goes on from there
    with l.transaction("王科长", "武都区委编办", document=county.county_doc) as t:
        t.set_establishment(county.units["sj"], "XZ", 3, "2024-01-01")
    assert l.last_seq() == last + 1


def test_backup_errors(county, tmp_path):
    l = county.ledger
    with pytest.raises(bianzhi.LedgerIOError) as e:
        l.backup(tmp_path / "没有这个目录" / "x.ledger")
    assert e.value.errno == errno.ENOENT and "没有这个目录" in e.value.filename
    assert "No such file or directory" in str(e.value)
    t = l.begin("王科长", "武都区委编办")
    with pytest.raises(bianzhi.Misuse):
        l.backup(tmp_path / "x.ledger")
    t.close()
    assert not (tmp_path / "x.ledger").exists()
    with pytest.raises(bianzhi.InvalidArgument):
        l.backup(None)
    with pytest.raises(TypeError):
        l.backup(42)


def test_restore_refuses(county, tmp_path):
    l = county.ledger
    last, events = l.last_seq(), county.count("event")
    text = tmp_path / "roster.csv"
    text.write_text("单位名称,姓名,身份证号\n武都区教育局,张伟,%s\n" % PEOPLE[0][1] * 100, encoding="utf-8")
    with pytest.raises(bianzhi.NotALedger) as e:
        l.restore(text)
    assert str(text) in str(e.value)
    other = tmp_path / "payroll.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE payroll(id_number TEXT, amount INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(bianzhi.NotALedger):
        l.restore(other)
    newer = tmp_path / "newer.ledger"
    l.backup(newer)
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version=99")
    con.close()
    with pytest.raises(bianzhi.SchemaTooNew):
        l.restore(newer)
    with pytest.raises(bianzhi.LedgerIOError) as e:
        l.restore(tmp_path / "missing.ledger")
    assert e.value.errno == errno.ENOENT
    assert l.last_seq() == last and county.count("event") == events
    # a read-only handle cannot restore
    good = tmp_path / "good.ledger"
    l.backup(good)
    with bianzhi.open(county.path, readonly=True) as ro:
        with pytest.raises(bianzhi.LedgerIOError, match="read-only"):
            ro.restore(good)
    # nor a handle with a transaction open
    t = l.begin("王科长", "武都区委编办")
    with pytest.raises(bianzhi.Misuse):
        l.restore(good)
    t.close()
    assert l.last_seq() == last and county.count("event") == events
