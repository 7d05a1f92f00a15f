"""Reconciliation with another department's roster (Ledger.reconcile, Diff, Difference): seed §11, the 吃空饷 check."""
import datetime

import pytest

import bianzhi

D = datetime.date
DATE = "2026-06-30"
SURNAMES = "张王李赵刘陈杨黄周吴"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽"]


def idnum(body17):
    """A citizen ID number with its GB 11643 check character."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(c) * w[i] for i, c in enumerate(body17)) % 11]


@pytest.fixture
def county(ln):
    """武都区: 教育局 and 财政局 (XZ), 第一中学 (SY); 45 people in post since 2015, one retired 2026-03-31."""
    l = ln.ledger
    units = {
        "教育局": ln.unit("武都区教育局", doc=ln.county_doc, founded="2010-01-01"),
        "财政局": ln.unit("武都区财政局", doc=ln.county_doc, founded="2010-01-01"),
        "一中": ln.unit("武都区第一中学", nature=bianzhi.Nature.INSTITUTION, rank=bianzhi.Rank.NONE,
                      doc=ln.county_doc, founded="2010-01-01"),
    }
    cats = {"教育局": "XZ", "财政局": "XZ", "一中": "SY"}
    with l.transaction("王科长", "武都区委编办", document=ln.county_doc) as t:
        for k, u in units.items():
            t.set_establishment(u, cats[k], 20, "2014-01-01")
    people = []
    for k, u in units.items():
        with l.transaction("王科长", "武都区委编办", document=ln.county_doc) as t:
            slip = t.issue_slip(u, cats[k], 15, bianzhi.Purpose.RECRUIT, "2015-01-01", "2015-12-31")
            for j in range(15):
                i = len(people)
                name = SURNAMES[i % 10] + GIVEN[i // 10]
                idn = idnum("621202%04d%02d%02d%03d" % (1970 + i % 20, 1 + i % 12, 1 + i % 28, i))
                p = t.register_person(idn, name)
                pl = t.enter(p, u, cats[k], slip, bianzhi.EntryKind.RECRUIT, "2015-03-01")
                people.append({"name": name, "id": idn, "unit": k, "cat": cats[k], "person": p, "placement": pl})
    with l.transaction("王科长", "武都区委编办") as t:
        retire_doc = t.register_document("武都区机构编制委员会", "武编发〔2026〕12号", "关于退休人员出编的通知",
                                         "2026-03-20", bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT,
                                         "621202")
    with l.transaction("王科长", "武都区委编办", document=retire_doc) as t:
        t.exit(people[3]["person"], bianzhi.ExitReason.RETIREMENT, "2026-03-31")
    ln.units, ln.people = units, people
    return ln


UNIT_NAMES = {"教育局": "武都区教育局", "财政局": "武都区财政局", "一中": "武都区第一中学"}
CAT_NAMES = {"XZ": "行政编制", "SY": "事业编制"}


def roster_rows(people):
    """Every person as the ledger has them; a row is [单位名称, 姓名, 身份证号, 编制类别, 发放状态]."""
    return [[UNIT_NAMES[p["unit"]], p["name"], p["id"], CAT_NAMES[p["cat"]], "正常发放"] for p in people]


def write_csv(path, rows, encoding):
    text = "序号,单位名称,姓　名,身份证号*,编制类别,发放状态\r\n"
    text += "".join("%d,%s\r\n" % (i + 1, ",".join(r)) for i, r in enumerate(rows))
    path.write_bytes(("\ufeff" if encoding == "utf-8-sig" else "").encode() + text.encode(
        "utf-8" if encoding == "utf-8-sig" else encoding))


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_every_kind_of_difference(county, tmp_path, encoding):
    l, P = county.ledger, county.people
    rows = roster_rows(P)
    rows[0][1] = "王小明"                      # line 2: another name
    rows[1][0] = "武都区财政局"                 # line 3: another unit
    rows[15][3] = "事业编制"                    # line 17: another category
    rows[16][2] = rows[16][2][:17] + ("0" if rows[16][2][17] != "0" else "1")   # line 18: check character
    rows[17][4] = "停发"                        # line 19: on it, unpaid
    del rows[30]                               # P[30] (一中) not on the roster
    ghost = idnum("62120219880707777")
    rows.append(["武都区教育局", "钱多多", ghost, "行政编制", ""])          # paid, nobody
    rows.append(rows[5][:])                                                  # P[5] twice
    rows.append(["合计", "", "", "", ""])                                   # no number
    path = tmp_path / ("roster-%s.csv" % encoding)
    write_csv(path, rows, encoding)
    n = len(rows) + 1   # the last line
    diffs = list(l.reconcile(path, "621202", DATE))
    got = [(d.kind, d.line) for d in diffs]
    assert got == [(bianzhi.Difference.NAME, 2), (bianzhi.Difference.UNIT, 3),
                   (bianzhi.Difference.LEFT_PAID, 5), (bianzhi.Difference.CATEGORY, 17),
                   (bianzhi.Difference.IDNUM, 18), (bianzhi.Difference.NOT_ON_ROSTER, 19),
                   (bianzhi.Difference.NOT_ESTABLISHED, n - 2), (bianzhi.Difference.DUPLICATE, n - 1),
                   (bianzhi.Difference.UNREADABLE, n), (bianzhi.Difference.NOT_ON_ROSTER, 0)]
    name, unit, left, cat, idn, unpaid, ghost_d, dup, unread, missing = diffs
    assert isinstance(name, bianzhi.Diff) and name.kind.cn == "姓名不符"
    assert (name.roster_name, name.ledger_name, name.id_number) == ("王小明", P[0]["name"], P[0]["id"])
    assert (name.person, name.placement, name.document) == (P[0]["person"].uuid, P[0]["placement"].uuid, county.county_doc.number)
    assert (unit.roster_unit, unit.unit, unit.unit_name) == ("武都区财政局", county.units["教育局"].uuid, "武都区教育局")
    assert unit.detail == "another unit of the ledger"
    assert (left.person, left.placement, left.document) == (P[3]["person"].uuid, P[3]["placement"].uuid, "武编发〔2026〕12号")
    assert left.detail == "left on 2026-03-31 (退休)" and str(left.kind) == "出编仍发放"
    assert (cat.roster_category, cat.category, cat.category_name) == ("事业编制", "XZ", "行政编制")
    assert idn.id_number == rows[16][2] and idn.person == P[16]["person"].uuid
    assert idn.detail.startswith("the roster's number: wrong check character") and idn.detail.endswith(P[16]["id"])
    assert (unpaid.person, unpaid.detail, unpaid.roster_name) == (P[17]["person"].uuid, "on the roster, unpaid", P[17]["name"])
    assert (ghost_d.id_number, ghost_d.person, ghost_d.unit) == (ghost, None, None)
    assert ghost_d.detail == "nobody with this ID number in the ledger"
    assert dup.detail == "also on line 7" and dup.id_number == P[5]["id"]
    assert (unread.id_number, unread.roster_unit, unread.detail) == (None, "合计", "no ID number")
    assert (missing.person, missing.roster_name, missing.unit_name) == (P[30]["person"].uuid, None, "武都区第一中学")
    assert (missing.category, missing.placement, missing.detail) == ("SY", P[30]["placement"].uuid, "not on the roster")


def test_clean_roster_xlsx_read_only_ledger(county, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["身份证号码", "姓名", "统一社会信用代码", "单位名称", "人员分类", "是否发放"])
    for p in county.people:
        if p["id"] == county.people[3]["id"]:
            continue   # retired
        ws.append([p["id"], p["name"], "", UNIT_NAMES[p["unit"]], CAT_NAMES[p["cat"]], "是"])
    path = tmp_path / "clean.xlsx"
    wb.save(path)
    county.ledger.close()
    with bianzhi.open(county.path, readonly=True) as ro:
        assert list(ro.reconcile(str(path), "621202", D(2026, 6, 30))) == []
        # before the retirement the retiree is missing from it
        (d,) = ro.reconcile(path, "621202", "2026-03-30")
        assert (d.kind, d.line, d.person) == (bianzhi.Difference.NOT_ON_ROSTER, 0, county.people[3]["person"].uuid)
    county.ledger = bianzhi.open(county.path)


def test_errors(county, tmp_path):
    l = county.ledger
    missing = tmp_path / "nope.csv"
    with pytest.raises(bianzhi.LedgerIOError) as e:
        list(l.reconcile(missing))
    assert str(missing) in str(e.value) and "no such file or directory" in str(e.value)
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,单位名称\n张伟,武都区教育局\n", encoding="utf-8")
    with pytest.raises(bianzhi.InvalidArgument, match="line 1: no column 身份证号"):
        l.reconcile(bad)
    bad.write_text("身份证号,姓名,单位名称\n", encoding="utf-8")
    with pytest.raises(bianzhi.NotFound):
        l.reconcile(bad, "999999")
    with pytest.raises(bianzhi.InvalidArgument):
        l.reconcile(None)
    with l.transaction("王科长", "武都区委编办"):
        with pytest.raises(bianzhi.Misuse):
            l.reconcile(bad)
    assert bianzhi.Difference.UNREADABLE.cn == "无法识别"
