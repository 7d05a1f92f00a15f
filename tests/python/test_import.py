"""Bulk import of the offices' sheets through the binding: a unit sheet as an XLSX workbook (openpyxl)
and a person sheet as a GB18030 CSV, in an opening; a sheet with bad rows refused whole."""
import datetime

import pytest

import bianzhi

from conftest import count
from test_staff import idnum

openpyxl = pytest.importorskip("openpyxl", reason="python3-openpyxl is not installed (./bz installs it)")

D = datetime.date
CUTOVER = D(2024, 12, 31)
UNITS = [  # 机构名称, 机构性质, 机构级别, 经费形式, 隶属单位, 编制数, 领导职数, 成立时间, 规范简称
    ("武都区教育局", "行政机关", "正科级", "全额拨款", None, 10, "1正2副", D(1987, 3, 1), "区教育局"),
    ("武都区城关中学", "事业单位", "副科级", "全额拨款", "武都区教育局", 12, "1正1副", "1995年9月1日", "城关中学"),
]


def opening_doc(ln):
    with ln.ledger.transaction("u", "o") as t:
        return t.register_document("武都区机构编制委员会", "武编发〔2024〕30号", "关于建立机构编制实名制管理台账的通知",
                                   "2024-12-20", bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT, "621202")


def units_xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "机构信息"
    # headers in another order than the library's, one starred, one the ledger has no field for
    ws.append(["机构名称*", "机构性质", "机构级别", "经费形式", "隶属单位", "编制数", "领导职数", "成立时间",
               "规范简称", "办公地址"])
    for u in UNITS:
        ws.append(list(u) + ["武都区钟楼滩"])
    ws.cell(row=2, column=8).number_format = "yyyy-mm-dd"   # a real Excel date cell
    wb.save(path)


def people_csv(path, rows, encoding="gb18030"):
    head = "姓名,身份证号,性别,单位名称,编制类别,进入形式,进入时间,民族\r\n"
    with open(path, "wb") as f:
        f.write((head + "".join(rows)).encode(encoding))


def person_row(i, unit, cat, entry="2010.9.1", kind="招聘"):
    ident = idnum("621202%04d%02d%02d%03d" % (1965 + i % 15, 1 + i % 12, 1 + i % 28, i))
    sex = "男" if i % 2 else "女"
    return "%s,%s,%s,%s,%s,%s,%s,汉族\r\n" % ("王" + "伟芳娜敏静强磊军刚丽"[i % 10], ident, sex, unit, cat, kind, entry)


def test_opening_from_xlsx_and_gb18030(ln, tmp_path):
    doc = opening_doc(ln)
    units_xlsx(tmp_path / "units.xlsx")
    rows = [person_row(i, "武都区教育局", "行政编制") for i in range(1, 9)]
    rows += [person_row(i, "武都区城关中学", "事业编制", "2012年3月5日", "公开招聘") for i in range(9, 19)]
    people_csv(tmp_path / "people.csv", rows)
    with ln.ledger.transaction("u", "o") as t:
        t.set_opening(CUTOVER, doc)
        r = t.import_units(tmp_path / "units.xlsx", "621202")
        assert (r.rows, r.units_created, r.problems) == (2, 2, ())
        r = t.import_people(str(tmp_path / "people.csv"), "621202")
        assert (r.rows, r.persons_registered, r.placements, r.appointments) == (18, 18, 18, 0)
    school = ln.ledger.unit_by_name("武都区城关中学", "621202", CUTOVER)
    bureau = ln.ledger.unit_by_name("武都区教育局", "621202", CUTOVER)
    assert school.parent == bureau.uuid and school.founded == D(1995, 9, 1) and bureau.founded == D(1987, 3, 1)
    assert ln.ledger.unit_attr(bureau, "办公地址") == "武都区钟楼滩"
    assert ln.ledger.unit_attr(bureau, "规范简称") == "区教育局"
    assert ln.ledger.unit_attr(bureau, "没有") is None
    roster = list(ln.ledger.roster(school, CUTOVER))
    assert len(roster) == 10 and {p.entry for p in roster} == {D(2012, 3, 5)}
    assert {p.entry_kind for p in roster} == {bianzhi.EntryKind.RECRUIT}
    assert dict(ln.ledger.person(roster[0].person).attributes)["民族"] == "汉族"
    assert ln.ledger.check().errors == []


def test_bad_rows_refused_whole(ln, tmp_path):
    doc = opening_doc(ln)
    units_xlsx(tmp_path / "units.xlsx")
    with ln.ledger.transaction("u", "o") as t:
        t.set_opening(CUTOVER, doc)
        t.import_units(tmp_path / "units.xlsx", "621202")
    rows = [person_row(1, "武都区教育局", "行政编制"), person_row(2, "武都区财政局", "行政编制"),
            person_row(3, "武都区教育局", "行政编制", "2010-02-30"), person_row(4, "武都区教育局", "行政编制")]
    people_csv(tmp_path / "bad.csv", rows, "utf-8-sig")
    persons = count(ln.path, "person")
    with pytest.raises(bianzhi.ImportRefused) as e:
        with ln.ledger.transaction("u", "o") as t:
            t.set_opening(CUTOVER, doc)
            t.import_people(tmp_path / "bad.csv", "621202")
    assert isinstance(e.value, bianzhi.InvalidArgument)
    assert [(p.line, p.column) for p in e.value.problems] == [(3, "单位名称"), (4, "进入时间")]
    assert "武都区财政局" in e.value.problems[0].message
    assert count(ln.path, "person") == persons and count(ln.path, "placement") == 0
    with pytest.raises(bianzhi.LedgerIOError):
        with ln.ledger.transaction("u", "o") as t:
            t.import_people(tmp_path / "missing.csv", "621202")


def test_library_refusals_across_batches(ln, tmp_path):
    """300 rows: more than one of the import's batches (256 rows under one savepoint, issue 10). Two rows
    the library itself refuses (an entry after the cut-over: the person registered, then the entry
    refused), one in each batch: every refused row reported as row by row would, nothing written."""
    doc = opening_doc(ln)
    units_xlsx(tmp_path / "units.xlsx")
    with ln.ledger.transaction("u", "o") as t:
        t.set_opening(CUTOVER, doc)
        t.import_units(tmp_path / "units.xlsx", "621202")
    late = {3: "2025-03-01", 280: "2025.1.5"}
    rows = [person_row(i, "武都区教育局", "行政编制", late.get(i, "2010.9.1")) for i in range(1, 301)]
    people_csv(tmp_path / "late.csv", rows)
    persons, events = count(ln.path, "person"), count(ln.path, "event")
    with pytest.raises(bianzhi.ImportRefused) as e:
        with ln.ledger.transaction("u", "o") as t:
            t.set_opening(CUTOVER, doc)
            t.import_people(tmp_path / "late.csv", "621202")
    assert [(p.line, p.column) for p in e.value.problems] == [(4, "进入时间"), (281, "进入时间")]
    assert all("cut-over" in p.message for p in e.value.problems)
    assert count(ln.path, "person") == persons and count(ln.path, "event") == events
