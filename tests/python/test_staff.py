"""Persons, usage slips, placements and the full-ledger check through the binding; R1, R5, R8, R10."""
import datetime

import pytest

import bianzhi

D = datetime.date

def idnum(body17):
    """A citizen ID number with its GB 11643 check character."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(c) * w[i] for i, c in enumerate(body17)) % 11]


WANG = idnum("62010219900101123")
LI = idnum("62010219920315002")


def staffed(ln, posts=2, slip_posts=2):
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_establishment(u, "XZ", posts, "2012-03-01")
        slip = t.issue_slip(u, "XZ", slip_posts, 1, "2026-11-01", "2027-04-30")
    return u, slip


def test_persons_slips_placements(ln):
    u, slip = staffed(ln)
    assert slip.posts == 2 and slip.remaining == 2 and slip.state == 1 and slip.issued == D(2026, 11, 1)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        p = t.register_person(WANG, "王小明")
        pl = t.enter(p, u, "XZ", slip, 1, "2026-11-15")
    assert p.id_number == WANG and p.sex == 1 and p.birth == D(1990, 1, 1)
    assert pl.person == p.uuid and pl.unit == u.uuid and pl.category == "XZ" and pl.entry == D(2026, 11, 15)
    assert ln.ledger.person_by_id_number(WANG).uuid == p.uuid
    assert ln.ledger.person(p.uuid).card is not None
    assert [x.person_name for x in ln.ledger.roster(u)] == ["王小明"]
    assert ln.ledger.slip(slip).remaining == 1
    assert [s.uuid for s in ln.ledger.slips(u)] == [slip.uuid]
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.exit(p, 1, "2026-11-30")
    assert list(ln.ledger.roster(u)) == []
    hist = list(ln.ledger.person_history(p))
    assert len(hist) == 1 and hist[0].exit_date == D(2026, 11, 30) and hist[0].exit_reason == 1
    assert ln.ledger.basic_table(u, "2026-11-20").row("XZ").staff == 1
    rep = ln.ledger.check()
    assert isinstance(rep, bianzhi.Report) and rep.errors == []


def test_bad_id_numbers(ln):
    events = ln.count("event")
    for bad in ("620102199001011230" if WANG[-1] != "0" else "620102199001011231", "12345", "62010219901301123X"):
        with pytest.raises(bianzhi.InvalidArgument):
            with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
                t.register_person(bad, "某人")
    with pytest.raises(bianzhi.InvalidArgument):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.register_person(None, "某人")
    with pytest.raises(bianzhi.Exists):
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.register_person(LI, "李娟")
            t.register_person(LI, "李娟")
    assert ln.count("event") == events


def _refused(ln, fn):
    events, facts = ln.count("event"), ln.count("fact")
    with pytest.raises(bianzhi.ConstraintViolation) as e:
        fn()
    assert (ln.count("event"), ln.count("fact")) == (events, facts)
    return e.value


def test_r1_no_over_establishment_hiring(ln):
    u, slip = staffed(ln, posts=1, slip_posts=1)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.enter(t.register_person(WANG, "王小明"), u, "XZ", slip, 1, "2026-11-15")

    def go():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.issue_slip(u, "XZ", 1, 2, "2026-11-20", "2027-04-30")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R1][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == u.uuid and v.subject_name == "武都区教育局"
    assert v.category == "XZ"
    assert (v.allowed, v.actual) == (1, 2)
    assert v.document == ln.city_doc.uuid
    assert v.date == D(2026, 11, 20)
    assert "R1" in v.message


def test_r5_one_person_one_post(ln):
    a, slip_a = staffed(ln)
    b = ln.unit("武都区体育局")
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_establishment(b, "XZ", 2, "2012-03-01")
        slip_b = t.issue_slip(b, "XZ", 1, 1, "2026-11-01", "2027-04-30")
        p = t.register_person(WANG, "王小明")
        t.enter(p, a, "XZ", slip_a, 1, "2026-11-10")

    def go():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.enter(p, b, "XZ", slip_b, 1, "2026-11-20")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R5][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == p.uuid and v.subject_name == "王小明"
    assert v.document == ln.city_doc.uuid
    assert v.date == D(2026, 11, 20)


def test_r8_no_usage_slip(ln):
    u, _slip = staffed(ln)

    def go():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.enter(t.register_person(WANG, "王小明"), u, "XZ", None, 1, "2026-11-15")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R8][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject_name is not None and v.date == D(2026, 11, 15)
    assert v.document == ln.city_doc.uuid


def test_place_person_uses_a_live_slip(ln):
    u, slip = staffed(ln)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        pl = t.place_person("王小明", WANG, u, "XZ", "2026-11-15")
    assert pl.slip == slip.uuid


def test_place_roster_script(ln, tmp_path):
    import os
    import subprocess
    import sys
    u, slip = staffed(ln)
    ln.ledger.close()
    csv = tmp_path / "roster.csv"
    csv.write_text("name,id_number,unit,category,entry_date\n"
                   "王小明,%s,武都区教育局,XZ,2026-11-15\n李娟,%s,武都区教育局,XZ,2026-11-16\n" % (WANG, LI),
                   encoding="utf-8")
    script = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python", "place_roster.py")
    args = [sys.executable, script, ln.path, str(csv), "王", "武都区编办", "陇南市机构编制委员会",
            "陇编发〔2012〕31号", "621202"]
    r = subprocess.run(args, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "placed 2 people; committed." in r.stdout
    r = subprocess.run(args, capture_output=True, text=True)    # again: both already in post
    assert r.returncode == 1 and "nothing was written" in r.stdout
    with bianzhi.open(ln.path) as l:
        assert sorted(p.person_name for p in l.roster(u)) == ["李娟", "王小明"]


def test_appointments_and_r2_leaders_above_quota(ln):
    u, slip = staffed(ln)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_leadership(u, 1, 1, bianzhi.Rank.ZHENGKE, "2012-03-01")
        wang = t.register_person(WANG, "王小明")
        li = t.register_person(LI, "李娟")
        t.enter(wang, u, "XZ", slip, 1, "2026-11-10")
        t.enter(li, u, "XZ", slip, 1, "2026-11-10")
        a = t.appoint(wang, u, 2, "2026-11-11")
    assert a.person == wang.uuid and a.post == 2 and a.start == D(2026, 11, 11) and a.end_date is None
    assert [x.uuid for x in ln.ledger.appointments(u)] == [a.uuid]
    assert ln.ledger.leadership(u).deputies == 1

    def go():
        with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
            t.appoint(li, u, 2, "2026-11-20")
    e = _refused(ln, go)
    v = [x for x in e.violations if x.rule is bianzhi.Rule.R2][0]
    assert v.severity is bianzhi.Severity.ERROR
    assert v.subject == u.uuid and v.subject_name == "武都区教育局"
    assert v.category == "deputy"
    assert (v.allowed, v.actual) == (1, 2)
    assert v.document == ln.city_doc.uuid and v.date == D(2026, 11, 20)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.end_appointment(a, "2026-11-25")
    assert list(ln.ledger.appointments(u)) == []


def test_r9_vacancy_reserve_warning(ln):
    """A full jurisdiction commits, but R9 warns: administrative vacancies under 1% of establishment."""
    u, slip = staffed(ln, posts=1, slip_posts=1)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.enter(t.register_person(WANG, "王小明"), u, "XZ", slip, 1, "2026-11-15")
    ws = [v for v in t.warnings if v.rule is bianzhi.Rule.R9]
    assert len(ws) == 1
    v = ws[0]
    assert v.severity is bianzhi.Severity.WARNING
    assert v.subject == ln.ledger.jurisdiction("621202").uuid
    assert "武都区" in v.subject_name
    assert v.category == "branch:1"
    assert v.date == D(2026, 11, 15)
    assert ln.count("placement") == 1   # a warning does not block
