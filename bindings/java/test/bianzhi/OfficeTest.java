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
 * Who may change what from Java (office.h): offices registered and listed,
 * a transaction acting for an office, R15 refusing a county office on
 * another county's unit (field by field, nothing written), and the powers
 * as dated data. Run by `meson test` (suite "java").
 */
public class OfficeTest {
    static final String CITY = "陇南市机构编制委员会办公室";
    static final String WUDU = "陇南市武都区机构编制委员会办公室";
    static final String CHENGXIAN = "成县机构编制委员会办公室";
    static final String HR = "陇南市武都区人力资源和社会保障局";
    private Path dir;

    @Before
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bz-office");
    }

    @After
    public void tearDown() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** {武都区教育局, its county's document, 成县's office} on a ledger with the Longnan offices */
    private static String[] longnan(Ledger l) {
        Unit u;
        Document d;
        Office cx;
        try (Transaction t = l.begin("王科长", "测试编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            t.createJurisdiction("621221", "成县", "621200");
            d = t.registerDocument("武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
                    LocalDate.of(2012, 1, 10), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            t.setDocument(d);
            u = t.establishUnit(new UnitSpec().name("武都区教育局").nature(Nature.ORGAN).rank(Rank.ZHENGKE)
                    .jurisdiction("621202").founded(LocalDate.of(2012, 3, 1)));
            t.commit();
        }
        try (Transaction t = l.begin("王科长", CITY)) {
            t.registerOffice(CITY, "621200", OfficeType.ESTABLISHMENT);
            t.registerOffice(WUDU, "621202", OfficeType.ESTABLISHMENT);
            cx = t.registerOffice(CHENGXIAN, "621221", OfficeType.ESTABLISHMENT);
            t.registerOffice(HR, "621202", OfficeType.HR);
            t.commit();
        }
        return new String[] {u.getUuid(), d.getUuid(), cx.getUuid()};
    }

    @Test
    public void officesRegisteredAndRead() {
        try (Ledger l = TestLedgers.open(dir.resolve("longnan.ledger").toString())) {
            longnan(l);
            Office hr = l.findOffice(HR);
            assertEquals("621202", hr.getJurisdiction());
            assertEquals(OfficeType.HR, hr.getKind());
            assertEquals(Level.COUNTY, hr.getLevel());
            assertEquals(hr.getUuid(), l.office(hr.getUuid()).getUuid());
            List<String> names = new ArrayList<>();
            try (Cursor<Office> c = l.offices("621202")) {
                for (Office o : c)
                    names.add(o.getName());
            }
            assertEquals(List.of(WUDU, HR), names);
            assertThrows(NotFoundException.class, () -> l.findOffice("陇南市编办"));
            assertTrue(l.officePower(OfficeType.HR, Power.PLACEMENT, null));
            assertFalse(l.officePower(OfficeType.HR, Power.ESTABLISHMENT, null));
            try (Transaction t = l.begin("王科长", CITY)) {
                assertThrows(ExistsException.class, () -> t.registerOffice(HR, "621202", OfficeType.HR));
                t.rollback();
            }
        }
    }

    @Test
    public void countyOfficeOnAnotherCountyIsRefused() {
        try (Ledger l = TestLedgers.open(dir.resolve("longnan.ledger").toString())) {
            String[] c = longnan(l);
            long before = l.lastSeq();
            ConstraintViolationException e = assertThrows(ConstraintViolationException.class, () -> {
                try (Transaction t = l.beginOffice("王科长", c[2])) {
                    t.setDocument(c[1]);
                    t.setEstablishment(c[0], "XZ", 8, LocalDate.of(2014, 2, 1));
                    t.commit();
                }
            });
            assertEquals(before, l.lastSeq());   // nothing written
            assertEquals(0, l.establishment(c[0], "XZ", LocalDate.of(2014, 2, 1)));
            assertEquals(1, e.getViolations().size());
            Violation v = e.getViolations().get(0);
            assertEquals(Rule.R15, v.getRule());
            assertEquals("R15", v.getRuleId());
            assertEquals(Severity.ERROR, v.getSeverity());
            assertEquals(CHENGXIAN, v.getOffice());
            assertEquals(c[0], v.getSubject());
            assertEquals("武都区教育局", v.getSubjectName());
            assertEquals("establishment", v.getCategory());
            assertNull(v.getAllowed());
            assertNull(v.getActual());
            assertEquals(c[1], v.getDocument());
            assertEquals("武编发〔2013〕5号", v.getDocumentNumber());
            assertEquals(LocalDate.of(2014, 2, 1), v.getDate());
            assertTrue(v.getMessage(), v.getMessage().contains("outside its scope"));
            // its own county's office may
            try (Transaction t = l.beginOffice("王科长", l.findOffice(WUDU).getUuid())) {
                t.setDocument(c[1]);
                t.setEstablishment(c[0], "XZ", 8, LocalDate.of(2014, 2, 1));
                t.commit();
            }
            assertEquals(8, l.establishment(c[0], "XZ", LocalDate.of(2014, 2, 1)));
        }
    }
}
