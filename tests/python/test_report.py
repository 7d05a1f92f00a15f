"""Reports (report.h) from Python: Tables 1–3, the quota ledgers, the per-unit
ledger, the card and the vacancy list as Sheets, on a county of 50 units and
1,000 people; the XLSX opened back with openpyxl and checked cell by cell
against the sheet, CSV and JSON text, the organisation chart, the errors."""
import csv
import datetime
import errno
import io
import json
import unicodedata

import pytest

import bianzhi

openpyxl = pytest.importorskip("openpyxl")

DAY = datetime.date(2026, 12, 1)
W = 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2


def idnum(region, birth, seq):
    body = "%s%s%03d" % (region, birth.strftime("%Y%m%d"), seq % 1000)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]


SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "建国", "志强", "玉兰", "海燕"]
WUDU_ORGANS = ["人民政府办公室", "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局",
               "司法局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局", "水务局",
               "农业农村局", "商务局", "文化和旅游局", "卫生健康局", "审计局", "统计局"]
WUDU_INSTITUTIONS = ["第一中学", "第二中学", "实验小学", "人民医院", "中医医院", "疾病预防控制中心", "妇幼保健院",
                     "图书馆", "文化馆", "档案馆", "城乡供水保障中心", "融媒体中心", "农业技术推广中心",
                     "林业技术推广站", "\"两新\"组织服务中心,党群服务站"]


class County:
    """武都区 (30 units) and 成县 (20 units) under 陇南市: 50 units, 1,000 people, a unit over establishment."""

    def __init__(self, path):
        self.ledger = bianzhi.open(str(path), clock=DAY)
        L = self.ledger
        with L.transaction("李明", "武都区编办") as t:
            t.create_jurisdiction("620000", "甘肃省")
            t.create_jurisdiction("621200", "陇南市", "620000")
            t.create_jurisdiction("621202", "武都区", "621200")
            t.create_jurisdiction("621221", "成县", "621200")
            self.doc = t.register_document("陇南市机构编制委员会", "陇编发〔2009〕31号", "关于机构编制事项的通知",
                                           "1999-12-20", bianzhi.Level.CITY, bianzhi.IssuerKind.ESTABLISHMENT,
                                           "621200")
        with L.transaction("李明", "武都区编办", document=self.doc) as t:
            for code in ("621202", "621221"):
                t.set_limit(code, bianzhi.Branch.ADMINISTRATIVE, 800, "2009-06-01")
                t.set_limit(code, bianzhi.Branch.INSTITUTION, 1500, "2009-06-01")
            t.set_limit("621202", bianzhi.Branch.ADMINISTRATIVE, 700, "2015-03-01")
        specs = [("武都区" + n, "621202", bianzhi.Nature.ORGAN) for n in WUDU_ORGANS[:15]]
        specs += [("武都区" + n, "621202", bianzhi.Nature.INSTITUTION) for n in WUDU_INSTITUTIONS]
        specs += [("成县" + n, "621221", bianzhi.Nature.ORGAN) for n in WUDU_ORGANS[:10]]
        specs += [("成县" + n, "621221", bianzhi.Nature.INSTITUTION) for n in WUDU_INSTITUTIONS[:10]]
        assert len(specs) == 50
        self.units = []
        with L.transaction("李明", "武都区编办", document=self.doc) as t:
            for i, (name, jur, nature) in enumerate(specs):
                organ = nature == bianzhi.Nature.ORGAN
                parent = self.units[2][0] if not organ and jur == "621202" and i < 18 else None
                u = t.establish_unit(name, nature, jur, "2000-01-01", rank=bianzhi.Rank.ZHENGKE if organ else bianzhi.Rank.FUKE,
                                     funding=bianzhi.Funding.FULL if i % 4 else bianzhi.Funding.BALANCE, parent=parent)
                cat = "XZ" if organ else "SY"
                est = 15 + i % 5 * 3 if organ else 20 + i % 4 * 6
                t.set_establishment(u, cat, est, "2010-01-01")
                if organ:
                    t.set_establishment(u, "GQ", 2, "2010-01-01")
                self.units.append((u, cat, est))
        seq = 0
        self.cards = []
        for i, (u, cat, est) in enumerate(self.units):
            n = min(est - i % 3, 1000 - seq)
            if n <= 0:
                continue
            with L.transaction("李明", "武都区编办", document=self.doc) as t:
                slip = t.issue_slip(u, cat, n, bianzhi.Purpose.RECRUIT, "2011-01-01", "2011-12-31",
                                    "%s-2011-%03d" % (u.jurisdiction, i + 1))
                for _ in range(n):
                    birth = datetime.date(1960 + seq % 35, 1 + seq % 12, 1 + seq % 28)
                    p = t.register_person(idnum(u.jurisdiction, birth, seq), SURNAMES[seq % 20] + GIVEN[seq // 20 % 30])
                    if seq % 10 == 0:
                        t.set_person_attr(p, "民族", "汉族", "2011-01-01")
                    t.enter(p, u, cat, slip, bianzhi.EntryKind.RECRUIT, "2011-03-01")
                    seq += 1
        self.people = seq
        self.over = self.units[18][0]  # 武都区人民医院: cut below its staff
        with L.transaction("李明", "武都区编办", document=self.doc) as t:
            staff = len(list(L.roster(self.over, DAY)))
            t.set_establishment(self.over, "SY", staff - 2, "2017-01-01")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    c = County(tmp_path_factory.mktemp("report") / "county.ledger")
    yield c
    c.ledger.close()


def width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_county_size(county):
    assert county.people == 1000
    assert len(county.units) == 50


def test_table1_figures_and_names(county):
    L = county.ledger
    with L.sheet_table1("621200", DAY) as s:
        assert s.title == "机构编制基本情况表 (表1)"
        assert s.headers[:6] == ("行政区划", "单位名称", "单位性质", "规格", "经费形式", "编制类别")
        assert s.kinds[s.headers.index("编制数")] == bianzhi.ColumnKind.INTEGER
        h = {name: i for i, name in enumerate(s.headers)}
        rows = s.rows
        assert len(rows) == len(s)
        names = {u.uuid: u for u, _, _ in county.units}
        order = []
        for row in rows:
            unit = L.unit_by_name(row[h["单位名称"]], date=DAY)
            if not order or order[-1] != unit.uuid:
                order.append(unit.uuid)
            assert row[h["单位性质"]] == bianzhi.nature_name(unit.nature)
            assert row[h["规格"]] == bianzhi.rank_name(unit.rank)
            assert row[h["经费形式"]] == bianzhi.funding_name(unit.funding)
            table = L.basic_table(unit, DAY)
            cat = next(c for c in L.categories() if c.name == row[h["编制类别"]])
            r = next(r for r in table.rows if r.category == cat.code)
            assert row[h["编制数"]] == r.establishment and isinstance(row[h["编制数"]], int)
            assert row[h["实有人员"]] == r.staff
            assert row[h["空编"]] == r.vacant
            assert row[h["超编"]] == r.over
        # the offices' order: 武都区 before 成县, each in the order recorded — not by name
        assert order == [u.uuid for u, _, _ in county.units]
        assert order != sorted(order, key=lambda x: names[x].name)
        over = [row for row in rows if row[h["单位名称"]] == "武都区人民医院"]
        assert over[0][h["超编"]] == 2


def test_xlsx_cell_by_cell(county, tmp_path):
    L = county.ledger
    sheets = [L.sheet_table1("621202", DAY), L.sheet_table3("621221", date=DAY),
              L.sheet_limits("621202", bianzhi.Branch.TOTAL, DAY), L.sheet_limits("621202", 1, DAY),
              L.sheet_limits("621202", 2, DAY), L.sheet_vacancies("621200", DAY)]
    path = tmp_path / "报表.xlsx"
    L.write_reports(sheets, path, bianzhi.Format.XLSX)
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == len(sheets)
    for ws, s in zip(wb.worksheets, sheets):
        assert ws.title == s.title[:31]
        assert ws.freeze_panes == "A2"
        assert ws.max_row == len(s) + 1
        assert ws.max_column == len(s.headers)
        for c, name in enumerate(s.headers, 1):
            cell = ws.cell(row=1, column=c)
            assert cell.value == name
            assert cell.font.b
        rows = s.rows
        for r, row in enumerate(rows, 2):
            for c, (want, kind) in enumerate(zip(row, s.kinds), 1):
                got = ws.cell(row=r, column=c).value
                if want is None:
                    assert got is None
                elif kind == bianzhi.ColumnKind.INTEGER:
                    assert got == want and isinstance(got, int), (r, c, got)
                elif kind == bianzhi.ColumnKind.DATE:
                    assert isinstance(got, datetime.datetime) and got.date() == want, (r, c, got)
                    assert ws.cell(row=r, column=c).number_format == "yyyy-mm-dd"
                else:
                    assert got == want, (r, c, got)
        # widths that fit the Chinese text (up to the cap)
        for c, name in enumerate(s.headers, 1):
            letter = openpyxl.utils.get_column_letter(c)
            texts = [name] + [str(row[c - 1]) for row in rows if row[c - 1] is not None
                              and s.kinds[c - 1] == bianzhi.ColumnKind.TEXT]
            assert ws.column_dimensions[letter].width >= min(60, max(width(t) for t in texts))
    # the same sheet twice: unique worksheet names
    L.write_reports([sheets[0], sheets[0]], path, "xlsx")
    names = openpyxl.load_workbook(path).sheetnames
    assert names == ["机构编制基本情况表 (表1)", "机构编制基本情况表 (表1)(2)"]
    for s in sheets:
        s.close()


def test_csv_and_json_text(county, tmp_path):
    L = county.ledger
    s = L.sheet_table3(unit=county.over, date=DAY)
    text = s.text("csv")
    assert text.startswith("\ufeff单位名称,姓名,性别,身份证号")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    parsed = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert parsed[0] == list(s.headers)
    assert len(parsed) == len(s) + 1
    for got, want in zip(parsed[1:], s.rows):
        assert got == ["" if v is None else v.isoformat() if isinstance(v, datetime.date) else str(v) for v in want]
    s.write(tmp_path / "t3.csv")
    assert (tmp_path / "t3.csv").read_bytes().decode("utf-8") == text
    t1 = L.sheet_table1("621202", DAY)
    doc = json.loads(t1.text(bianzhi.Format.JSON))
    assert doc[0]["title"] == t1.title
    assert [c["name"] for c in doc[0]["columns"]] == list(t1.headers)
    assert [c["kind"] for c in doc[0]["columns"]][6] == "integer"
    assert [tuple(r) for r in doc[0]["rows"]] == [tuple(v.isoformat() if isinstance(v, datetime.date) else v
                                                        for v in row) for row in t1.rows]
    assert any(r[1] == "武都区\"两新\"组织服务中心,党群服务站" for r in doc[0]["rows"])
    bianzhi.write_sheets([t1, s], tmp_path / "both.json", "json")
    assert len(json.loads((tmp_path / "both.json").read_text(encoding="utf-8"))) == 2


def test_other_tables(county):
    L = county.ledger
    over = county.over
    t2 = L.sheet_table2(unit=over)
    kinds = [row[2] for row in t2.rows]
    assert "成立" in kinds and "核定编制" in kinds and "入编" in kinds
    assert all("." not in k for k in kinds)
    assert sum(1 for _ in L.changes(over)) == len(t2)
    cut = [row for row in t2.rows if row[0] == datetime.date(2017, 1, 1)]
    assert cut[0][4].startswith("事业编制: ")
    t2r = L.sheet_table2("621202", start="2017-01-01", end="2017-12-31")
    assert len(t2r) == 1
    ul = L.sheet_unit_ledger(over, DAY)
    assert ul.rows[-1][ul.headers.index("事业编制")] == L.establishment(over, "SY", DAY)
    card_no = L.person(next(iter(L.roster(over, DAY))).person).card
    card = L.sheet_card(card_no)
    assert len(card) == 1 and card.rows[0][card.headers.index("单位名称")] == "武都区人民医院"
    vac = L.sheet_vacancies("621200", DAY)
    for row in vac.rows:
        assert row[-1] > 0
    lim = L.sheet_limits("621202", bianzhi.Branch.ADMINISTRATIVE, DAY)
    assert [row[3] for row in lim.rows[:2]] == [800, -100]
    lg = L.limit_ledger("621202", DAY)
    assert lim.rows[-1][2] == "现状"
    assert lim.rows[-1][4] == lg.limit(bianzhi.Branch.ADMINISTRATIVE) == 700
    assert lim.rows[-1][5] == lg.allocated(bianzhi.Branch.ADMINISTRATIVE)


def test_org_chart(county, tmp_path):
    L = county.ledger
    L.org_chart(tmp_path / "org.svg", "621200", DAY)
    svg = (tmp_path / "org.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "武都区人民医院" in svg and "超编 2" in svg
    L.org_chart(tmp_path / "org.dot", "621202", DAY, "dot")
    dot = (tmp_path / "org.dot").read_text(encoding="utf-8")
    assert dot.startswith("digraph") and "color=red" in dot and "cluster_621202" in dot


def test_errors(county, tmp_path):
    L = county.ledger
    s = L.sheet_vacancies("621221", DAY)
    with pytest.raises(bianzhi.InvalidArgument):
        L.write_reports([s, s], tmp_path / "two.csv", "csv")
    with pytest.raises(bianzhi.InvalidArgument):
        s.write(tmp_path / "x.pdf", "pdf")
    with pytest.raises(bianzhi.InvalidArgument):
        s.text("xlsx")
    with pytest.raises(TypeError):
        bianzhi.write_sheets(["not a sheet"], tmp_path / "x.csv")
    missing = tmp_path / "no" / "such" / "空编.xlsx"
    with pytest.raises(bianzhi.LedgerIOError) as e:
        s.write(missing, bianzhi.Format.XLSX)
    assert e.value.errno == errno.ENOENT and e.value.filename == str(missing)
    assert str(missing) in str(e.value)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(bianzhi.NotFound):
        L.sheet_table1("629999", DAY)
    with pytest.raises(bianzhi.InvalidArgument):
        L.sheet_limits("621202", 5, DAY)
    with pytest.raises(bianzhi.InvalidArgument):
        L.sheet_table2("621202", start="2020-01-01", end="2019-01-01")
    with pytest.raises(bianzhi.NotFound):
        L.sheet_card("621202-999999")
    with pytest.raises(bianzhi.LedgerIOError):
        L.org_chart(missing.with_suffix(".svg"), "621202", DAY)
    with pytest.raises(bianzhi.InvalidArgument):
        L.org_chart(tmp_path / "x.png", "621202", DAY, "png")
    s.close()
    s.close()
    with pytest.raises(bianzhi.Misuse):
        s.rows
    # a sheet outlives its ledger
    other = bianzhi.open(":memory:", clock=DAY)
    with other.transaction("t", "o") as t:
        t.create_jurisdiction("620000", "甘肃省")
    s2 = other.sheet_table1("620000", DAY)
    other.close()
    assert s2.title == "机构编制基本情况表 (表1)" and len(s2) == 0
