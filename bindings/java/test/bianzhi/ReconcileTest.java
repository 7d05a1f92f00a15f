package bianzhi;

import static org.junit.Assert.*;

import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Reconciliation with another department's roster (Ledger.reconcile, Diff, Difference), run by `meson test` (suite "java"). */
public class ReconcileTest {
    private static final LocalDate DATE = LocalDate.of(2026, 6, 30);
    private static final String[] SURNAMES = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};
    private Path dir;
    private Ledger ledger;
    private Document countyDoc, exitDoc;
    private Unit jyj, czj;
    private final List<Person> people = new ArrayList<>();
    private final List<Placement> placements = new ArrayList<>();
    private final List<Unit> unitOf = new ArrayList<>();

    static String idnum(String body17) {
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int s = 0;
        for (int i = 0; i < 17; i++)
            s += (body17.charAt(i) - '0') * w[i];
        return body17 + "10X98765432".charAt(s % 11);
    }

    private Unit unit(String name) {
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(countyDoc);
            Unit u = t.establishUnit(new UnitSpec().name(name).nature(Nature.ORGAN).rank(Rank.ZHENGKE)
                    .jurisdiction("621202").founded(LocalDate.of(2010, 1, 1)));
            t.setEstablishment(u.getUuid(), "XZ", 20, LocalDate.of(2014, 1, 1));
            t.commit();
            return u;
        }
    }

    /** 武都区: 教育局 and 财政局, ten people in post each since 2015; people[2] retired on 2026-03-31. */
    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bianzhi-reconcile");
        ledger = TestLedgers.open(dir.resolve("wudu.ledger").toString());
        ledger.setClock(LocalDate.of(2026, 12, 1));
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            countyDoc = t.registerDocument("武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
                    LocalDate.of(1990, 1, 10), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            exitDoc = t.registerDocument("武都区机构编制委员会", "武编发〔2026〕12号", "关于退休人员出编的通知",
                    LocalDate.of(2026, 3, 20), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            t.commit();
        }
        jyj = unit("武都区教育局");
        czj = unit("武都区财政局");
        for (Unit u : new Unit[] {jyj, czj}) {
            try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
                t.setDocument(countyDoc);
                Slip slip = t.issueSlip(u.getUuid(), "XZ", 10, Purpose.RECRUIT, LocalDate.of(2015, 1, 1),
                        LocalDate.of(2015, 12, 31), null);
                for (int j = 0; j < 10; j++) {
                    int i = people.size();
                    String body = String.format("621202%04d%02d%02d%03d", 1970 + i, 1 + i % 12, 1 + i % 28, i);
                    Person p = t.registerPerson(idnum(body), SURNAMES[i % 10] + (i < 10 ? "伟" : "芳"), null, null);
                    people.add(p);
                    unitOf.add(u);
                    placements.add(t.enter(p.getUuid(), u.getUuid(), "XZ", slip.getUuid(), EntryKind.RECRUIT,
                            LocalDate.of(2015, 3, 1)));
                }
                t.commit();
            }
        }
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(exitDoc);
            t.exit(people.get(2).getUuid(), ExitReason.RETIREMENT, LocalDate.of(2026, 3, 31));
            t.commit();
        }
    }

    @After
    public void tearDown() {
        ledger.close();
        for (File f : dir.toFile().listFiles())
            f.delete();
        dir.toFile().delete();
    }

    private static List<Diff> all(Cursor<Diff> c) {
        List<Diff> out = new ArrayList<>();
        try (Cursor<Diff> cur = c) {
            for (Diff d : cur)
                out.add(d);
        }
        return out;
    }

    /** The roster as the ledger has it (people[2] retired, left out), with the changes given as "index=row". */
    private String roster(boolean withRetiree) {
        StringBuilder b = new StringBuilder("单位名称,姓名,身份证号,编制类别,发放状态\r\n");
        for (int i = 0; i < people.size(); i++) {
            if (i == 2 && !withRetiree)
                continue;
            Person p = people.get(i);
            String unitName = unitOf.get(i) == jyj ? "武都区教育局" : "武都区财政局";
            b.append(unitName).append(',').append(p.getName()).append(',').append(p.getIdNumber())
             .append(",行政编制,正常\r\n");
        }
        return b.toString();
    }

    @Test
    public void cleanRosterGivesNothing() throws IOException {
        Path f = dir.resolve("clean.csv");
        Files.write(f, roster(false).getBytes(Charset.forName("GB18030")));
        assertTrue(all(ledger.reconcile(f.toString(), "621202", DATE)).isEmpty());
    }

    @Test
    public void everyDifferenceWithBothSides() throws IOException {
        String text = roster(true)                                  // line 4: the retiree, still paid
                .replace("武都区教育局," + people.get(0).getName(), "武都区财政局," + people.get(0).getName()) // line 2
                .replace("," + people.get(1).getName() + ",", ",王小明,")                                    // line 3
                .replace(people.get(15).getIdNumber() + ",行政编制", people.get(15).getIdNumber() + ",事业编制") // line 17
                .replace("武都区财政局," + people.get(19).getName() + "," + people.get(19).getIdNumber()
                         + ",行政编制,正常\r\n", "");                     // people[19] left out
        String ghost = idnum("62120219880707777");
        text += "武都区教育局,钱多多," + ghost + ",行政编制,\r\n";          // line 21
        Path f = dir.resolve("roster.csv");
        Files.write(f, ("\uFEFF" + text).getBytes(Charset.forName("UTF-8")));
        List<Diff> d = all(ledger.reconcile(f.toString(), "621202", DATE));
        assertEquals(6, d.size());

        Diff unit = d.get(0);
        assertEquals(Difference.UNIT, unit.getKind());
        assertEquals(2, unit.getLine());
        assertEquals(people.get(0).getIdNumber(), unit.getIdNumber());
        assertEquals("武都区财政局", unit.getRosterUnit());
        assertEquals(jyj.getUuid(), unit.getUnit());
        assertEquals("武都区教育局", unit.getUnitName());
        assertEquals(placements.get(0).getUuid(), unit.getPlacement());
        assertEquals("武编发〔2013〕5号", unit.getDocument());

        Diff name = d.get(1);
        assertEquals(Difference.NAME, name.getKind());
        assertEquals(3, name.getLine());
        assertEquals("王小明", name.getRosterName());
        assertEquals(people.get(1).getName(), name.getLedgerName());
        assertEquals(people.get(1).getUuid(), name.getPerson());

        Diff left = d.get(2);
        assertEquals(Difference.LEFT_PAID, left.getKind());
        assertEquals("出编仍发放", left.getKind().chinese());
        assertEquals(4, left.getLine());
        assertEquals(placements.get(2).getUuid(), left.getPlacement());
        assertEquals("武编发〔2026〕12号", left.getDocument());
        assertEquals("left on 2026-03-31 (退休)", left.getDetail());

        Diff cat = d.get(3);
        assertEquals(Difference.CATEGORY, cat.getKind());
        assertEquals(17, cat.getLine());
        assertEquals("事业编制", cat.getRosterCategory());
        assertEquals("XZ", cat.getCategory());
        assertEquals("行政编制", cat.getCategoryName());

        Diff ghostDiff = d.get(4);
        assertEquals(Difference.NOT_ESTABLISHED, ghostDiff.getKind());
        assertEquals(21, ghostDiff.getLine());
        assertEquals(ghost, ghostDiff.getIdNumber());
        assertEquals("钱多多", ghostDiff.getRosterName());
        assertNull(ghostDiff.getPerson());
        assertNull(ghostDiff.getPlacement());

        Diff missing = d.get(5);
        assertEquals(Difference.NOT_ON_ROSTER, missing.getKind());
        assertEquals(0, missing.getLine());
        assertEquals(people.get(19).getUuid(), missing.getPerson());
        assertEquals(czj.getUuid(), missing.getUnit());
        assertNull(missing.getRosterName());
        assertEquals("not on the roster", missing.getDetail());
    }

    @Test
    public void errors() throws IOException {
        String missing = dir.resolve("nope.csv").toString();
        try {
            ledger.reconcile(missing, null, DATE);
            fail("a missing roster");
        } catch (LedgerIOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nope.csv: no such file or directory"));
        }
        Path f = dir.resolve("nocol.csv");
        Files.write(f, "姓名,单位名称\n张伟,武都区教育局\n".getBytes(Charset.forName("UTF-8")));
        try {
            ledger.reconcile(f.toString(), null, DATE);
            fail("no ID column");
        } catch (InvalidArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("line 1: no column 身份证号"));
        }
        try {
            ledger.reconcile(f.toString(), "999999", DATE);
            fail("an unknown jurisdiction");
        } catch (NotFoundException e) {
            // expected
        }
        try {
            ledger.reconcile(null, null, DATE);
            fail("no path");
        } catch (InvalidArgumentException e) {
            // expected
        }
    }
}
