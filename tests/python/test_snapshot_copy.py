"""A snapshot's fields in one C call (issue 10, Python vs C): every snapshot class's _copy reads all
its fields through one generated C function (bzw_<type>_fields, in the Python module's wrapper,
bindings/gen_api.py) instead of a getter call per field. It must give exactly what the getters give.

The check runs a selection of this suite's own tests in a pytest of their own with the plugin
snapshot_check.py, which copies every snapshot both ways (_copy and _copy_by_getters, the field by
field copy) and compares them, types included; the selection must reach every snapshot class and
every repeated group with rows, so that a class or a group the generator gets wrong cannot hide."""
import dataclasses
import datetime
import json
import os
import subprocess
import sys

import pytest

import bianzhi
from bianzhi import _capi, capi

from snapshot_check import snapshot_types
from test_staff import WANG

HERE = os.path.dirname(os.path.abspath(__file__))
# between them these reach every snapshot class and every group with rows (asserted below)
MODULES = ["test_generated.py", "test_registration.py", "test_archive.py", "test_reconcile.py", "test_import.py",
           "test_leadership.py", "test_office.py", "test_unitcert.py", "test_staff.py", "test_establishment.py",
           "test_exchange.py"]


def test_every_snapshot_copied_in_one_call_equals_its_getters(tmp_path):
    report = tmp_path / "report.json"
    env = dict(os.environ)
    env["BZ_SNAPSHOT_REPORT"] = str(report)
    env["PYTHONPATH"] = os.pathsep.join([HERE] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "snapshot_check"]
                       + MODULES, cwd=HERE, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    seen = json.loads(report.read_text(encoding="utf-8"))
    assert seen["mismatches"] == []
    assert sorted(seen["types"]) == sorted(c.__name__ for c in snapshot_types())
    groups = sorted("%s.%s" % (c.__name__, f.name) for c in snapshot_types() for f in dataclasses.fields(c)
                    if f.default == () or f.name == "figures")
    assert "Person.attributes" in groups and "Card.placements" in groups and "BasicTable.rows" in groups
    assert sorted(seen["rows"]) == groups


def test_the_check_finds_a_wrong_copy(ln):
    """The plugin's comparison is not vacuous: a one-call copy with a field of the wrong type (the
    date's text, equal to nothing but itself), or with a wrong value, or None, is a mismatch."""
    import snapshot_check

    def text_birth(cls, p):
        v = cls._copy_by_getters(p)
        return dataclasses.replace(v, birth=v.birth.isoformat())

    def other_name(cls, p):
        return dataclasses.replace(cls._copy_by_getters(p), name="李四")

    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        rc, ptr = capi.bz_person_register(t._ptr, WANG, "王小明", 0, None)
        assert rc == 0 and ptr
        try:
            for wrong in (text_birth, other_name, lambda cls, p: None):
                before = len(snapshot_check.MISMATCHES)
                copy = snapshot_check._checked(capi.Person, wrong).__get__(None, capi.Person)
                copy(ptr)
                assert len(snapshot_check.MISMATCHES) == before + 1
            before = len(snapshot_check.MISMATCHES)
            assert snapshot_check._checked(capi.Person, vars(capi.Person)["_copy"].__func__).__get__(
                None, capi.Person)(ptr).name == "王小明"
            assert len(snapshot_check.MISMATCHES) == before
        finally:
            capi.bz_person_free(ptr)
        t.rollback()


def test_one_call_functions_take_what_the_getters_take(ln):
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        rc, ptr = capi.bz_person_register(t._ptr, WANG, "王小明", 0, None)
        assert rc == 0 and ptr
        try:
            raw = _capi.bzw_person_fields(ptr)
            assert raw[:6] == tuple(getattr(_capi, "bz_person_" + f)(ptr)
                                    for f in ("uuid", "id_number", "name", "sex", "birth", "card"))
            assert raw[6] == () and type(raw[3]) is int and raw[4] == "1990-01-01"
            assert capi.Person._copy(ptr) == capi.Person._copy_by_getters(ptr)
        finally:
            capi.bz_person_free(ptr)
        t.rollback()
    # no C object: None, as _copy says for a NULL pointer; not a handle: TypeError, as SWIG's typemap
    assert _capi.bzw_person_fields(None) is None and _capi.bzw_placement_fields(0) is None
    assert capi.Person._copy(0) is None and capi.Person._copy_by_getters(0) is None
    with pytest.raises(TypeError):
        _capi.bzw_person_fields("62120219900101001X")
    with pytest.raises(TypeError):
        _capi.bzw_person_fields()


def test_made_in_c_or_in_python_the_same(ln):
    """_copy makes the object in C (bzw_build) when every enum value and date text is in its dictionary,
    else in Python from the same raw tuple; both ways give what the getters give, and a date seen the
    first time is remembered for the next copy."""
    saved = dict(capi._DATE_OUT)
    capi._DATE_OUT.clear()              # in place: _KINDS_Person holds this very dictionary
    capi._DATE_OUT[None] = None
    assert capi._KINDS_Person[4] is capi._DATE_OUT
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        rc, ptr = capi.bz_person_register(t._ptr, WANG, "王小明", 0, None)
        assert rc == 0 and ptr
        try:
            raw = _capi.bzw_person_fields(ptr)
            assert _capi.bzw_build(capi.Person, capi._NAMES_Person, capi._KINDS_Person, raw) is None  # a new date
            first = capi.Person._copy(ptr)                   # made in Python; remembers the date
            assert "1990-01-01" in capi._DATE_OUT
            made = _capi.bzw_build(capi.Person, capi._NAMES_Person, capi._KINDS_Person, raw)
            want = capi.Person._copy_by_getters(ptr)
            for got in (first, made, capi.Person._copy(ptr)):
                assert got == want and type(got) is capi.Person and list(vars(got)) == list(vars(want))
                assert type(got.sex) is bianzhi.Sex and type(got.birth) is datetime.date
                assert got.attributes == () and hash(got) == hash(want)
            with pytest.raises(dataclasses.FrozenInstanceError):
                made.name = "李四"                           # frozen as any other
        finally:
            capi.bz_person_free(ptr)
            capi._DATE_OUT.update(saved)
        t.rollback()


def test_build_refuses_what_it_cannot_make():
    names, kinds = ("a", "b", "c", "d"), (None, {1: "one"}, True, -1)
    o = _capi.bzw_build(Plain, names, kinds, ("x", 1, 5, -1))
    assert vars(o) == {"a": "x", "b": "one", "c": True, "d": None}
    o = _capi.bzw_build(Plain, names, kinds, ("x", 1, 0, 2**80))        # too large for a long: not -1
    assert vars(o) == {"a": "x", "b": "one", "c": False, "d": 2**80}
    assert _capi.bzw_build(Plain, names, kinds, ("x", 2, 5, -1)) is None  # 2 is not in the dict
    assert _capi.bzw_build(Plain, ("g",), ((),), ((),)).g == ()
    assert _capi.bzw_build(Plain, ("g",), ((),), ((("k", "v"),),)) is None  # a group with rows: Python
    with pytest.raises(TypeError):
        _capi.bzw_build(Plain, names, kinds, ("x", 1, 5))                  # lengths differ
    with pytest.raises(TypeError):
        _capi.bzw_build("Plain", names, kinds, ("x", 1, 5, -1))             # not a class
    with pytest.raises(TypeError):
        _capi.bzw_build(Plain, ("a",), ("kind",), ("x",))                  # no such kind
    with pytest.raises(TypeError):
        _capi.bzw_build(Plain, ("a",), ({},), ([],))                       # unhashable: the dict says so


class Plain:
    """A class for bzw_build's own checks."""
