"""Establishment, transfers, quota limits, Table 1 and the limit ledger through the binding; R4, R11."""
import datetime

import pytest

import bianzhi
from bianzhi import Branch

D = datetime.date


def test_categories(ln):
    codes = [c.code for c in ln.ledger.categories()]
    assert codes == sorted(codes) and "XZ" in codes and "SY" in codes
    xz = ln.ledger.category("XZ")
    assert xz.name == "行政编制" and xz.branch is Branch.ADMINISTRATIVE
    assert xz.natures & bianzhi.Nature.ORGAN
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.category("NOPE")
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.add_category("JY", "教育专项编制", Branch.INSTITUTION, bianzhi.Nature.INSTITUTION)
    assert ln.ledger.category("JY").branch is Branch.INSTITUTION
    with pytest.raises(bianzhi.Exists):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.add_category("JY", "教育专项编制二", Branch.INSTITUTION, bianzhi.Nature.INSTITUTION)
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.add_category("bad code", "x", Branch.INSTITUTION, bianzhi.Nature.INSTITUTION)


def test_establishment_transfer_tables(ln):
    a = ln.unit()
    b = ln.unit("武都区体育局")
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_limit("621202", Branch.ADMINISTRATIVE, 100, "2012-01-01")
        t.set_establishment(a, "XZ", 10, "2012-03-01")
        t.set_establishment(b.uuid, "XZ", 4, D(2012, 3, 1))
    assert ln.ledger.establishment(a, "XZ") == 10
    assert ln.ledger.establishment(a, "XZ", "2012-02-01") == 0
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.transfer_establishment(a, b, "XZ", 3, "2020-01-01")
    assert ln.ledger.establishment(a, "XZ") == 7 and ln.ledger.establishment(b, "XZ") == 7
    assert ln.ledger.establishment(a, "XZ", "2019-12-31") == 10
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.transfer_establishment(a, b, "XZ", 30, "2021-01-01")
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.set_establishment(a, "XZ", -1, "2021-01-01")
    with pytest.raises(bianzhi.NotFound):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.set_establishment(a, "NOPE", 1, "2021-01-01")
    lg = ln.ledger.limit_ledger("621202")
    assert lg.jurisdiction == "621202" and lg.as_of == D(2026, 12, 1)
    assert lg.limit(Branch.ADMINISTRATIVE) == 100
    assert lg.allocated(Branch.ADMINISTRATIVE) == 14
    assert lg.unallocated(Branch.ADMINISTRATIVE) == 86
    assert lg.limit(Branch.INSTITUTION) is None
    assert lg.vacant(Branch.ADMINISTRATIVE) == 14
    tb = ln.ledger.basic_table(a)
    assert tb.unit == a.uuid and tb.unit_name == "武都区教育局"
    row = tb.row("XZ")
    assert (row.establishment, row.staff, row.reserved, row.vacant, row.over) == (7, 0, 0, 7, 0)
    assert tb.row("SY") is None
    limits = [c for c in ln.ledger.subject_changes(ln.ledger.jurisdiction("621202")) if c.kind == "limit.set"]
    assert len(limits) == 1 and limits[0].document_number == "陇编发〔2012〕31号"


def _refused(ln, fn):
    events, facts = ln.count("event"), ln.count("fact")
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        fn()
    assert (ln.count("event"), ln.count("fact")) == (events, facts)
    return e.value


def test_r4_quota_limit(ln):
    a = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_limit("621202", Branch.ADMINISTRATIVE, 5, "2012-01-01")

    def go():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.set_establishment(a, "XZ", 6, "2013-01-01")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R4][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == ln.ledger.jurisdiction("621202").uuid
    assert "武都区" in v.subject_name
    assert v.category == "branch:1"
    assert (v.allowed, v.actual) == (5, 6)
    assert v.document == ln.city_doc.uuid and v.document_number == "陇编发〔2012〕31号"
    assert v.date == D(2013, 1, 1)
    assert ln.ledger.establishment(a, "XZ") == 0


def test_r11_category_not_for_the_nature(ln):
    a = ln.unit()   # an organ

    def go():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.set_establishment(a, "SY", 3, "2013-01-01")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R11][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == a.uuid and v.subject_name == "武都区教育局"
    assert v.category == "SY"
    assert v.document == ln.city_doc.uuid
    assert v.date == D(2013, 1, 1)


def test_full_ledger_check(ln):
    a = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_limit("621202", Branch.ADMINISTRATIVE, 50, "2012-01-01")
        t.set_establishment(a, "XZ", 10, "2012-03-01")
    rep = ln.ledger.check()
    assert isinstance(rep, bianzhi.Report)
    assert rep.errors == [] and len(rep) == len(rep.warnings)
    assert ln.ledger.check(D(2015, 6, 30)).errors == []
    with pytest.raises(bianzhi.InvalidArgument):
        ln.ledger.check("2015-02-30")
    del rep                      # owned report freed once
