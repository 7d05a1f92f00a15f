"""A ledger on a PostgreSQL server from Python (issue 13): bianzhi.open of a
postgresql:// URI. The URI tests need a server (BZ_TEST_PG_URI: the meson
test python_pg starts one); the password rule needs none."""
import uuid

import pytest

import bianzhi
import conftest

needs_server = pytest.mark.skipif(not conftest.PG_URI, reason="no PostgreSQL server: BZ_TEST_PG_URI is unset "
                                  "(meson test python_pg starts one)")


def uri(what, extra=""):
    base = conftest.PG_URI + ("&" if "?" in conftest.PG_URI else "?")
    return base + "schema=py_%s_%s%s" % (what, uuid.uuid4().hex[:8], extra)


def test_password_never_shown():
    shown = bianzhi._shown
    assert shown("postgresql://wang:pw@db.example/bz?schema=a&password=p&sslmode=require") == \
        "postgresql://wang:***@db.example/bz?schema=a&password=***&sslmode=require"
    assert shown("postgres://wang@db.example:5433/bz?password=x") == "postgres://wang@db.example:5433/bz?password=***"
    assert shown("longnan.ledger") == "longnan.ledger" and shown(":memory:") == ":memory:"


@needs_server
def test_written_closed_read_again():
    u = uri("round")
    # conftest's redirection leaves a URI alone: this is the real bianzhi.open
    with bianzhi.open(u, clock="2026-12-01") as l:
        assert l.schema_version == bianzhi.capi.BZ_SCHEMA_VERSION
        with l.transaction("tester", "陇南市编办") as t:
            t.create_jurisdiction("620000", "甘肃省")
            t.create_jurisdiction("621200", "陇南市", "620000")
            doc = t.register_document("陇南市机构编制委员会", "陇编发〔2012〕31号", "关于机构编制事项的通知", "1990-03-01",
                                      bianzhi.Level.CITY, bianzhi.IssuerKind.ESTABLISHMENT, "621200")
        with l.transaction("tester", "陇南市编办", document=doc) as t:
            unit = t.establish_unit("陇南市教育局", bianzhi.Nature.ORGAN, "621200", "2004-03-01",
                                    rank=bianzhi.Rank.ZHENGCHU)
        with pytest.raises(RuntimeError):
            with l.transaction("tester", "陇南市编办") as t:
                t.create_jurisdiction("621202", "武都区", "621200")
                raise RuntimeError("停电")
    with bianzhi.open(u, readonly=True) as l:
        assert l.jurisdiction("621200").name == "陇南市"
        with pytest.raises(bianzhi.NotFound):
            l.jurisdiction("621202")      # the transaction that failed wrote nothing
        assert [x.uuid for x in l.units("621200", "2020-01-01")] == [unit.uuid]
        assert not [v for v in l.check("2020-01-01") if v.severity == bianzhi.Severity.ERROR]
        with pytest.raises(bianzhi.LedgerIOError):
            l.begin("tester", "陇南市编办")   # read-only: nothing is written


@needs_server
def test_errors_never_show_the_password():
    secret = "s3cret-Pw-9"
    u = uri("secret", "&password=" + secret)
    with bianzhi.open(u) as l:
        assert secret not in l.path and "password=***" in l.path and secret not in repr(l)
        with pytest.raises(bianzhi.NotFound) as e:
            l.unit("00000000-0000-0000-0000-000000000000")
        assert secret not in str(e.value) and secret not in e.value.path
        with pytest.raises(bianzhi.Misuse, match="pg_dump") as e:
            l.backup("/tmp/never-%s.ledger" % uuid.uuid4().hex)
        assert secret not in str(e.value)
    # a schema without a ledger, not created: refused, nothing made there
    missing = uri("none", "&password=" + secret)
    with pytest.raises(bianzhi.LedgerIOError) as e:
        bianzhi.open(missing, create=False)
    assert secret not in str(e.value) and secret not in e.value.path and "password=***" in str(e.value)
    assert e.value.errno is None or isinstance(e.value.errno, int)
    with pytest.raises(bianzhi.LedgerIOError):
        bianzhi.open(missing, readonly=True)
