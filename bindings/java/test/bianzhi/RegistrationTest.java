package bianzhi;

import static org.junit.Assert.*;

import java.time.LocalDate;
import java.util.List;

import org.junit.Test;

/**
 * 事业单位法人登记 from Java (registration.h): an institution registered and
 * certified (five years), one refusal (R13: an annual report whose staff
 * figure differs from the ledger's, both figures named, nothing written),
 * the rates sheet. Run by `meson test` (suite "java").
 */
public class RegistrationTest {
    @Test
    public void registerCertifyAndRefuseAReport() {
        try (Ledger l = TestLedgers.open(":memory:")) {
            String code = BianzhiTest.creditCode('2', "621202", "MB174620");
            Unit bureau, cdc;
            Document doc, decision;
            try (Transaction t = l.begin("王科长", "武都区委编办")) {
                t.createJurisdiction("620000", "甘肃省", null);
                t.createJurisdiction("621200", "陇南市", "620000");
                t.createJurisdiction("621202", "武都区", "621200");
                doc = t.registerDocument("陇南市机构编制委员会", "陇编发〔2012〕31号", "关于机构编制事项的通知",
                        LocalDate.of(2009, 1, 10), Level.CITY, IssuerKind.ESTABLISHMENT, "621200");
                decision = t.registerDocument("武都区卫生健康局", "武卫发〔2010〕2号", "关于申请设立登记的请示",
                        LocalDate.of(2010, 2, 1), Level.COUNTY, IssuerKind.BUSINESS, "621202");
                t.setDocument(doc);
                bureau = t.establishUnit(new UnitSpec().name("武都区卫生健康局").nature(Nature.ORGAN)
                        .rank(Rank.ZHENGKE).jurisdiction("621202").founded(LocalDate.of(2010, 1, 1)));
                cdc = t.establishUnit(new UnitSpec().name("武都区疾病预防控制中心").nature(Nature.INSTITUTION)
                        .rank(Rank.FUKE).jurisdiction("621202").founded(LocalDate.of(2010, 1, 1))
                        .parent(bureau.getUuid()).creditCode(code));
                t.setEstablishment(cdc.getUuid(), "SY", 10, LocalDate.of(2010, 1, 1));
                t.registerInstitution(cdc.getUuid(), LocalDate.of(2010, 3, 1), decision.getUuid(),
                        "武都区疾病预防控制中心", "钟楼滩路12号", "张明", "疾病预防控制", 500000L, bureau.getUuid(),
                        Funding.FULL, code);
                t.certifyInstitution(cdc.getUuid(), CertKind.ISSUE, "事证1", LocalDate.of(2020, 3, 15));
                t.commit();
            }
            Registration r = l.registration(cdc.getUuid(), LocalDate.of(2021, 1, 1));
            assertEquals(RegState.REGISTERED, r.getState());
            assertEquals("事证1", r.getCertNumber());
            assertEquals(LocalDate.of(2025, 3, 14), r.getCertValidUntil());
            assertTrue(r.isCertValid());
            assertFalse(l.registration(cdc.getUuid(), LocalDate.of(2025, 3, 15)).isCertValid());

            long seq = l.lastSeq();
            ConstraintViolationException e = assertThrows(ConstraintViolationException.class, () -> {
                try (Transaction t = l.begin("王科长", "武都区委编办")) {
                    t.setDocument(doc);
                    t.fileAnnualReport(cdc.getUuid(), 2020, LocalDate.of(2021, 3, 1), 3, 10, 500000);
                    t.commit();
                }
            });
            Violation v = null;
            for (Violation x : e.getViolations())
                if (x.getRule() == Rule.R13)
                    v = x;
            assertNotNull(e.getMessage(), v);
            assertEquals(Severity.ERROR, v.getSeverity());
            assertEquals(cdc.getUuid(), v.getSubject());
            assertEquals("staff", v.getCategory());
            assertEquals(Long.valueOf(0), v.getAllowed());
            assertEquals(Long.valueOf(3), v.getActual());
            assertEquals(LocalDate.of(2021, 3, 1), v.getDate());
            assertEquals(seq, l.lastSeq()); // nothing written
            assertThrows(NotFoundException.class, () -> l.annualReport(cdc.getUuid(), 2020));

            try (Transaction t = l.begin("王科长", "武都区委编办")) {
                t.setDocument(doc);
                t.fileAnnualReport(cdc.getUuid(), 2020, LocalDate.of(2021, 3, 1), 0, 10, 500000);
                t.commit();
            }
            AnnualReport a = l.annualReport(cdc.getUuid(), 2020);
            assertTrue(a.isAgrees());
            assertEquals(LocalDate.of(2021, 3, 31), a.getDue());

            Sheet s = l.sheetRegistration("621200", LocalDate.of(2021, 6, 1));
            List<List<Object>> rows = s.getRows();
            assertEquals("合计", rows.get(rows.size() - 1).get(0));
            assertEquals("100.0%", rows.get(rows.size() - 1).get(3));
            assertEquals("100.0%", rows.get(rows.size() - 1).get(8));
        }
    }

    /**
     * A unit founded without a credit code is given one (setUnitCreditCode); one
     * refusal: a wrong check character is R10 at commit, field by field, nothing
     * written; another unit's code is an ExistsException.
     */
    @Test
    public void setUnitCreditCode() {
        try (Ledger l = TestLedgers.open(":memory:")) {
            String code = BianzhiTest.creditCode('2', "621202", "MB174620");
            String good = BianzhiTest.creditCode('2', "621202", "MB174621");
            String bad = good.substring(0, 17) + (good.charAt(17) == '0' ? "1" : "0");
            Unit cdc, mch;
            Document doc;
            try (Transaction t = l.begin("王科长", "武都区委编办")) {
                t.createJurisdiction("620000", "甘肃省", null);
                t.createJurisdiction("621200", "陇南市", "620000");
                t.createJurisdiction("621202", "武都区", "621200");
                doc = t.registerDocument("陇南市机构编制委员会", "陇编发〔2012〕31号", "关于机构编制事项的通知",
                        LocalDate.of(2009, 1, 10), Level.CITY, IssuerKind.ESTABLISHMENT, "621200");
                t.setDocument(doc);
                cdc = t.establishUnit(new UnitSpec().name("武都区疾病预防控制中心").nature(Nature.INSTITUTION)
                        .rank(Rank.FUKE).jurisdiction("621202").founded(LocalDate.of(2010, 1, 1)).creditCode(code));
                mch = t.establishUnit(new UnitSpec().name("武都区妇幼保健院").nature(Nature.INSTITUTION)
                        .rank(Rank.FUKE).jurisdiction("621202").founded(LocalDate.of(2010, 1, 1)));
                t.commit();
            }
            assertNull(l.unit(mch.getUuid(), LocalDate.of(2015, 1, 1)).getCreditCode());
            long seq = l.lastSeq();
            ConstraintViolationException e = assertThrows(ConstraintViolationException.class, () -> {
                try (Transaction t = l.begin("王科长", "武都区委编办")) {
                    t.setDocument(doc);
                    t.setUnitCreditCode(mch.getUuid(), bad, LocalDate.of(2015, 1, 1));
                    t.commit();
                }
            });
            Violation v = null;
            for (Violation x : e.getViolations())
                if (x.getRule() == Rule.R10)
                    v = x;
            assertNotNull(e.getMessage(), v);
            assertEquals(Severity.ERROR, v.getSeverity());
            assertEquals(mch.getUuid(), v.getSubject());
            assertEquals(LocalDate.of(2015, 1, 1), v.getDate());
            assertTrue(v.getMessage(), v.getMessage().contains(bad));
            assertEquals(seq, l.lastSeq()); // nothing written
            try (Transaction t = l.begin("王科长", "武都区委编办")) {
                t.setDocument(doc);
                t.setUnitCreditCode(mch.getUuid(), good, LocalDate.of(2015, 1, 1));
                assertThrows(ExistsException.class,
                        () -> t.setUnitCreditCode(mch.getUuid(), code, LocalDate.of(2016, 1, 1)));
                assertThrows(InvalidArgumentException.class,
                        () -> t.setUnitCreditCode(mch.getUuid(), "123", LocalDate.of(2016, 1, 1)));
                t.commit();
            }
            assertNull(l.unit(mch.getUuid(), LocalDate.of(2014, 12, 31)).getCreditCode());
            assertEquals(good, l.unit(mch.getUuid(), LocalDate.of(2015, 1, 1)).getCreditCode());
            assertEquals(mch.getUuid(), l.unitByCreditCode(good, null).getUuid());
        }
    }
}
