"""Export, import and consolidation (Ledger.export, Ledger.import_ledger, Ledger.identity, Change.origin).

Two counties of 陇南, 成县 and 徽县, each built in its own ledger with its own copy of 甘肃省, 陇南市 and the
city's document; a city ledger consolidates their exports.
"""
import datetime
import json

import pytest

import bianzhi

D = datetime.date
NAMES = ["张伟", "李娜", "王强", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周杰", "吴艳", "徐丽", "孙涛"]
UNITS = [("教育局", bianzhi.Nature.ORGAN, "XZ", 14), ("财政局", bianzhi.Nature.ORGAN, "XZ", 12),
         ("人民医院", bianzhi.Nature.INSTITUTION, "SY", 40), ("图书馆", bianzhi.Nature.INSTITUTION, "SY", 10)]


def idnum(region, seq):
    body17 = "%s%04d%02d%02d%03d" % (region, 1970 + seq % 25, 1 + seq % 12, 1 + seq % 28, seq)
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(c) * w[i] for i, c in enumerate(body17)) % 11]


def city_basics(t, date="1999-12-20"):
    t.create_jurisdiction("620000", "甘肃省")
    t.create_jurisdiction("621200", "陇南市", "620000")
    return t.register_document("陇南市机构编制委员会", "陇编发〔1999〕31号", "关于县区机构编制事项的通知", date,
                               bianzhi.Level.CITY, bianzhi.IssuerKind.ESTABLISHMENT, "621200")


class County:
    def __init__(self, path, code, name):
        self.code, self.name = code, name
        self.ledger = l = bianzhi.open(str(path), clock="2026-12-01")
        with l.transaction("王科长", name + "委编办") as t:
            self.city_doc = city_basics(t)
            t.create_jurisdiction(code, name, "621200")
        with l.transaction("王科长", name + "委编办", document=self.city_doc) as t:
            t.set_limit(code, bianzhi.Branch.ADMINISTRATIVE, 60, "2012-03-01")
            t.set_limit(code, bianzhi.Branch.INSTITUTION, 120, "2012-03-01")
        self.units, self.people, seq = [], 0, 0
        for uname, nature, cat, est in UNITS:
            rank = bianzhi.Rank.ZHENGKE if nature == bianzhi.Nature.ORGAN else bianzhi.Rank.FUKE
            with l.transaction("王科长", name + "委编办", document=self.city_doc) as t:
                u = t.establish_unit(name + uname, nature, code, "2000-01-01", rank=rank)
                t.set_establishment(u, cat, est, "2012-03-01")
            self.units.append(u)
            n = est - 2
            with l.transaction("王科长", name + "委编办") as t:
                persons = []
                for _ in range(n):
                    persons.append(t.register_person(idnum(code, seq), NAMES[seq % 12] + NAMES[(seq // 12) % 12]))
                    seq += 1
            with l.transaction("王科长", name + "委编办", document=self.city_doc) as t:
                slip = t.issue_slip(u, cat, n, bianzhi.Purpose.RECRUIT, "2013-01-01", "2013-12-31")
                for p in persons:
                    t.enter(p, u, cat, slip, bianzhi.EntryKind.RECRUIT, "2013-03-01")
            with l.transaction("王科长", name + "委编办", document=self.city_doc) as t:
                t.exit(persons[0], bianzhi.ExitReason.RETIREMENT, "2019-06-30")
            self.people += n
        self.first_idnum = idnum(code, 0)


@pytest.fixture
def counties(tmp_path):
    a = County(tmp_path / "chengxian.ledger", "621221", "成县")
    b = County(tmp_path / "huixian.ledger", "621227", "徽县")
    a.file, b.file = tmp_path / "chengxian.jsonl", tmp_path / "huixian.jsonl"
    a.export = a.ledger.export(a.file)
    b.export = b.ledger.export(b.file)
    yield a, b
    a.ledger.close()
    b.ledger.close()


def test_export_is_json_lines_with_header_and_trailer(counties):
    a, _ = counties
    lines = a.file.read_text(encoding="utf-8").splitlines()
    records = [json.loads(x) for x in lines]
    head, tail = records[0], records[-1]
    assert head["type"] == "header" and head["format"] == "bianzhi-exchange" and head["version"] == 3
    assert head["ledger"] == a.ledger.identity and head["scope"] is None
    assert tail["type"] == "end" and tail["records"] == len(records) - 2 == a.export.records
    kinds = [r["type"] for r in records[1:-1]]
    assert {k: kinds.count(k) for k in set(kinds)} == {k: v for k, v in tail["counts"].items() if v}
    assert kinds.count("person") == a.people and kinds.count("unit") == len(UNITS)
    change = next(r for r in records if r["type"] == "change" and r["kind"] == "placement.exit")
    assert change["id"][0] == a.ledger.identity and isinstance(change["id"][1], int)
    assert any(f["attr"] == "exit_reason" for f in change["facts"])
    assert a.export.origin == a.ledger.identity and a.export.added == 0


def test_round_trip_and_import_twice(counties, tmp_path):
    a, _ = counties
    with bianzhi.open(str(tmp_path / "copy.ledger"), clock="2026-12-01") as e:
        x = e.import_ledger(a.file)
        assert isinstance(x, bianzhi.Exchange)
        assert x.changes_added == a.ledger.last_seq() and x.conflicts == () and x.check_errors == 0
        assert e.identity != a.ledger.identity
        for u in a.units:
            assert e.basic_table(u) == a.ledger.basic_table(u)
            assert e.basic_table(u, "2015-01-01") == a.ledger.basic_table(u, "2015-01-01")
        assert e.limit_ledger("621221") == a.ledger.limit_ledger("621221")
        assert {c.origin for c in e.changes_since()} == {a.ledger.identity}
        assert [c.origin_seq for c in e.changes_since()] == [c.seq for c in a.ledger.changes_since()]
        again = tmp_path / "again.jsonl"
        e.export(again)
        one = a.file.read_text(encoding="utf-8").splitlines()
        two = again.read_text(encoding="utf-8").splitlines()
        assert one[1:] == two[1:]
        h1, h2 = json.loads(one[0]), json.loads(two[0])
        for h in (h1, h2):
            del h["exported_at"], h["ledger"]
        assert h1 == h2
        seq = e.last_seq()
        y = e.import_ledger(a.file)
        assert y.added == 0 and y.present == y.records and e.last_seq() == seq


def test_city_consolidates(counties, tmp_path):
    a, b = counties
    with bianzhi.open(str(tmp_path / "city.ledger"), clock="2026-12-01") as city:
        with city.transaction("李主任", "陇南市委编办") as t:
            city_basics(t)
        own = city.last_seq()
        xa, xb = city.import_ledger(a.file), city.import_ledger(b.file)
        assert xa.mapped == xb.mapped == 6   # 甘肃省, 陇南市, the city's document and their registrations
        assert xb.check_errors == 0
        assert len(list(city.jurisdictions())) >= 1
        for c in (a, b):
            for u in c.units:
                assert city.basic_table(u) == c.ledger.basic_table(u)
            assert city.limit_ledger(c.code) == c.ledger.limit_ledger(c.code)
        staff = sum(r.staff for c in (a, b) for u in c.units for r in city.basic_table(u).rows)
        assert staff == a.people + b.people - 2 * len(UNITS)
        feed = list(city.changes_since())
        assert {c.origin for c in feed if c.seq <= own} == {city.identity}
        assert {c.origin for c in feed if c.seq > own} == {a.ledger.identity, b.ledger.identity}
        assert {c.origin for c in city.changes(b.units[2])} == {b.ledger.identity}
        assert not [v for v in city.check() if v.rule == bianzhi.Rule.INTEGRITY]
        assert city.import_ledger(b.file, check=False).added == 0


def test_conflict_refused_nothing_written(counties, tmp_path):
    a, _ = counties
    with bianzhi.open(str(tmp_path / "city.ledger"), clock="2026-12-01") as city:
        with city.transaction("李主任", "陇南市委编办") as t:
            city_basics(t, "2000-01-03")
            t.register_person(a.first_idnum, "欧阳修")
        seq = city.last_seq()
        with pytest.raises(bianzhi.ExchangeRefused) as e:
            city.import_ledger(a.file)
        found = {(c.kind, c.field): (c.ours, c.theirs) for c in e.value.conflicts}
        assert found == {("document", "date"): ("2000-01-03", "1999-12-20"),
                         ("person", "name"): ("欧阳修", NAMES[0] + NAMES[0])}
        assert all(c.line > 1 for c in e.value.conflicts)
        assert isinstance(e.value, bianzhi.InvalidArgument)
        assert city.last_seq() == seq
        with pytest.raises(bianzhi.ExchangeRefused):
            city.import_ledger(a.file, dry_run=True)


def test_placement_that_disagrees_with_its_entry_record_refused(counties, tmp_path):
    """A unit's entries are read by their placements (schema 14), a placement's record by placement.event: a file
    whose placement names a record that is not its entry, in its unit, on its date, or whose entry record no
    placement names, is refused, nothing written."""
    a, _ = counties
    lines = a.file.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines]
    units = [r["id"] for r in rows if r["type"] == "unit"]
    first = next(i for i, r in enumerate(rows) if r["type"] == "placement")
    pl = rows[first]
    entry = next(r for r in rows if r["type"] == "change" and r["id"] == pl["event"])
    assert entry["kind"] == "placement.enter" and entry["subject"] == pl["id"]
    assert (entry["unit"], entry["effective"]) == (pl["unit"], pl["entry"])
    other = next(u for u in units if u != pl["unit"])
    register = next(r for r in rows if r["type"] == "change" and r["kind"] == "person.register")

    def crafted(name, **fields):
        out = list(lines)
        out[first] = json.dumps(dict(pl, **fields), ensure_ascii=False, separators=(",", ":"))
        path = tmp_path / (name + ".jsonl")
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        return path

    cases = [
        (crafted("unit", unit=other), {("placement", pl["id"], "unit"): (None, other)}),
        (crafted("entry", entry="2013-03-05"), {("placement", pl["id"], "entry"): (None, "2013-03-05")}),
        # the placement names the person's registration: not its entry, and its entry record is named by none
        (crafted("event", event=register["id"]),
         {("placement", pl["id"], "event"): (None, "%s#%d" % tuple(register["id"])),
          ("change", "%s#%d" % tuple(entry["id"]), "placement"): (None, pl["id"])}),
    ]
    for path, want in cases:
        with bianzhi.open(str(tmp_path / (path.stem + ".ledger")), clock="2026-12-01") as e:
            with pytest.raises(bianzhi.ExchangeRefused) as refused:
                e.import_ledger(path)
            found = {(c.kind, c.identity, c.field): (c.ours, c.theirs) for c in refused.value.conflicts}
            assert found == want, path.stem
            assert all(c.line > 1 for c in refused.value.conflicts)
            assert e.last_seq() == 0 and list(e.changes_since(0)) == []
    # the file as exported imports
    with bianzhi.open(str(tmp_path / "whole.ledger"), clock="2026-12-01") as e:
        assert e.import_ledger(a.file).conflicts == ()


def test_damaged_files_refused(counties, tmp_path):
    a, _ = counties
    with bianzhi.open(str(tmp_path / "e.ledger"), clock="2026-12-01") as e:
        lines = a.file.read_text(encoding="utf-8").splitlines(keepends=True)
        cut = tmp_path / "cut.jsonl"
        cut.write_text("".join(lines[:-4]), encoding="utf-8")
        with pytest.raises(bianzhi.InvalidArgument, match="truncated"):
            e.import_ledger(cut)
        newer = tmp_path / "newer.jsonl"
        newer.write_text(lines[0].replace('"version":3', '"version":4') + "".join(lines[1:]), encoding="utf-8")
        with pytest.raises(bianzhi.SchemaTooNew):
            e.import_ledger(newer)
        with pytest.raises(bianzhi.LedgerIOError):
            e.import_ledger(tmp_path / "missing.jsonl")
        assert e.last_seq() == 0
        with pytest.raises(bianzhi.Exists):
            a.ledger.export(a.file)
        with pytest.raises(bianzhi.NotFound):
            a.ledger.export(tmp_path / "nowhere.jsonl", "999999")


def test_scope_of_a_jurisdiction(counties, tmp_path):
    a, b = counties
    with bianzhi.open(str(tmp_path / "city.ledger"), clock="2026-12-01") as city:
        with city.transaction("李主任", "陇南市委编办") as t:
            city_basics(t)
        city.import_ledger(a.file)
        city.import_ledger(b.file)
        part = tmp_path / "part.jsonl"
        x = city.export(part, "621227")
        assert x.scope == "621227"
        with bianzhi.open(str(tmp_path / "huixian2.ledger"), clock="2026-12-01") as e:
            y = e.import_ledger(part)
            assert y.origin == city.identity and y.scope == "621227"
            assert sorted(u.name for u in e.units("621227")) == sorted(u.name for u in b.ledger.units("621227"))
            with pytest.raises(bianzhi.NotFound):
                list(e.units("621221"))
        # 徽县 recognises every record of the part as its own
        assert b.ledger.import_ledger(part).added == 0
