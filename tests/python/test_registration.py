"""事业单位法人登记 from Python (registration.h): register, certify, file an annual report; one
refusal (R13: a report whose staff figure differs from the ledger, both figures named, nothing
written); the inspection flags a rename without 变更登记 only after the grace period; the rates."""
import datetime

import pytest

import bianzhi

from conftest import credit_code


def institution(ln):
    bureau = ln.unit("武都区卫生健康局", founded="2010-01-01")
    code = credit_code("2", "621202", "MB174620")
    cdc = ln.unit("武都区疾病预防控制中心", nature=bianzhi.Nature.INSTITUTION, rank=bianzhi.Rank.FUKE,
                  founded="2010-01-01", parent=bureau, credit_code=code)
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.county_doc) as t:
        t.set_establishment(cdc, "SY", 10, "2010-01-01")
        t.register_institution(cdc, "2010-03-01", ln.business_doc, "武都区疾病预防控制中心", "钟楼滩路12号", "张明",
                               "疾病预防控制", 500000, bureau, bianzhi.Funding.FULL, code)
        t.certify_institution(cdc, bianzhi.CertKind.ISSUE, "事证1", "2020-03-15")
    return bureau, cdc


def test_register_and_read(ln):
    bureau, cdc = institution(ln)
    r = ln.ledger.registration(cdc, "2021-01-01")
    assert r.state is bianzhi.RegState.REGISTERED
    assert r.name == "武都区疾病预防控制中心" and r.sponsor == bureau.uuid and r.funds == 500000
    assert r.funding is bianzhi.Funding.FULL
    assert r.cert_number == "事证1" and r.cert_valid_until == datetime.date(2025, 3, 14) and r.cert_valid
    assert not ln.ledger.registration(cdc, "2025-03-15").cert_valid
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.registration(cdc, "2010-02-01")


def test_report_refused_names_both_figures(ln):
    _, cdc = institution(ln)
    events = ln.count("event")
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        with ln.ledger.transaction("王会计", "武都区委编办", document=ln.county_doc) as t:
            t.file_annual_report(cdc, 2020, "2021-03-01", 3, 10, 500000)
    v = [x for x in e.value.violations if x.rule is bianzhi.Rule.R13][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == cdc.uuid and v.category == "staff"
    assert v.allowed == 0 and v.actual == 3
    assert v.date == datetime.date(2021, 3, 1)
    assert "从业人员 3" in v.message
    assert ln.count("event") == events
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.annual_report(cdc, 2020)
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.county_doc) as t:
        t.file_annual_report(cdc, 2020, "2021-03-01", 0, 10, 500000)
    a = ln.ledger.annual_report(cdc, 2020)
    assert a.agrees and a.ledger_staff == 0 and a.due == datetime.date(2021, 3, 31)


def test_rename_flagged_after_grace(ln):
    _, cdc = institution(ln)
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.city_doc) as t:
        t.rename_unit(cdc, "武都区疾控中心", "2024-05-01")

    def r12(date):
        return [v for v in ln.ledger.check(date) if v.rule is bianzhi.Rule.R12 and v.category == "name"]
    assert r12("2024-05-31") == []
    assert len(r12("2024-06-01")) == 1


def test_rates_and_bad_arguments(ln):
    _, cdc = institution(ln)
    s = ln.ledger.sheet_registration("621200", "2021-06-01")
    assert s.title == "事业单位登记管理情况"
    assert s.rows[-1][0] == "合计" and s.rows[-1][1] == 1 and s.rows[-1][2] == 1
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.county_doc) as t:
        with pytest.raises(bianzhi.InvalidArgument):
            t.certify_institution(cdc, 9, "x", "2021-01-01")
        with pytest.raises(TypeError):
            t.file_annual_report(cdc, 2020, "2021-03-01", "3", 10, 1)
        with pytest.raises(bianzhi.InvalidArgument):
            t.change_registration(cdc, bianzhi.RegField.FUNDS, "-5", "2021-01-01", ln.business_doc)


def test_set_unit_credit_code(ln):
    """A unit founded without a credit code is given one (bz_unit_set_credit_code); one refusal:
    a wrong check character is R10 at commit, named field by field, nothing written; another
    unit's code is Exists; the registration stating the old code is out of step (R12) after the
    grace days."""
    bureau, cdc = institution(ln)
    mch = ln.unit("武都区妇幼保健院", nature=bianzhi.Nature.INSTITUTION, rank=bianzhi.Rank.FUKE,
                  founded="2010-01-01", parent=bureau)
    assert ln.ledger.unit(mch.uuid, "2015-01-01").credit_code is None
    good = credit_code("2", "621202", "MB174621")
    bad = good[:17] + ("1" if good[17] == "0" else "0")
    events = ln.count("event")
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        with ln.ledger.transaction("王会计", "武都区委编办", document=ln.county_doc) as t:
            t.set_unit_credit_code(mch, bad, "2015-01-01")
    v = [x for x in e.value.violations if x.rule is bianzhi.Rule.R10][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == mch.uuid and v.subject_name == "武都区妇幼保健院"
    assert v.date == datetime.date(2015, 1, 1) and bad in v.message
    assert ln.count("event") == events
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.county_doc) as t:
        t.set_unit_credit_code(mch, good.lower(), "2015-01-01")
        with pytest.raises(bianzhi.Exists):
            t.set_unit_credit_code(mch, ln.ledger.unit(cdc.uuid).credit_code, "2016-01-01")
        with pytest.raises(bianzhi.InvalidArgument):
            t.set_unit_credit_code(mch, "123", "2016-01-01")
        with pytest.raises(TypeError):
            t.set_unit_credit_code(mch, 123, "2016-01-01")
    assert ln.ledger.unit(mch.uuid, "2014-12-31").credit_code is None
    assert ln.ledger.unit(mch.uuid, "2015-01-01").credit_code == good
    # the registered institution's code changed in the ledger, not in its registration
    new = credit_code("2", "621202", "MB174629")
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.county_doc) as t:
        t.set_unit_credit_code(cdc, new, "2024-05-01")

    def r12(date):
        return [v for v in ln.ledger.check(date) if v.rule is bianzhi.Rule.R12 and v.category == "credit_code"]
    assert r12("2024-05-31") == []
    assert len(r12("2024-06-01")) == 1
