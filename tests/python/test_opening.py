"""Opening balances (建账) through the binding: a county's units and staff loaded without usage slips
on one opening document at a cut-over date; entries after the cut-over refused; rules still checked."""
import datetime

import pytest

import bianzhi
from bianzhi import Rule, Severity

from conftest import count
from test_staff import idnum

D = datetime.date
CUTOVER = D(2024, 12, 31)


def opening_doc(ln):
    with ln.ledger.transaction("u", "o") as t:
        return t.register_document("武都区机构编制委员会", "武编发〔2024〕30号", "关于建立机构编制实名制管理台账的通知",
                                   "2024-12-20", bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT, "621202")


def person_id(i):
    return idnum("621202%04d%02d%02d%03d" % (1955 + i % 20, 1 + i % 12, 1 + i % 28, i))


def test_opening_without_slips(ln):
    doc = opening_doc(ln)
    with ln.ledger.transaction("u", "o") as t:
        t.set_opening(CUTOVER, doc)
        units = []
        for n, name in enumerate(["武都区教育局", "武都区卫生健康局", "武都区农业农村局"]):
            u = t.establish_unit(name, bianzhi.Nature.ORGAN, "621202", "1987-03-01", rank=bianzhi.Rank.ZHENGKE)
            t.set_establishment(u, "XZ", 12, "1987-03-01")
            for i in range(10):
                p = t.register_person(person_id(n * 10 + i), "张%s" % "伟芳娜敏静强磊军刚丽"[i])
                t.enter(p, u, "XZ", None, 9, "%d-06-01" % (2000 + i))
            units.append(u)
    assert count(ln.path, "placement") == 30 and count(ln.path, "slip") == 0
    assert ln.ledger.opening_cutover(doc) == CUTOVER
    for u in units:
        roster = list(ln.ledger.roster(u, CUTOVER))
        assert len(roster) == 10 and all(p.slip is None for p in roster)
        assert {p.entry_document for p in roster} == {"武编发〔2024〕30号"}
    assert ln.ledger.check().errors == []
    with pytest.raises(bianzhi.NotFound):
        ln.ledger.opening_cutover(ln.county_doc)


def test_entry_after_cutover_and_rules(ln):
    doc = opening_doc(ln)
    placements = count(ln.path, "placement")
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o") as t:
            t.set_opening(CUTOVER, doc)
            u = t.establish_unit("武都区司法局", bianzhi.Nature.ORGAN, "621202", "1987-03-01",
                                 rank=bianzhi.Rank.ZHENGKE)
            t.set_establishment(u, "XZ", 2, "2025-01-02")
    # over establishment at the cut-over: R1, as for any change; nothing written
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        with ln.ledger.transaction("u", "o") as t:
            t.set_opening(CUTOVER, doc)
            u = t.establish_unit("武都区司法局", bianzhi.Nature.ORGAN, "621202", "1987-03-01",
                                 rank=bianzhi.Rank.ZHENGKE)
            t.set_establishment(u, "XZ", 1, "1987-03-01")
            for i in range(2):
                t.enter(t.register_person(person_id(90 + i), "李明"), u, "XZ", None, 9, "2015-06-01")
    v = [v for v in e.value.violations if v.rule is Rule.R1 and v.severity is Severity.ERROR][0]
    assert v.allowed == 1 and v.actual == 2 and v.category == "XZ"
    assert not [v for v in e.value.violations if v.rule is Rule.R8]
    assert count(ln.path, "placement") == placements and count(ln.path, "opening") == 0


def test_opening_misuse(ln):
    doc = opening_doc(ln)
    with ln.ledger.transaction("u", "o") as t:
        with pytest.raises(bianzhi.InvalidArgument):
            t.set_opening(CUTOVER, ln.business_doc)
        with pytest.raises(bianzhi.InvalidArgument):
            t.set_opening("2024-02-30", doc)
        t.set_opening(CUTOVER, doc)
        with pytest.raises(bianzhi.Misuse):
            t.set_opening(CUTOVER, doc)
        with pytest.raises(bianzhi.Misuse):
            t.set_document(ln.county_doc)
        t.rollback()
    assert count(ln.path, "opening") == 0
