package bianzhi;

import static org.junit.Assert.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The units' 机构编制管理证 from Java (unitcert.h): issue, renew and void, the state at a date on
 * both sides of the validity's last day, and R14 (seed §3 必须持) refusing an entry into a unit
 * whose certificate was voided with ConstraintViolationException, field by field, nothing
 * written. Run by `meson test` (suite "java").
 */
public class UnitCertTest {
    private Path dir;
    private Ledger l;
    private String unit;
    private Document doc;

    @Before
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bz-unitcert");
        l = TestLedgers.open(dir.resolve("武都区.ledger").toString());
        try (Transaction t = l.begin("王科长", "武都区委编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            doc = t.registerDocument("武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
                    LocalDate.of(2012, 1, 10), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            t.setDocument(doc);
            unit = t.establishUnit(new UnitSpec().name("武都区教育局").nature(Nature.ORGAN).rank(Rank.ZHENGKE)
                    .jurisdiction("621202").founded(LocalDate.of(2012, 3, 1))).getUuid();
            t.setEstablishment(unit, "XZ", 8, LocalDate.of(2012, 3, 1));
            t.commit();
        }
    }

    @After
    public void tearDown() throws Exception {
        l.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Transaction begin() {
        Transaction t = l.begin("王科长", "武都区委编办");
        t.setDocument(doc);
        return t;
    }

    @Test
    public void issueRenewVoidAndTheBoundary() {
        Unitcert c;
        try (Transaction t = begin()) {
            c = t.issueUnitcert(unit, LocalDate.of(2013, 3, 1), null);
            t.commit();
        }
        assertEquals("621202-BZZ-2013-0001", c.getNumber());
        assertEquals(LocalDate.of(2018, 2, 28), c.getValidUntil());
        assertEquals(UnitcertPhase.VALID, l.unitcert(c.getUuid(), LocalDate.of(2018, 2, 28)).getState());
        assertEquals(UnitcertPhase.EXPIRED, l.unitcert(c.getUuid(), LocalDate.of(2018, 3, 1)).getState());
        Unitcert n;
        try (Transaction t = begin()) {
            n = t.renewUnitcert(c.getUuid(), LocalDate.of(2018, 4, 1), "武编证〔2018〕1号");
            t.commit();
        }
        assertEquals(c.getUuid(), n.getRenews());
        assertEquals(LocalDate.of(2018, 4, 1), l.unitcert(c.getUuid(), null).getRenewed());
        assertEquals(n.getUuid(), l.unitcertByNumber("武编证〔2018〕1号", null).getUuid());
        try (Transaction t = begin()) {
            t.voidUnitcert(n.getUuid(), LocalDate.of(2020, 1, 1));
            t.commit();
        }
        Unitcert held = l.unitcertHeld(unit, LocalDate.of(2020, 1, 1));
        assertEquals(UnitcertPhase.VOID, held.getState());
        assertEquals(LocalDate.of(2020, 1, 1), held.getVoided());
        List<UnitcertPhase> states = new ArrayList<>();
        try (Cursor<Unitcert> it = l.unitcerts(unit, LocalDate.of(2019, 1, 1))) {
            for (Unitcert x : it)
                states.add(x.getState());
        }
        assertEquals(List.of(UnitcertPhase.RENEWED, UnitcertPhase.VALID), states);
        assertThrows(NotFoundException.class, () -> l.unitcertHeld(unit, LocalDate.of(2013, 2, 28)));
        try (Transaction t = begin()) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> t.voidUnitcert(n.getUuid(), LocalDate.of(2021, 1, 1)));
            assertTrue(e.getMessage(), e.getMessage().contains("already voided on 2020-01-01"));
        }
    }

    @Test
    public void r14RefusesAnEntryIntoAUnitWhoseCertificateWasVoided() {
        Unitcert c;
        Slip slip;
        Person p;
        try (Transaction t = begin()) {
            c = t.issueUnitcert(unit, LocalDate.of(2019, 1, 1), null);
            t.setRuleParam("unitcert.enforce", "error", LocalDate.of(2019, 1, 1));
            slip = t.issueSlip(unit, "XZ", 2, Purpose.EXAM, LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31), null);
            p = t.registerPerson("62120219900101123" + check("62120219900101123"), "王小明", null, null);
            t.voidUnitcert(c.getUuid(), LocalDate.of(2020, 3, 1));
            t.commit();
        }
        long before = inPost(), events = l.lastSeq();
        ConstraintViolationException e = assertThrows(ConstraintViolationException.class, () -> {
            try (Transaction t = begin()) {
                t.enter(p.getUuid(), unit, "XZ", slip.getUuid(), EntryKind.EXAM, LocalDate.of(2020, 3, 1));
                t.commit();
            }
        });
        assertEquals(1, e.getErrors().size());
        Violation v = e.getErrors().get(0);
        assertEquals(Rule.R14, v.getRule());
        assertEquals("R14", v.getRuleId());
        assertEquals(unit, v.getSubject());
        assertEquals("武都区教育局", v.getSubjectName());
        assertEquals("unitcert:621202-BZZ-2019-0001", v.getCategory());
        assertEquals(Long.valueOf(1), v.getAllowed());
        assertEquals(Long.valueOf(0), v.getActual());
        assertEquals(LocalDate.of(2020, 3, 1), v.getDate());
        assertEquals("武编发〔2013〕5号", v.getDocumentNumber());
        assertTrue(v.getMessage(), v.getMessage().contains("was voided on 2020-03-01"));
        assertEquals(before, inPost());
        assertEquals(events, l.lastSeq());
        assertEquals("off", l.ruleParam("unitcert.enforce", LocalDate.of(2018, 12, 31)));
    }

    private long inPost() {
        long n = 0;
        try (Cursor<Placement> it = l.roster(unit, LocalDate.of(2020, 12, 31))) {
            for (Placement x : it)
                n++;
        }
        return n;
    }

    /** The GB 11643 check character of a 17-digit body. */
    private static String check(String body17) {
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int s = 0;
        for (int i = 0; i < 17; i++)
            s += (body17.charAt(i) - '0') * w[i];
        return String.valueOf("10X98765432".charAt(s % 11));
    }
}
