"""Type hints (issue 9): every public callable of the package carries them, the
package says so (py.typed), and the hints are the checks the binding makes —
an int parameter refuses 2.5 instead of passing 2 to C, a text parameter
refuses an embedded NUL instead of letting C cut the text there (issue 15).
mypy, where Debian's python3-mypy is installed, checks the package and the
README's snippet against the hints."""
import collections.abc
import datetime
import inspect
import os
import pathlib
import subprocess
import sys
import typing

import pytest

import bianzhi
from bianzhi import capi

PKG = pathlib.Path(bianzhi.__file__).resolve().parent
OURS = {str(PKG / "__init__.py"), str(PKG / "capi.py")}
UUID = "00000000-0000-0000-0000-000000000000"


def _ours(fn):
    """A function written in the package's own files (not one dataclasses, NamedTuple or enum made)."""
    code = getattr(inspect.unwrap(fn), "__code__", None)
    return code is not None and str(pathlib.Path(code.co_filename).resolve()) in OURS


def public_callables():
    """(qualified name, function) for every function and method reachable from bianzhi.__all__."""
    out = {}
    for name in bianzhi.__all__:
        obj = getattr(bianzhi, name)
        if inspect.isfunction(obj):
            out[name] = obj
        elif inspect.isclass(obj):
            for klass in obj.__mro__:
                for attr, member in vars(klass).items():
                    if attr.startswith("_") and attr not in ("__init__", "__enter__", "__exit__", "__next__",
                                                             "__iter__", "__len__", "__getitem__", "__str__"):
                        continue
                    fns = [member.fget] if isinstance(member, property) else [getattr(member, "__func__", member)]
                    for fn in fns:
                        if inspect.isfunction(fn) and _ours(fn):
                            out.setdefault("%s.%s" % (name, attr), fn)
    return out


def test_py_typed_marker_is_with_the_package():
    # the build tree lays the package out as it is installed (tests/install_bindings.sh checks the install)
    assert (PKG / "py.typed").is_file() and (PKG / "_capi.pyi").is_file()


def test_every_public_callable_has_type_hints():
    calls = public_callables()
    # the check reaches both halves: the hand-written layer and the generated classes
    for must in ("open", "Ledger.units", "Transaction.establish_unit", "Transaction.appoint", "Iterator.__next__",
                 "Nature.from_name", "Nature.cn", "BasicTable.row", "Violation.__str__",
                 "LimitLedger.frozen", "Person.attr", "rules"):
        assert must in calls, must
    missing = []
    for name, fn in sorted(calls.items()):
        hints = typing.get_type_hints(fn)          # also fails on a hint that names nothing
        params = [p for p in inspect.signature(fn).parameters.values() if p.name not in ("self", "cls")]
        lacking = [p.name for p in params if p.name not in hints]
        if "return" not in hints:
            lacking.append("return")
        if lacking:
            missing.append("%s: %s" % (name, ", ".join(lacking)))
    assert not missing, "callables without type hints:\n  " + "\n  ".join(missing)
    assert len(calls) > 150


def test_private_helpers_have_type_hints_too():
    """The hand-written module's every function, private or not (what mypy's --disallow-untyped-defs asks)."""
    missing = []
    for mod in (bianzhi, capi):
        for name, obj in vars(mod).items():
            fns = []
            if inspect.isfunction(obj) and _ours(obj):
                fns.append((name, obj))
            elif inspect.isclass(obj) and obj.__module__ == mod.__name__:
                for attr, member in vars(obj).items():
                    fn = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
                    if inspect.isfunction(fn) and _ours(fn):
                        fns.append(("%s.%s" % (name, attr), fn))
            for qual, fn in fns:
                if mod is capi and not qual[:1].isupper() and qual not in ("_date_out", "_stamp_out", "_figure_out",
                                                                          "_enum_out", "_present"):
                    continue        # SWIG's own wrappers in capi.py carry no hints; the typed API does
                hints = typing.get_type_hints(fn)
                params = [p for p in inspect.signature(fn).parameters.values() if p.name not in ("self", "cls")]
                if "return" not in hints or any(p.name not in hints for p in params):
                    missing.append("%s.%s" % (mod.__name__, qual))
    assert not missing, missing


# ---- the hints are the checks: ints refuse fractions, texts refuse NUL


def _kind(hint):
    """What a parameter takes, from its hint: 'bool', 'int', 'date', 'entity', 'jurisdiction', 'text' or 'path'."""
    if typing.get_origin(hint) is collections.abc.Sequence:
        return "sequence"      # Sequence[Sheet] (write_sheets): an empty list
    args = set(typing.get_args(hint)) or {hint}
    args.discard(type(None))
    flat = set()
    for a in args:      # one level of nested Unions (Optional[Union[Rank, int]])
        flat |= set(typing.get_args(a)) if typing.get_origin(a) is typing.Union else {a}
    flat.discard(type(None))
    if flat == {bool}:
        return "bool"
    if datetime.date in flat:
        return "date"
    if bianzhi.HasUuid in flat:
        return "entity"
    if bianzhi.Jurisdiction in flat:
        return "jurisdiction"
    if any(typing.get_origin(a) is os.PathLike or a is os.PathLike for a in flat):
        return "path"
    if int in flat or any(isinstance(a, type) and issubclass(a, int) for a in flat):
        return "int"
    if str in flat:
        return "text"
    return None


GOOD = {"bool": False, "int": 1, "date": "2020-01-01", "entity": UUID, "jurisdiction": "621202",
        "text": "x", "path": ":memory:", "sequence": []}
# arguments that reach the C library (or a lookup) before the others are converted
LOOKS_UP_FIRST = {"Transaction.place_person": "looks the person up by ID number before it converts the rest"}
# functions answering bool that are not predicates of their text: a bad argument is InvalidArgument
NOT_PREDICATES = {"Ledger.office_power": "whether a kind of office has a power on a date: a bad date is an error"}


def _calls(ledger, txn):
    """(name, bound callable, hints) for the module's functions and every Ledger and Transaction method."""
    out = []
    for name in bianzhi.__all__:
        fn = getattr(bianzhi, name)
        if inspect.isfunction(fn):
            out.append((name, fn, typing.get_type_hints(fn)))
    for obj, cls in ((ledger, bianzhi.Ledger), (txn, bianzhi.Transaction)):
        for attr, member in vars(cls).items():
            if attr.startswith("_") or not inspect.isfunction(member) or attr in ("close", "commit", "rollback",
                                                                                  "begin", "transaction"):
                continue
            if "%s.%s" % (cls.__name__, attr) in LOOKS_UP_FIRST:
                continue
            out.append(("%s.%s" % (cls.__name__, attr), getattr(obj, attr), typing.get_type_hints(member)))
    return out


def _args(fn, hints, bad_name, bad_value):
    args = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            continue
        if p.name == bad_name:
            args.append(bad_value)
        elif p.default is not p.empty:
            args.append(p.default)
        else:
            kind = _kind(hints[p.name])
            assert kind, "%s: no test value for a %s" % (p.name, hints[p.name])
            args.append(GOOD[kind])
    return args


def test_every_int_parameter_refuses_a_fraction(tmp_path, monkeypatch):
    """2.5 where an integer is expected is a TypeError (and InvalidArgument), never 2 in C."""
    monkeypatch.chdir(tmp_path)        # open(path=...) must create nothing, but if it did: here
    tried = []
    with bianzhi.open(":memory:") as ledger:
        txn = ledger.begin("u", "o")
        for name, fn, hints in _calls(ledger, txn):
            for pname, hint in hints.items():
                if pname == "return" or _kind(hint) != "int":
                    continue
                with pytest.raises(bianzhi.InvalidArgument) as e:
                    fn(*_args(fn, hints, pname, 2.5))
                assert isinstance(e.value, TypeError), "%s(%s=2.5): %r" % (name, pname, e.value)
                assert "2.5" in str(e.value)
                tried.append("%s(%s)" % (name, pname))
        txn.rollback()
        txn.close()
    # the counts of issue 15's list among them
    for must in ("Transaction.set_establishment(posts)", "Transaction.issue_slip(posts)",
                 "Transaction.freeze(posts)", "Transaction.set_hiring_plan(posts)",
                 "Transaction.approve_subunits(count)", "Transaction.set_limit(posts)",
                 "Transaction.transfer_establishment(posts)", "Transaction.set_leadership(principal)",
                 "Transaction.appoint(rank)", "Ledger.hiring_plan(year)"):
        assert must in tried, must


def test_every_text_parameter_refuses_an_embedded_nul(tmp_path, monkeypatch):
    """A string with a NUL is InvalidArgument; C would read only what comes before it."""
    monkeypatch.chdir(tmp_path)        # open(path=...) must create nothing, but if it did: here
    tried = []
    with bianzhi.open(":memory:") as ledger:
        txn = ledger.begin("u", "o")
        for name, fn, hints in _calls(ledger, txn):
            for pname, hint in hints.items():
                kind = _kind(hint)
                if pname == "return" or kind not in ("text", "date", "entity", "jurisdiction", "path"):
                    continue
                bad = GOOD[kind] + "\0junk"
                if hints.get("return") is bool and name not in NOT_PREDICATES:  # the predicates answer False
                    assert fn(*_args(fn, hints, pname, bad)) is False, name
                else:
                    with pytest.raises(bianzhi.InvalidArgument) as e:
                        fn(*_args(fn, hints, pname, bad))
                    assert "NUL" in str(e.value), "%s(%s=...\\0...): %r" % (name, pname, e.value)
                tried.append("%s(%s)" % (name, pname))
        txn.rollback()
        txn.close()
    for must in ("Transaction.register_document(number)", "Transaction.register_document(date)",
                 "Transaction.set_rule_param(value)", "Transaction.enter(unit)", "Ledger.set_clock(date)",
                 "Ledger.units(jurisdiction)", "open(path)", "idnum_valid(id_number)"):
        assert must in tried, must
    assert len(tried) > 100


def test_a_nul_after_a_valid_date_is_not_that_date(ln):
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        with pytest.raises(bianzhi.InvalidArgument):
            t.set_establishment(u, "XZ", 2, "2013-01-01\0 and later")
        t.rollback()
    assert ln.ledger.establishment(u, "XZ", "2013-01-01") == 0


# ---- mypy (Debian's python3-mypy), when installed


def _mypy(tmp_path, *args, as_source=False):
    """mypy on args. as_source: the package is checked as source (MYPYPATH); else mypy finds it
    as an installed package on the interpreter's path (PYTHONPATH here), which needs py.typed."""
    pytest.importorskip("mypy", reason="mypy is not installed (apt-get install python3-mypy)")
    env = dict(os.environ)
    env.pop("MYPYPATH", None)
    if as_source:
        env["MYPYPATH"] = str(PKG.parent)
    else:
        env["PYTHONPATH"] = os.pathsep.join([str(PKG.parent)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    cmd = [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
           "--python-version", "%d.%d" % sys.version_info[:2]] + list(args)
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)


def test_mypy_checks_the_package(tmp_path):
    cfg = tmp_path / "mypy.ini"
    # SWIG's preamble of capi.py imports Python 2's __builtin__ as a fallback: not ours to fix
    cfg.write_text("[mypy]\nwarn_unused_ignores = True\n"
                   "[mypy-bianzhi]\ndisallow_untyped_defs = True\ndisallow_incomplete_defs = True\n"
                   "[mypy-bianzhi.capi]\ndisable_error_code = import, no-redef\n")
    r = _mypy(tmp_path, "--config-file", str(cfg), "-p", "bianzhi", as_source=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict_accepts_the_readme_snippet(tmp_path):
    """A user's typed code type-checks against the package, found as an installed one: without
    py.typed mypy would refuse to read it ('missing library stubs or py.typed marker')."""
    from test_readme import snippet
    (tmp_path / "snippet.py").write_text(snippet("python", "Python"), encoding="utf-8")
    r = _mypy(tmp_path, "--strict", "snippet.py")
    assert r.returncode == 0, r.stdout + r.stderr
    bad = tmp_path / "bad.py"
    bad.write_text("import bianzhi\n"
                   "with bianzhi.open(':memory:') as ledger:\n"
                   "    with ledger.transaction('u', 'o') as t:\n"
                   "        t.set_establishment('x', 'XZ', 2.5, '2012-03-01')\n", encoding="utf-8")
    r = _mypy(tmp_path, "--strict", "bad.py")
    assert r.returncode == 1 and 'incompatible type "float"' in r.stdout, r.stdout
