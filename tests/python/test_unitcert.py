"""The units' 机构编制管理证 (unitcert.h) through the binding: issue, renew, void, the state at a
date and its boundary, R14 refusing an entry as ConstraintViolation with nothing written, errors."""
import datetime

import pytest

import bianzhi

D = datetime.date


def idnum(body17):
    """A citizen ID number with its GB 11643 check character."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(c) * w[i] for i, c in enumerate(body17)) % 11]


def test_issue_renew_void(ln):
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        c = t.issue_unitcert(u, "2013-03-01")
    assert isinstance(c, bianzhi.Unitcert)
    assert c.number == "621202-BZZ-2013-0001" and c.unit == u.uuid
    assert c.issued == D(2013, 3, 1) and c.valid_until == D(2018, 2, 28)
    assert c.state == bianzhi.UnitcertPhase.VALID and c.renews is None and c.voided is None
    # the boundary: valid on its last day, expired the day after
    assert ln.ledger.unitcert(c, "2018-02-28").state == bianzhi.UnitcertPhase.VALID
    assert ln.ledger.unitcert(c, D(2018, 3, 1)).state == bianzhi.UnitcertPhase.EXPIRED
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        n = t.renew_unitcert(c, "2018-04-01", number="武编证〔2018〕1号")
    assert n.renews == c.uuid and n.number == "武编证〔2018〕1号" and n.valid_until == D(2023, 3, 31)
    assert ln.ledger.unitcert(c).renewed == D(2018, 4, 1)
    assert ln.ledger.unitcert(c).state == bianzhi.UnitcertPhase.RENEWED
    assert ln.ledger.unitcert_by_number("武编证〔2018〕1号", "2019-01-01").uuid == n.uuid
    assert ln.ledger.unitcert_held(u, "2018-03-31").uuid == c.uuid
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.void_unitcert(n, "2020-01-01")
    held = ln.ledger.unitcert_held(u, "2020-06-01")
    assert held.uuid == n.uuid and held.state == bianzhi.UnitcertPhase.VOID and held.voided == D(2020, 1, 1)
    assert [x.state for x in ln.ledger.unitcerts(u, "2019-01-01")] == [bianzhi.UnitcertPhase.RENEWED,
                                                                       bianzhi.UnitcertPhase.VALID]
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.unitcert_held(u, "2013-02-28")


def test_errors_write_nothing(ln):
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        c = t.issue_unitcert(u, "2013-03-01")
    other = ln.unit("武都区财政局")
    certs, events = ln.count("unitcert"), ln.count("event")
    with pytest.raises(bianzhi.InvalidArgument, match="already holds 机构编制管理证 621202-BZZ-2013-0001"):
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.issue_unitcert(u, "2014-01-01")
    with pytest.raises(bianzhi.Exists):
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.issue_unitcert(other, "2014-01-01", number=c.number)
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.void_unitcert(c, "2013-02-01")
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.issue_unitcert(u, "2013-02-30")
    assert ln.count("unitcert") == certs
    assert ln.count("event") == events


def test_r14_refuses_an_entry(ln):
    """R14 as an error from a date: an entry into a unit whose certificate was voided is refused, nothing written."""
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.set_establishment(u, "XZ", 3, "2012-03-01")
        c = t.issue_unitcert(u, "2019-01-01")
        t.set_rule_param("unitcert.enforce", "error", "2019-01-01")
        slip = t.issue_slip(u, "XZ", 2, 1, "2020-01-01", "2020-12-31")
        p = t.register_person(idnum("62120219900101123"), "王小明")
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.void_unitcert(c, "2020-03-01")
    placements, events = ln.count("placement"), ln.count("event")
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.enter(p, u, "XZ", slip, 1, "2020-03-01")
    assert len(e.value.errors) == 1
    v = e.value.errors[0]
    assert v.rule == bianzhi.Rule.R14 and v.rule_id == "R14" and v.severity == bianzhi.Severity.ERROR
    assert v.subject == u.uuid and v.subject_name == "武都区教育局"
    assert v.category == "unitcert:621202-BZZ-2019-0001"
    assert (v.allowed, v.actual) == (1, 0)
    assert v.date == D(2020, 3, 1) and v.document_number == "武编发〔2013〕5号"
    assert "was voided on 2020-03-01" in v.message
    assert ln.count("placement") == placements and ln.count("event") == events
    # the day before the void it was valid: the entry stands
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.enter(p, u, "XZ", slip, 1, "2020-02-29")
    assert [r.code for r in bianzhi.rules() if r.rule == bianzhi.Rule.R14] == ["R14"]
    assert ln.ledger.rule_param("unitcert.enforce", "2018-12-31") == "off"
