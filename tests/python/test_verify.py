"""Tamper evidence from Python (verify.h): the head hash, a clean verify, a verify against an
old head after honest commits, and edits made behind the library (sqlite3 on the file, psql on a
server: conftest.behind) found with their position and what differs."""
import datetime

import pytest

import bianzhi
import conftest

# on a server, whoever edits behind the library holds the database's superuser: the append-only triggers
# (and the foreign keys, which SQLite's second connection does not enforce either) are out of the way
REPLICA = "SET session_replication_role = replica; "


def behind(path, sql, pg_sql=None):
    conftest.behind(path, sql, REPLICA + (pg_sql or sql))


def chain(report):
    return [v for v in report if v.category == "CHAIN"]


def county(ln):
    edu = ln.unit("武都区教育局", founded="2012-03-01")
    ln.unit("武都区文化局", founded="2012-03-01")
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.city_doc) as t:
        t.set_establishment(edu, "XZ", 5, "2012-03-01")
    return edu


def test_head_moves_and_old_head_verifies(ln):
    edu = county(ln)
    seq, head = ln.ledger.head_hash()
    assert seq == ln.ledger.last_seq() and len(head) == 64 and int(head, 16) != 0
    assert len(ln.ledger.verify()) == 0
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.city_doc) as t:
        t.set_establishment(edu, "XZ", 7, "2020-01-01")
    seq2, head2 = ln.ledger.head_hash()
    assert seq2 > seq and head2 != head
    assert len(ln.ledger.verify((seq, head))) == 0
    assert len(ln.ledger.verify((seq, head.upper()))) == 0
    wrong = ln.ledger.verify((seq, head2))
    assert len(wrong) == 1 and wrong[0].actual == seq and wrong[0].message.startswith("head:")


def test_edits_behind_the_library_are_found(ln):
    county(ln)
    ln.ledger.close()
    ev = int(conftest.behind(ln.path, "SELECT event FROM fact WHERE attr='name' AND after='武都区文化局'")[0][0])
    last = int(conftest.behind(ln.path, "SELECT max(id) FROM event")[0][0])
    behind(ln.path, "DROP TRIGGER fact_no_update;"
                    "UPDATE fact SET after='武都区文化和旅游局' WHERE attr='name' AND after='武都区文化局';"
                    "DROP TRIGGER event_no_delete; DELETE FROM event WHERE id=%d" % last,
           "UPDATE fact SET after='武都区文化和旅游局' WHERE attr='name' AND after='武都区文化局';"
           "DELETE FROM event WHERE id=%d" % last)
    with bianzhi.open(ln.path, readonly=True) as l:
        found = l.verify()
        assert [(v.actual, v.message.split(":")[0]) for v in found] == [(ev, "altered"), (last, "deleted")]
        assert "its facts" in found[0].message and found[0].rule == bianzhi.Rule.INTEGRITY
        assert found[0].severity == bianzhi.Severity.ERROR
    behind(ln.path, "UPDATE tl SET value=value+2 WHERE counter IN"
                    " (SELECT id FROM counter WHERE key LIKE 'U:%:est:XZ')")
    with bianzhi.open(ln.path, readonly=True) as l:
        found = l.verify()
        assert len(chain(found)) == 2
        assert any("账实不符" in v.message for v in found if v.category != "CHAIN")
    ln.ledger = bianzhi.open(ln.path)   # the fixture closes it


def test_verify_refusals(mem):
    assert mem.head_hash() == (0, "0" * 64)
    assert len(mem.verify((0, "0" * 64))) == 0
    with pytest.raises(bianzhi.InvalidArgument):
        mem.verify((1, "abc"))
    with pytest.raises(TypeError):
        mem.verify((1.5, "0" * 64))
    with pytest.raises(TypeError):
        mem.verify((1, 42))
    with mem.transaction("u", "o") as t:
        t.create_jurisdiction("620000", "甘肃省")
        with pytest.raises(bianzhi.Misuse):
            mem.verify()


def test_past_counter_breakpoint_edited(ln):
    """A counter's past breakpoint edited with sqlite3: today's figures agree, so the self-inspection
    on today sees nothing; verify compares the whole timeline and names the counter, the first day
    it differs from the records and both figures."""
    edu = county(ln)
    with ln.ledger.transaction("王会计", "武都区委编办", document=ln.city_doc) as t:
        t.set_establishment(edu, "XZ", 7, "2020-01-01")
    key = "U:%s:est:XZ" % edu.uuid
    ln.ledger.close()
    behind(ln.path, "UPDATE tl SET value=9 WHERE effective='2012-03-01'"
                    " AND counter=(SELECT id FROM counter WHERE key='%s')" % key)
    with bianzhi.open(ln.path, readonly=True) as l:
        found = l.verify()
        assert [(v.rule, v.severity, v.subject, v.category, v.subject_name, v.date, v.actual, v.allowed)
                for v in found] == [(bianzhi.Rule.INTEGRITY, bianzhi.Severity.ERROR, edu.uuid, key, key,
                                     datetime.date(2012, 3, 1), 9, 5)]
        assert "the first day its timeline and the records differ" in found[0].message
        assert not [v for v in l.check() if v.rule == bianzhi.Rule.INTEGRITY]
    # a breakpoint that repeats the figure before it changes nothing: not reported
    behind(ln.path, "UPDATE tl SET value=5 WHERE effective='2012-03-01'"
                    " AND counter=(SELECT id FROM counter WHERE key='%s');"
                    "INSERT INTO tl(counter, effective, value) SELECT id, '2015-06-01', 5 FROM counter"
                    " WHERE key='%s'" % (key, key))
    with bianzhi.open(ln.path, readonly=True) as l:
        assert len(l.verify()) == 0
    ln.ledger = bianzhi.open(ln.path)   # the fixture closes it
