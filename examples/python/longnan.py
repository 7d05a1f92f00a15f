#!/usr/bin/python3
"""The Longnan demo in Python: build a small Longnan ledger, print its units and a
Table 2, show a refused change, register an institution whose annual report
is refused for disagreeing with the ledger, and show an entry refused for want
of a valid 机构编制管理证 (R14).

    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/python/longnan.py [LEDGER]
"""
import os
import sys
import tempfile

import bianzhi
from bianzhi import IssuerKind, Level, Nature, Rank

COUNTIES = [("621202", "武都区"), ("621221", "成县"), ("621222", "文县"), ("621223", "宕昌县"),
            ("621224", "康县"), ("621225", "西和县"), ("621226", "礼县"), ("621227", "徽县"),
            ("621228", "两当县")]


def build(ledger):
    with ledger.transaction("张三", "陇南市编办") as t:
        t.create_jurisdiction("620000", "甘肃省")
        t.create_jurisdiction("621200", "陇南市", "620000")
        for code, name in COUNTIES:
            t.create_jurisdiction(code, name, "621200")
        city = t.register_document("陇南市机构编制委员会", "陇编发〔2012〕31号", "关于武都区机构设置的批复",
                                   "2012-03-01", Level.CITY, IssuerKind.ESTABLISHMENT, "621200")
        t.set_document(city)
        edu = t.establish_unit("武都区教育局", Nature.ORGAN, "621202", "2012-03-01", rank=Rank.ZHENGKE,
                               duties="全区教育事业")
        t.establish_unit("武都区农机推广站", Nature.INSTITUTION, "621202", "2012-03-01", rank=Rank.FUGU)
        t.set_limit("621202", bianzhi.Branch.ADMINISTRATIVE, 60, "2012-03-01")
        t.set_establishment(edu, "XZ", 12, "2012-03-01")
    with ledger.transaction("张三", "陇南市编办", document=city) as t:
        t.rename_unit(edu, "武都区教育和体育局", "2019-03-01")
    return edu


def show(ledger, edu):
    print("== Units in being on %s ==" % ledger.today)
    for j in ledger.jurisdictions("621200"):
        units = list(ledger.units(j))
        if units:
            print("%s (%s)" % (j.name, j.code))
            for u in units:
                print("  %s  %s, founded %s" % (u.name, bianzhi.nature_name(u.nature), u.founded))
    print("\n== Table 2 (机构编制变更记录) of %s ==" % ledger.unit(edu).name)
    for c in ledger.changes(edu):
        print("  %s  %-18s %-20s by %s (%s)" % (c.effective, c.kind, c.document_number or "-",
                                               c.recorded_by, c.office))
        for name, before, after in c.attributes:
            print("      %-12s %s -> %s" % (name, before or "-", after or "-"))


def refused(ledger):
    print("\n== A refused change ==")
    print("成县 tries to establish 成县教育督导中心, a 副科 public institution, on its own document:")
    try:
        with ledger.transaction("李四", "成县编办") as t:
            doc = t.register_document("成县机构编制委员会", "成编发〔2016〕3号", "关于设立成县教育督导中心的通知",
                                      "2016-04-11", Level.COUNTY, IssuerKind.ESTABLISHMENT, "621221")
            t.set_document(doc)
            t.establish_unit("成县教育督导中心", Nature.INSTITUTION, "621221", "2016-04-11", rank=Rank.FUKE)
    except bianzhi.ConstraintViolation as e:
        print(e)
        print("  (nothing was written: %s)" % [u.name for u in ledger.units("621221")])


def registration(ledger):
    print("\n== 事业单位法人登记 (registration) ==")
    station = [u for u in ledger.units("621202") if u.name == "武都区农机推广站"][0]
    with ledger.transaction("张三", "陇南市编办") as t:
        doc = t.register_document("武都区机构编制委员会", "武编发〔2024〕2号", "关于事业单位登记的批复",
                                  "2024-01-05", Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202")
        t.set_document(doc)
        t.register_institution(station, "2024-01-10", doc, "武都区农机推广站", "武都区城关镇", "杨林",
                               "农业机械推广", 100000, None, bianzhi.Funding.FULL, "12621202MA74C3P65G")
        t.certify_institution(station, bianzhi.CertKind.ISSUE, "事证第162120200009号", "2024-01-10")
    r = ledger.registration(station)
    print("  %s: 证书 %s valid until %s" % (r.name, r.cert_number, r.cert_valid_until))
    try:
        with ledger.transaction("张三", "陇南市编办", document=doc) as t:
            t.file_annual_report(station, 2024, "2025-03-20", 5, 0, 100000)  # the ledger has nobody in post
    except bianzhi.ConstraintViolation as e:
        print(e)


def certificate(ledger, edu):
    print("\n== The 机构编制管理证 (R14, seed §3) ==")
    with ledger.transaction("张三", "陇南市编办") as t:
        city = ledger.find_document("陇南市机构编制委员会", "陇编发〔2012〕31号")
        t.set_document(city)
        cert = t.issue_unitcert(edu, "2016-05-03")
        t.set_rule_param("unitcert.enforce", "error", "2016-06-01")  # 必须持: refused from then on
        slip = t.issue_slip(edu, "XZ", 1, bianzhi.Purpose.EXAM, "2024-05-01", "2024-12-31")
        person = t.register_person("621202199003010222", "李娜")
    print("issued %s, valid %s to %s" % (cert.number, cert.issued, cert.valid_until))
    with ledger.transaction("张三", "陇南市编办", document=city) as t:
        renewed = t.renew_unitcert(cert, "2021-05-03")   # 换发
        t.void_unitcert(renewed, "2024-05-20")            # lost: 作废
    print("renewed as %s on %s, voided on 2024-05-20" % (renewed.number, renewed.issued))
    try:
        with ledger.transaction("张三", "陇南市编办", document=city) as t:
            t.enter(person, edu, "XZ", slip, bianzhi.EntryKind.EXAM, "2024-06-01")
    except bianzhi.ConstraintViolation as e:
        for v in e.errors:
            print("refused: %s" % v.message)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.mkdtemp(), "longnan.ledger")
    with bianzhi.open(path, clock="2026-12-01") as ledger:
        edu = build(ledger)
        show(ledger, edu)
        refused(ledger)
        registration(ledger)
        certificate(ledger, edu)


if __name__ == "__main__":
    main()
