"""Leadership quotas and internal sub-units through the binding; R2, R3."""
import datetime

import pytest

import bianzhi
from bianzhi import Rank

D = datetime.date


def organ(ln):
    return ln.unit(founded="2010-01-01", doc=ln.county_doc)


def _refused(ln, fn, tables=("event", "fact")):
    before = [ln.count(t) for t in tables]
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        fn()
    assert [ln.count(t) for t in tables] == before
    return e.value


def test_leadership_quota(ln):
    u = organ(ln)
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.set_leadership(u, 1, 2, Rank.ZHENGKE, "2012-01-01")
    q = ln.ledger.leadership(u)
    assert (q.principal_quota, q.deputy_quota, q.level, q.principals, q.deputies) == (1, 2, Rank.ZHENGKE, 0, 0)
    assert q.subject == u.uuid
    with pytest.raises(bianzhi.NotFound):
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.set_leadership("00000000-0000-4000-8000-000000000000", 1, 0, date="2012-01-01")


def test_r2_above_the_norm(ln):
    u = organ(ln)

    def go():
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.set_leadership(u, 1, 3, Rank.NONE, "2012-01-01")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R2][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == u.uuid and v.subject_name == "武都区教育局"
    assert v.category == "deputy"
    assert (v.allowed, v.actual) == (2, 3)
    assert v.document == ln.county_doc.uuid
    assert v.date == D(2012, 1, 1)


def test_subunits(ln):
    u = organ(ln)
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.approve_subunits(u, 2, "2012-01-01")
        a = t.create_subunit(u, "办公室", Rank.ZHENGGU, "2012-01-01")
        t.create_subunit(u, "人事股", Rank.ZHENGGU, "2012-01-01")
    assert ln.ledger.subunits_approved(u) == 2
    assert sorted(s.name for s in ln.ledger.subunits(u)) == ["人事股", "办公室"]
    assert ln.ledger.subunit(a).rank is Rank.ZHENGGU and ln.ledger.subunit(a).unit == u.uuid
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.rename_subunit(a, "综合办公室", "2014-01-01")
    assert ln.ledger.subunit(a, "2013-01-01").name == "办公室"
    assert ln.ledger.subunit(a).name == "综合办公室"
    assert ln.ledger.basic_table(u).subunits == 2


def test_r3_more_than_approved(ln):
    u = organ(ln)
    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        t.approve_subunits(u, 1, "2012-01-01")
        t.create_subunit(u, "办公室", Rank.ZHENGGU, "2012-01-01")

    def go():
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.create_subunit(u, "人事股", Rank.ZHENGGU, "2013-01-01")
    e = _refused(ln, go, ("event", "fact", "subunit"))
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R3][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == u.uuid and v.subject_name == "武都区教育局"
    assert v.category is None
    assert (v.allowed, v.actual) == (1, 2)
    assert v.document == ln.county_doc.uuid
    assert v.date == D(2013, 1, 1)
