"""The rules engine of 1.1 through the binding: the rules table, rule parameters as dated
data, documented exceptions, frozen posts (R1) and hiring plans (R8)."""
import datetime

import pytest

import bianzhi

from test_staff import WANG, _refused

D = datetime.date


def test_rules_table(mem):
    rules = mem.rules()
    assert rules == bianzhi.rules()
    assert [r.code for r in rules] == ["R%d" % i for i in range(1, 16)] + ["INTEGRITY"]
    assert [r.rule for r in rules] == [bianzhi.Rule(i) for i in range(1, 16)] + [bianzhi.Rule.INTEGRITY]
    by = {r.code: r for r in rules}
    assert by["R1"].name.startswith("不准超编进人") and by["INTEGRITY"].name.startswith("账实相符")
    assert all(r.name and r.seed_clause for r in rules)
    assert by["R9"].severity is bianzhi.Severity.WARNING and by["R1"].severity is bianzhi.Severity.ERROR
    assert [r.code for r in rules if r.exceptable] == ["R1", "R2", "R8"]
    assert isinstance(by["R8"].exceptable, bool)
    # the enum keeps its Chinese names (the header comments), the table has the long names
    assert bianzhi.Rule.INTEGRITY == 90 and bianzhi.Rule.INTEGRITY.cn == "账实相符"
    assert bianzhi.Rule.R1.cn == "不准超编进人" and bianzhi.Rule.from_name("核编在先") is bianzhi.Rule.R8
    assert bianzhi.Rule.R14.cn == "机构编制管理证" and by["R14"].seed_clause.startswith("§3 必须持")


def test_freeze_r1(ln):
    """Frozen posts count against the establishment: freezing what a slip reserves, and a slip
    needing frozen posts, are refused with R1 (actual = in post + reserved + frozen)."""
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_establishment(u, "XZ", 3, "2012-03-01")
        slip = t.issue_slip(u, "XZ", 2, 1, "2026-11-01", "2027-04-30")
        t.enter(t.register_person(WANG, "王小明"), u, "XZ", slip, 1, "2026-11-02")
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.freeze(u, "XZ", 1, "2026-11-05")
    assert ln.ledger.frozen(u, "XZ") == 1 and ln.ledger.frozen(u, "XZ", D(2026, 11, 4)) == 0
    row = ln.ledger.basic_table(u).row("XZ")
    assert (row.establishment, row.staff, row.reserved, row.frozen, row.vacant) == (3, 1, 1, 1, 0)
    fig = ln.ledger.limit_ledger("621202").figures[bianzhi.Branch.ADMINISTRATIVE]
    assert fig.frozen == 1 and fig.vacant == 0

    def freeze_more():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.freeze(u, "XZ", 2, "2026-11-10")
    e = _refused(ln, freeze_more)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R1][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == u.uuid and v.subject_name == "武都区教育局" and v.category == "XZ"
    assert (v.allowed, v.actual) == (3, 1 + 1 + 2)
    assert v.document == ln.city_doc.uuid and v.date == D(2026, 11, 10) and v.excepted_by is None

    def hire_into_frozen():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.issue_slip(u, "XZ", 1, 1, "2026-11-12", "2027-04-30")
    e = _refused(ln, hire_into_frozen)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R1][0]
    assert v.severity is bianzhi.Severity.ERROR and v.excepted_by is None
    assert v.subject == u.uuid and v.subject_name == "武都区教育局" and v.category == "XZ"
    assert (v.allowed, v.actual) == (3, 1 + 2 + 1) and v.date == D(2026, 11, 12)
    assert v.document == ln.city_doc.uuid
    assert ln.ledger.frozen(u, "XZ") == 1 and len(list(ln.ledger.slips(u))) == 1   # no second slip
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:   # unfreeze: the slip fits again
        t.freeze(u, "XZ", 0, "2026-11-12")
        t.issue_slip(u, "XZ", 1, 1, "2026-11-12", "2027-04-30")
    assert ln.ledger.frozen(u, "XZ") == 0
    with pytest.raises(bianzhi.NotFound):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.freeze(u, "NOPE", 1, "2026-11-12")
    with pytest.raises(bianzhi.InvalidArgument):
        ln.ledger.frozen(u, "XZ", "2026-13-01")


def test_hiring_plan_r8(ln):
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_establishment(u, "XZ", 5, "2012-03-01")
        t.set_hiring_plan(u, 2026, 1)
    assert ln.ledger.hiring_plan(u, 2026) == 1 and ln.ledger.hiring_plan(u, 2025) is None

    def two_posts():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.issue_slip(u, "XZ", 2, 1, "2026-11-01", "2027-04-30")
    e = _refused(ln, two_posts)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R8][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == u.uuid and v.subject_name == "武都区教育局"
    assert v.category == "plan:2026" and (v.allowed, v.actual) == (1, 2)
    assert v.document == ln.city_doc.uuid and v.excepted_by is None
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:   # within the plan
        t.issue_slip(u, "XZ", 1, 1, "2026-11-01", "2027-04-30")
    assert [s.posts for s in ln.ledger.slips(u)] == [1]
    with pytest.raises(bianzhi.InvalidArgument):
        ln.ledger.hiring_plan(u, "2026")


def test_rule_param_vacancy_reserve_r9(ln):
    led = ln.ledger
    u = ln.unit("武都区教育研究中心", nature=bianzhi.Nature.INSTITUTION, rank=bianzhi.Rank.NONE)
    with led.transaction("u", "o", document=ln.city_doc) as t:
        t.set_establishment(u, "SY", 10, "2012-03-01")
    assert led.rule_param("vacancy_reserve.institution") == "15"
    with led.transaction("u", "o", document=ln.county_doc) as t:
        t.set_rule_param("vacancy_reserve.institution", "200", D(2026, 1, 1))
    assert led.rule_param("vacancy_reserve.institution", "2025-12-31") == "15"
    assert led.rule_param("vacancy_reserve.institution", D(2026, 1, 1)) == "200"
    assert led.rule_param("vacancy_reserve.institution") == "200"
    assert led.rule_param("vacancy_reserve.administrative") == "10"
    with led.transaction("u", "o", document=ln.city_doc) as t:
        t.issue_slip(u, "SY", 9, 1, "2026-11-01", "2027-04-30")
    ws = [v for v in t.warnings if v.rule is bianzhi.Rule.R9]
    assert len(ws) == 1
    v = ws[0]
    assert v.severity is bianzhi.Severity.WARNING and v.category == "branch:2"
    assert v.subject == led.jurisdiction("621202").uuid and "武都区" in v.subject_name
    assert (v.allowed, v.actual) == (2, 1)          # 20% of 10, not 1.5%
    assert v.date == D(2026, 11, 1) and v.excepted_by is None
    with pytest.raises(bianzhi.InvalidArgument):
        with led.transaction("u", "o", document=ln.county_doc) as t:
            t.set_rule_param("no.such.parameter", "1", "2026-01-01")
    with pytest.raises(bianzhi.InvalidArgument):
        led.rule_param("no.such.parameter")

    def on_business_doc():      # a parameter rests on an establishment office's document
        with led.transaction("u", "o", document=ln.business_doc) as t:
            t.set_rule_param("vacancy_reserve.institution", "20", "2026-06-01")
    e = _refused(ln, on_business_doc)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R6][0]
    assert v.severity is bianzhi.Severity.ERROR and v.document == ln.business_doc.uuid
    assert led.rule_param("vacancy_reserve.institution", "2026-06-01") == "200"


def test_exception_excepts_r8(ln):
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_establishment(u, "XZ", 2, "2012-03-01")

    def no_slip():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.enter(t.register_person(WANG, "王小明"), u, "XZ", None, 1, "2026-11-15")
    e = _refused(ln, no_slip)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R8][0]
    assert v.severity is bianzhi.Severity.ERROR and v.excepted_by is None
    assert v.subject == u.uuid and v.category == "XZ" and v.date == D(2026, 11, 15)

    def on_business_doc():
        with ln.ledger.transaction("u", "o", document=ln.business_doc) as t:
            t.enter(t.register_person(WANG, "王小明"), u, "XZ", None, 1, "2026-11-15")
            t.grant_exception(bianzhi.Rule.R8, u, "2026-11-15")
    e = _refused(ln, on_business_doc)
    assert any(x.rule is bianzhi.Rule.R6 and x.document == ln.business_doc.uuid for x in e.violations)

    with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
        p = t.register_person(WANG, "王小明")
        t.enter(p, u, "XZ", None, 1, "2026-11-15")
        t.grant_exception(bianzhi.Rule.R8, u, D(2026, 11, 15))
    ws = [x for x in t.warnings if x.rule is bianzhi.Rule.R8]
    assert len(ws) == 1
    v = ws[0]
    assert v.severity is bianzhi.Severity.WARNING and v.excepted_by == ln.county_doc.uuid
    assert v.subject == u.uuid and v.subject_name == "武都区教育局" and v.date == D(2026, 11, 15)
    assert [x.person for x in ln.ledger.roster(u)] == [p.uuid]
    kept = [x for x in ln.ledger.check() if x.rule is bianzhi.Rule.R8]
    assert [(x.severity, x.excepted_by) for x in kept] == [(bianzhi.Severity.WARNING, ln.county_doc.uuid)]
    for rule in (bianzhi.Rule.R5, bianzhi.Rule.R10, bianzhi.Rule.R11, bianzhi.Rule.R9):
        with pytest.raises(bianzhi.InvalidArgument):
            with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
                t.grant_exception(rule, u, "2026-11-15")
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o", document=ln.county_doc) as t:
            t.grant_exception("R8", u, "2026-11-15")
