"""The generated half of the binding (issue 9): enums with Chinese names, frozen
dataclass snapshots, argument types refused, NUL refused, errors with path and
cause; and the areas added for parity: the card, person attributes, transfers
of people, slips by number, norms."""
import dataclasses
import errno
import os

import pytest

import bianzhi
from bianzhi import EntryKind, ExitReason, Nature, Post, Purpose, Rank, Sex, SlipPhase

from test_staff import LI, WANG, staffed


def test_enums_have_chinese_names_and_parse_them():
    assert Nature.from_name("事业单位") is Nature.INSTITUTION
    assert str(Nature.ORGAN) == "行政机关" and Nature.ORGAN.cn == Nature.ORGAN.chinese == "行政机关"
    assert f"{Rank.ZHENGKE}" == "正科" and f"{Rank.ZHENGKE:d}" == "4"
    # where the C library names a code, the binding says the same
    for n in Nature:
        assert n.cn == bianzhi.nature_name(n)
    for r in Rank:
        assert r.cn == bianzhi.rank_name(r)
    assert EntryKind.from_name("军转安置") is EntryKind.DEMOBILISED
    assert ExitReason.RETIREMENT.cn == "退休" and Post.DEPUTY.cn == "副职" and Sex.FEMALE.cn == "女"
    assert Purpose.EXAM.cn == "考录" and SlipPhase.LIVE.cn == "有效"
    assert bianzhi.Severity.ERROR.cn == "错误" and bianzhi.Rule.R1.cn == "不准超编进人"
    with pytest.raises(ValueError):
        Nature.from_name("公司")


def test_snapshots_are_frozen_dataclasses(ln):
    u = ln.unit()
    assert dataclasses.is_dataclass(u)
    d = dataclasses.asdict(u)
    assert d["name"] == "武都区教育局" and d["nature"] == Nature.ORGAN and d["rank"] == Rank.ZHENGKE
    with pytest.raises(dataclasses.FrozenInstanceError):
        u.name = "x"
    assert ln.ledger.unit(u.uuid) == ln.ledger.unit(u.uuid)
    assert hash(u) == hash(ln.ledger.unit(u.uuid, "2012-03-01"))


@pytest.mark.parametrize("kw", [dict(nature=1.9), dict(nature="1"), dict(rank=True), dict(canzong="no"),
                                dict(canzong=2), dict(funding=1.0)])
def test_wrong_types_refused(ln, kw):
    args = dict(nature=Nature.ORGAN)
    args.update(kw)
    nature = args.pop("nature")
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        with pytest.raises(bianzhi.InvalidArgument) as e:
            t.establish_unit("某局", nature, "621202", "2012-03-01", **args)
        assert isinstance(e.value, TypeError)
        t.rollback()


def test_fractional_and_string_counts_refused(ln):
    u = ln.unit()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        for bad in (2.5, "5", True, 2**40):
            with pytest.raises(bianzhi.InvalidArgument):
                t.set_establishment(u, "XZ", bad, "2012-03-01")
        t.rollback()
    assert ln.ledger.establishment(u, "XZ") == 0     # nothing written, not 2


def test_embedded_nul_refused(ln, tmp_path):
    with pytest.raises(bianzhi.InvalidArgument):
        bianzhi.open(str(tmp_path / "a\0b.ledger"))
    assert not (tmp_path / "a").exists()
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        with pytest.raises(bianzhi.InvalidArgument):
            t.establish_unit("武都区\0教育局", Nature.ORGAN, "621202", "2012-03-01")
        with pytest.raises(bianzhi.InvalidArgument):
            t.create_jurisdiction("621223\0", "x", "621200")
        t.rollback()
    with pytest.raises(bianzhi.InvalidArgument):
        ln.ledger.unit_by_name("武都区教育局\0x")


def test_errors_carry_path_and_cause(ln, tmp_path):
    with pytest.raises(bianzhi.NotFound) as e:
        ln.ledger.unit("00000000-0000-0000-0000-000000000000")
    assert e.value.path == ln.ledger.path and e.value.cause and e.value.code == bianzhi.NotFound.code
    missing = str(tmp_path / "no" / "such" / "folder" / "x.ledger")
    with pytest.raises(bianzhi.LedgerIOError) as e:
        bianzhi.open(missing)
    assert e.value.filename == missing and e.value.path == missing
    assert e.value.errno == errno.ENOENT and isinstance(e.value, OSError)


def test_card_attributes_transfer_and_slip_by_number(ln):
    u, slip = staffed(ln)
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        b = t.establish_unit("武都区财政局", Nature.ORGAN, "621202", "2012-03-01", rank=Rank.ZHENGKE)
        t.set_establishment(b, "XZ", 2, "2012-03-01")
        sb = t.issue_slip(b, "XZ", 1, Purpose.TRANSFER_IN, "2026-11-01", "2027-04-30", number="武编用〔2026〕9号")
        p = t.register_person(WANG, "王小明")
        t.enter(p, u, "XZ", slip, EntryKind.EXAM, "2026-11-10")
        t.set_person_attr(p, "民族", "汉族", "2026-11-10")
    assert ln.ledger.slip_by_number("武编用〔2026〕9号").uuid == sb.uuid
    person = ln.ledger.person(p)
    assert person.attr("民族") == "汉族" and person.attributes == (bianzhi.PersonAttr("民族", "汉族"),)
    assert person.sex is Sex.MALE
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        moved = t.transfer_person(p, b, "XZ", sb, "2026-11-20")
    assert moved.unit == b.uuid and moved.entry_kind is EntryKind.TRANSFER_IN
    card = ln.ledger.card(person.card)
    assert card.number == person.card and card.person.uuid == p.uuid
    assert [(x.unit, x.exit_reason) for x in card.placements] == [(u.uuid, ExitReason.TRANSFER_OUT), (b.uuid, None)]
    assert ln.ledger.person_by_card(person.card).uuid == p.uuid
    assert dataclasses.asdict(card)["placements"][1]["unit"] == b.uuid


def test_norms_and_identifiers(ln):
    p, d = ln.ledger.leadership_norm(bianzhi.NormKind.UNIT, Rank.ZHENGKE)
    assert p >= 1 and d >= 0
    with ln.ledger.transaction("u", "o", document=ln.city_doc) as t:
        t.set_leadership_norm(bianzhi.NormKind.UNIT, Rank.ZHENGKE, Rank.ZHENGKE, 1, 2)
    assert ln.ledger.leadership_norm(bianzhi.NormKind.UNIT, Rank.ZHENGKE) == (1, 2)
    assert bianzhi.idnum_valid(LI) and not bianzhi.idnum_valid(LI + "\0")
    assert bianzhi.normalize_idnum(WANG.lower()) == WANG
    assert bianzhi.version_number() >= 0x010000
