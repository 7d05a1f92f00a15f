"""Fixtures shared by the Python binding's tests (run by `meson test`, suite "python").

With BZ_TEST_PG_URI set (the meson test `python_pg`, suite "pg", through
tests/pg_cluster.sh), the same tests run against a PostgreSQL server: every
ledger a test opens — a file under tmp_path or ":memory:" — is a schema of its
own there instead (the same file name within a test: the same schema, so a
reopen finds what was written). A test that is about files (a second sqlite3
connection, backup, restore, read-only mounts, the file's own faults) is
skipped there with its reason: pg_skip(why), or the marker
``@pytest.mark.sqlite_only("why")``.
"""
import datetime
import functools
import itertools
import os
import re
import subprocess

import pytest

import bianzhi

PG_URI = os.environ.get("BZ_TEST_PG_URI")
_schemas = itertools.count(1)
_real_open = bianzhi.open
# on PostgreSQL: the schema each ledger path of the running test went to (pg_open below)
_pg_schema_of = {}
PSQL = os.path.join(os.environ.get("BZ_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql")


def pg_skip(why):
    """On PostgreSQL, skip the running test with the reason (a test about ledger files)."""
    if PG_URI:
        pytest.skip("SQLite only: " + why)


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only(why): a test about ledger files, skipped on PostgreSQL")


# Tests that mean something on a ledger file only (file:test or file: the whole file), with why.
SQLITE_ONLY = {
    "test_core.py::test_open_errors": "a missing folder, a file that is not SQLite, a directory",
    "test_core.py::test_busy": "another connection's lock on the file",
    "test_faults.py": "I/O errors and a full disk through an SQLite VFS",
    "test_feed.py::test_backup_and_restore": "backup/restore are for files (a server's: pg_dump)",
    "test_feed.py::test_backup_errors": "backup/restore are for files (a server's: pg_dump)",
    "test_feed.py::test_restore_refuses": "backup/restore are for files (a server's: pg_dump)",
    "test_reliability.py::test_failed_open_names_the_path_and_the_cause": "a file's open failures",
    "test_generated.py::test_errors_carry_path_and_cause": "its second half is a missing folder's errno"
    " (a server's ledger: test_pg.py::test_errors_never_show_the_password)",
    "test_staff.py::test_place_roster_script": "the example script opens a ledger file in a process of its own",
}
# Tests that do not pass on PostgreSQL yet, with why (as tests/pg_pending.txt for the C suites).
PG_PENDING = {
}


def pytest_collection_modifyitems(config, items):
    if not PG_URI:
        return
    for item in items:
        m = item.get_closest_marker("sqlite_only")
        fname = os.path.basename(str(item.fspath))
        test = fname + "::" + item.originalname if hasattr(item, "originalname") else item.nodeid
        if m:
            item.add_marker(pytest.mark.skip(reason="SQLite only: " + (m.args[0] if m.args else "files")))
        elif test in SQLITE_ONLY or fname in SQLITE_ONLY:
            item.add_marker(pytest.mark.skip(reason="SQLite only: " + SQLITE_ONLY.get(test, SQLITE_ONLY.get(fname))))
        elif (test in PG_PENDING or fname in PG_PENDING) and PG_PENDING.get(test, PG_PENDING.get(fname)):
            item.add_marker(pytest.mark.skip(reason="not on PostgreSQL yet: " + PG_PENDING.get(test, PG_PENDING.get(fname))))


@pytest.fixture(autouse=True)
def _pg_ledgers(request, monkeypatch):
    """On PostgreSQL: bianzhi.open of a file or ":memory:" opens a fresh schema of the server."""
    if not PG_URI:
        yield
        return
    names = _pg_schema_of
    names.clear()
    stem = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:30]

    @functools.wraps(_real_open)
    def pg_open(path, *args, **kw):
        if isinstance(path, os.PathLike):
            path = os.fspath(path)
        # a path the library must refuse (NUL) goes to it as it is
        if isinstance(path, str) and "\0" not in path and not path.startswith(("postgresql://", "postgres://")):
            if path == ":memory:" or path not in names:
                names[path] = "py_%d_%s_%d" % (os.getpid(), stem, next(_schemas))
            schema = names[path]
            path = PG_URI + ("&" if "?" in PG_URI else "?") + "schema=" + schema
        return _real_open(path, *args, **kw)

    monkeypatch.setattr(bianzhi, "open", pg_open)
    yield

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(category, division, body8):
    """A unified social credit code with right check characters (GB 11714 + GB 32100)."""
    w = [3, 7, 9, 10, 5, 8, 4, 2]
    s = sum((int(ch, 36)) * w[i] for i, ch in enumerate(body8))
    c = 11 - s % 11
    c9 = "X" if c == 10 else "0" if c == 11 else str(c)
    first17 = "1" + category + division + body8 + c9
    total, wt = 0, 1
    for ch in first17:
        total += ALPHABET.index(ch) * wt
        wt = wt * 3 % 31
    return first17 + ALPHABET[(31 - total % 31) % 31]


def behind(ledger_path, sqlite_sql, pg_sql=None):
    """Run SQL on a ledger behind the library, through a second connection: sqlite3 on the file, or psql in
    the ledger's schema on the server (pg_sql, default the same text); the last statement's rows as text."""
    if not PG_URI:
        import sqlite3
        con = sqlite3.connect(str(ledger_path))
        try:
            rows = []
            for stmt in sqlite_sql.split(";"):
                if stmt.strip():
                    rows = con.execute(stmt).fetchall()
            con.commit()
            return [[str(v) for v in r] for r in rows]
        finally:
            con.close()
    schema = _pg_schema_of[str(ledger_path)]
    out = subprocess.run([PSQL, "-qAtX", "-F", "\t", "-v", "ON_ERROR_STOP=1", PG_URI, "-c",
                          'SET search_path TO "%s"; %s' % (schema, pg_sql or sqlite_sql)],
                         capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def count(ledger_path, table):
    """Rows of a table, read behind the library (sqlite3 on the file, psql in the schema on a server)."""
    return int(behind(ledger_path, "SELECT count(*) FROM %s" % table)[0][0])


class Longnan:
    """A small ledger: 甘肃省 > 陇南市 > 武都区, 成县, and three documents."""

    def __init__(self, path):
        self.path = str(path)
        self.ledger = bianzhi.open(self.path, clock="2026-12-01")
        with self.ledger.transaction("tester", "测试编办") as t:
            t.create_jurisdiction("620000", "甘肃省")
            t.create_jurisdiction("621200", "陇南市", "620000")
            t.create_jurisdiction("621202", "武都区", "621200")
            t.create_jurisdiction("621221", "成县", "621200")
            self.city_doc = t.register_document("陇南市机构编制委员会", "陇编发〔2012〕31号",
                                                "关于机构编制事项的通知", "1990-03-01",
                                                bianzhi.Level.CITY, bianzhi.IssuerKind.ESTABLISHMENT, "621200")
            self.county_doc = t.register_document("武都区机构编制委员会", "武编发[2013]5",
                                                  "关于机构编制事项的通知", datetime.date(1990, 1, 10),
                                                  bianzhi.Level.COUNTY, bianzhi.IssuerKind.ESTABLISHMENT, "621202")
            self.business_doc = t.register_document("陇南市教育局", "陇教发〔2013〕7号", "通知", "1990-01-10",
                                                    bianzhi.Level.CITY, bianzhi.IssuerKind.BUSINESS, "621200")

    def unit(self, name="武都区教育局", nature=bianzhi.Nature.ORGAN, rank=bianzhi.Rank.ZHENGKE,
             jur="621202", founded="2012-03-01", doc=None, **kw):
        with self.ledger.transaction("tester", "测试编办", document=doc or self.city_doc) as t:
            return t.establish_unit(name, nature, jur, founded, rank=rank, **kw)

    def count(self, table):
        return count(self.path, table)


@pytest.fixture
def ln(tmp_path):
    f = Longnan(tmp_path / "longnan.ledger")
    yield f
    f.ledger.close()


@pytest.fixture
def mem():
    with bianzhi.open(":memory:", clock="2026-12-01") as l:
        yield l
