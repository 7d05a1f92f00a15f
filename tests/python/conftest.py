"""Fixtures shared by the Python binding's tests (run by `meson test`, suite "python")."""
import datetime

import pytest

import bianzhi

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


def count(ledger_path, table):
    """Rows of a table, read through a second (sqlite3) connection."""
    import sqlite3
    con = sqlite3.connect(ledger_path)
    try:
        return con.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
    finally:
        con.close()


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
