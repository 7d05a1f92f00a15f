"""Documents, jurisdictions, units and change records through the binding, with R6, R7, R10."""
import datetime

import pytest

import bianzhi
from conftest import credit_code

D = datetime.date


def test_document_number_parsing():
    assert bianzhi.parse_document_number("陇编发[2012]31") == ("陇编发〔2012〕31号", "陇编发", 2012, 31)
    for bad in ("陇编发〔12〕31号", "〔2012〕31号", "陇编发〔2012〕0号", "陇编发〔2012〕31号之一"):
        with pytest.raises(bianzhi.InvalidArgument):
            bianzhi.parse_document_number(bad)
    with pytest.raises(bianzhi.InvalidArgument):
        bianzhi.parse_document_number(None)


def test_documents(ln):
    d = ln.ledger.document(ln.county_doc.uuid)
    assert d == ln.county_doc
    assert d.number == "武编发〔2013〕5号"
    assert d.date == D(1990, 1, 10)
    assert d.level is bianzhi.Level.COUNTY and d.kind is bianzhi.IssuerKind.ESTABLISHMENT
    assert d.jurisdiction == "621202"
    assert ln.ledger.find_document("武都区机构编制委员会", "武编发(2013)5号").uuid == d.uuid
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.find_document("武都区机构编制委员会", "武编发〔2013〕6号")
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.document("00000000-0000-4000-8000-000000000000")
    docs = ln.count("event")
    with pytest.raises(bianzhi.Exists):
        with ln.ledger.transaction("u", "o") as t:
            t.register_document("武都区机构编制委员会", "武编发〔2013〕5号", "again", "2013-02-01",
                                bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT, "621202")
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o") as t:
            t.register_document("武都区机构编制委员会", "五号文", "t", "2013-02-01",
                                bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT, "621202")
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o") as t:
            t.register_document("x", "武编发〔2013〕9号", "t", "2013-02-30",
                                bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT, "621202")
    assert ln.count("event") == docs
    with pytest.raises(bianzhi.NotFound):
        with ln.ledger.transaction("u", "o") as t:
            t.set_document("00000000-0000-4000-8000-000000000000")


def test_jurisdictions(ln):
    j = ln.ledger.jurisdiction("621202")
    assert (j.code, j.name, j.parent, j.level) == ("621202", "武都区", "621200", bianzhi.Level.COUNTY)
    assert [x.name for x in ln.ledger.jurisdictions(ln.ledger.jurisdiction("621200"))] == ["武都区", "成县"]
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o") as t:
            t.create_jurisdiction("62120", "bad")
    with pytest.raises(bianzhi.Exists):
        with ln.ledger.transaction("u", "o") as t:
            t.create_jurisdiction("621202", "武都区", "621200")
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.jurisdiction("999999")


def test_unit_lifecycle_and_changes(ln):
    code = credit_code("1", "621202", "MB000001")
    assert bianzhi.credit_code_valid(code)
    u = ln.unit(credit_code=code, duties="教育")
    assert u.name == "武都区教育局" and u.nature is bianzhi.Nature.ORGAN
    assert u.founded == D(2012, 3, 1) and u.as_of == D(2012, 3, 1)
    assert u.status is bianzhi.UnitState.ACTIVE and u.ended is None
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.rename_unit(u, "武都区教育和体育局", D(2019, 3, 1))
        t.set_unit_funding(u.uuid, bianzhi.Funding.FULL, "2019-03-01")
    assert ln.ledger.unit(u.uuid, "2018-12-31").name == "武都区教育局"
    now = ln.ledger.unit(u.uuid)
    assert now.name == "武都区教育和体育局" and now.as_of == D(2026, 12, 1)
    assert ln.ledger.unit_by_credit_code(code).uuid == u.uuid
    assert ln.ledger.unit_by_name("武都区教育局", "621202", D(2015, 1, 1)).uuid == u.uuid
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.unit_by_name("武都区教育局", "621202")
    assert [x.name for x in ln.ledger.units("621202")] == ["武都区教育和体育局"]
    assert list(ln.ledger.units("621221")) == []
    kinds = [c.kind for c in ln.ledger.changes(u)]
    assert kinds[0] == "unit.establish" and "unit.rename" in kinds
    ch = [c for c in ln.ledger.changes(u) if c.kind == "unit.rename"][0]
    assert ch.effective == D(2019, 3, 1) and ch.document_number == "陇编发〔2012〕31号"
    assert ch.recorded_by == "u" and ch.office == "o"
    assert ("name", "武都区教育局", "武都区教育和体育局") in ch.attributes
    assert isinstance(ch.recorded_at, datetime.datetime)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.abolish_unit(u, "2025-01-01")
    gone = ln.ledger.unit(u.uuid)
    assert gone.status is bianzhi.UnitState.ABOLISHED and gone.ended == D(2025, 1, 1)


def test_bad_input(ln):
    events = ln.count("event")
    with pytest.raises(bianzhi.InvalidArgument):
        ln.unit(founded="2012-13-01")
    with pytest.raises(bianzhi.InvalidArgument):
        ln.unit(founded=None)
    with pytest.raises(bianzhi.InvalidArgument):
        ln.unit(name=None)
    with pytest.raises(bianzhi.InvalidArgument):
        ln.unit(credit_code="12345")
    with pytest.raises(bianzhi.NotFound):
        ln.unit(jur="629999")
    with pytest.raises(bianzhi.InvalidArgument):
        ln.ledger.unit(12345)
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.unit("00000000-0000-4000-8000-000000000000")
    assert ln.count("event") == events


def _refused(ln, fn):
    events, facts = ln.count("event"), ln.count("fact")
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        fn()
    assert (ln.count("event"), ln.count("fact")) == (events, facts)   # nothing written
    return e.value


def test_r6_county_document_cannot_establish_fuke_institution(ln):
    e = _refused(ln, lambda: ln.unit("武都区疾病预防控制中心", bianzhi.Nature.INSTITUTION,
                                    bianzhi.Rank.FUKE, doc=ln.county_doc, founded="2013-02-01"))
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R6][0]
    assert v.severity is bianzhi.Severity.ERROR and v.rule_id == "R6"
    assert v.subject_name == "武都区疾病预防控制中心"
    assert len(v.subject) == 36
    assert v.category is None
    assert v.allowed == bianzhi.Level.CITY and v.actual == bianzhi.Level.COUNTY
    assert v.document == ln.county_doc.uuid and v.document_number == "武编发〔2013〕5号"
    assert v.date == D(2013, 2, 1)
    assert "R6" in v.message
    assert "commit refused" in str(e) and v.message in str(e)
    assert v in e.errors
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.unit_by_name("武都区疾病预防控制中心", "621202", "2014-01-01")


def test_r6_business_document_is_no_basis(ln):
    e = _refused(ln, lambda: ln.unit("武都区教育局", doc=ln.business_doc))
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R6][0]
    assert v.document == ln.business_doc.uuid and v.document_number == "陇教发〔2013〕7号"
    assert v.severity is bianzhi.Severity.ERROR


def test_r6_no_document(ln):
    def go():
        with ln.ledger.transaction("u", "o") as t:
            t.establish_unit("无依据局", bianzhi.Nature.ORGAN, "621202", "2013-01-01")
    e = _refused(ln, go)
    assert any(v.rule is bianzhi.Rule.R6 and v.document is None for v in e.violations)


def test_r7_change_before_founding(ln):
    u = ln.unit()

    def go():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.rename_unit(u, "早名", "2011-01-01")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R7][0]
    assert v.subject == u.uuid and v.subject_name == "早名"  # named as the refused rename would name it
    assert v.date == D(2011, 1, 1) and v.severity is bianzhi.Severity.ERROR
    assert v.allowed is None and v.actual is None
    assert ln.ledger.unit(u.uuid).name == "武都区教育局"


def test_r10_wrong_check_character(ln):
    good = credit_code("1", "621202", "MB000002")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    e = _refused(ln, lambda: ln.unit(credit_code=bad))
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R10][0]
    assert v.subject_name == "武都区教育局" and v.severity is bianzhi.Severity.ERROR
    assert v.document == ln.city_doc.uuid and v.date == D(2012, 3, 1)
    assert bad in v.message


def test_warnings_reachable_after_commit(ln):
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.create_jurisdiction("621222", "文县", "621200")
    assert isinstance(t.report, bianzhi.Report)
    assert len(t.report) == len(t.warnings) == 0
    assert t.report.errors == []
    assert repr(t.report).startswith("<bianzhi.Report")


def test_names_and_examples_run(ln, tmp_path):
    assert bianzhi.nature_name(bianzhi.Nature.ORGAN) == "行政机关"
    assert bianzhi.rank_name(bianzhi.Rank.ZHENGKE) == "正科"
    assert bianzhi.funding_name(bianzhi.Funding.FULL) == "全额拨款"
    import os
    import subprocess
    import sys
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    out = subprocess.run([sys.executable, os.path.join(root, "examples", "python", "longnan.py"),
                          str(tmp_path / "demo.ledger")], capture_output=True, text=True, check=True).stdout
    assert "[R6 error]" in out and "武都区教育和体育局" in out
    assert "[R13 error]" in out and "从业人员 5" in out
