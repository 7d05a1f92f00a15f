"""Who may change what (office.h) through the binding: offices registered and
listed, their powers as dated data, a transaction acting for an office, and
R15 refusing a county office on another county's unit, field by field, with
nothing written."""
import datetime

import pytest

import bianzhi
from bianzhi import OfficeType, Power, Rule, Severity

from test_refusals import TABLES

D = datetime.date
CITY = "陇南市机构编制委员会办公室"
WUDU = "陇南市武都区机构编制委员会办公室"
CHENGXIAN = "成县机构编制委员会办公室"
HR = "陇南市武都区人力资源和社会保障局"


@pytest.fixture
def offices(ln):
    """The Longnan fixture with a 成县 unit and its offices (the city office registers itself first)."""
    ln.unit_wd = ln.unit()  # made before any office, under a free-text office name
    ln.cx_unit = ln.unit("成县教育局", jur="621221")
    with ln.ledger.transaction("王编", CITY) as t:
        ln.city = t.register_office(CITY, "621200", OfficeType.ESTABLISHMENT)
        ln.wudu = t.register_office(WUDU, "621202", OfficeType.ESTABLISHMENT)
        ln.chengxian = t.register_office(CHENGXIAN, ln.ledger.jurisdiction("621221"), OfficeType.ESTABLISHMENT)
        ln.hr = t.register_office(HR, "621202", OfficeType.HR)
    return ln


def test_offices_registered_and_read(offices):
    ln = offices
    o = ln.ledger.office(ln.hr)
    assert (o.name, o.jurisdiction, o.kind, o.level) == (HR, "621202", OfficeType.HR, bianzhi.Level.COUNTY)
    assert o.registered == D(2026, 12, 1)
    assert ln.ledger.find_office(CITY).uuid == ln.city.uuid
    assert [x.name for x in ln.ledger.offices("621202")] == [WUDU, HR]
    assert len(list(ln.ledger.offices())) == 4
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.find_office("陇南市编办")
    with ln.ledger.transaction("王编", CITY) as t:
        with pytest.raises(bianzhi.Exists):
            t.register_office(HR, "621202", OfficeType.HR)
        with pytest.raises(bianzhi.InvalidArgument):
            t.register_office("陇南市审计局", "621202", 7)
    assert OfficeType.HR.cn == "人社" and OfficeType.ESTABLISHMENT.cn == "编办"
    assert ln.ledger.office_power(OfficeType.HR, Power.PLACEMENT) is True
    assert ln.ledger.office_power(OfficeType.HR, Power.ESTABLISHMENT) is False


def test_r15_county_office_on_another_county(offices):
    ln = offices
    before = {t: ln.count(t) for t in TABLES + ("office",)}
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        with ln.ledger.begin_office("王编", ln.chengxian) as t:
            t.set_document(ln.county_doc)
            t.set_establishment(ln.unit_wd, "XZ", 5, "2014-02-01")
    assert {t: ln.count(t) for t in TABLES + ("office",)} == before
    vs = [v for v in e.value.violations if v.rule is Rule.R15]
    assert len(vs) == 1 and len(e.value.violations) == 1
    v = vs[0]
    assert v.rule_id == "R15" and v.severity is Severity.ERROR
    assert v.office == CHENGXIAN
    assert v.subject == ln.unit_wd.uuid and v.subject_name == "武都区教育局"
    assert v.category == "establishment"
    assert v.document == ln.county_doc.uuid and v.document_number == "武编发〔2013〕5号"
    assert v.date == D(2014, 2, 1) and (v.allowed, v.actual) == (None, None) and v.excepted_by is None
    assert "outside its scope" in v.message
    # its own county's office may
    with ln.ledger.begin_office("王编", ln.wudu) as t:
        t.set_document(ln.county_doc)
        t.set_establishment(ln.unit_wd, "XZ", 5, "2014-02-01")
    assert ln.ledger.establishment(ln.unit_wd, "XZ", "2014-02-01") == 5


def test_r15_unknown_office_and_powers_as_data(offices):
    ln = offices
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        with ln.ledger.transaction("tester", "测试编办", document=ln.county_doc) as t:
            t.set_establishment(ln.unit_wd, "XZ", 5, "2014-02-01")
    (v,) = e.value.violations
    assert (v.rule, v.office, v.subject, v.subject_name, v.category) == (Rule.R15, "测试编办", None, "测试编办",
                                                                          "office")
    with ln.ledger.transaction("王编", CITY, document=ln.city_doc) as t:
        t.set_office_power(OfficeType.HR, Power.SLIP, True, "2021-01-01")
    assert ln.ledger.office_power(OfficeType.HR, Power.SLIP, "2021-01-01") is True
    assert ln.ledger.office_power(OfficeType.HR, Power.SLIP, "2020-12-31") is False
    assert ln.ledger.rule_param("power.hr.slip", "2021-01-01") == "1"
