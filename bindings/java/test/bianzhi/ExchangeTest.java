package bianzhi;

import static org.junit.Assert.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Export, import and consolidation (exchangeLedger/importLedger): two counties of 陇南 built in their own
 * ledgers, each with its own copy of 甘肃省, 陇南市 and the city's document; run by `meson test` (suite "java").
 */
public class ExchangeTest {
    private Path dir;
    private final List<Ledger> open = new ArrayList<>();

    static String idnum(String region, int seq) {
        String body17 = String.format("%s%04d%02d%02d%03d", region, 1970 + seq % 25, 1 + seq % 12, 1 + seq % 28, seq);
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int s = 0;
        for (int i = 0; i < 17; i++)
            s += (body17.charAt(i) - '0') * w[i];
        return body17 + "10X98765432".charAt(s % 11);
    }

    private static final String[] NAMES = {"张伟", "李娜", "王强", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周杰", "吴艳"};

    /** A county: its ledger, its units (教育局, 财政局, 第一中学) and the city's document. */
    static final class County {
        Ledger ledger;
        String code;
        Document cityDoc;
        final List<Unit> units = new ArrayList<>();
        int people;
    }

    private Ledger ledger(String name) {
        Ledger l = TestLedgers.open(dir.resolve(name).toString());
        l.setClock(LocalDate.of(2026, 12, 1));
        open.add(l);
        return l;
    }

    private static Document cityBasics(Transaction t, LocalDate docDate) {
        t.createJurisdiction("620000", "甘肃省", null);
        t.createJurisdiction("621200", "陇南市", "620000");
        return t.registerDocument("陇南市机构编制委员会", "陇编发〔1999〕31号", "关于县区机构编制事项的通知", docDate,
                Level.CITY, IssuerKind.ESTABLISHMENT, "621200");
    }

    private County county(String code, String name) {
        County c = new County();
        c.ledger = ledger(code + ".ledger");
        c.code = code;
        try (Transaction t = c.ledger.begin("王科长", name + "委编办")) {
            c.cityDoc = cityBasics(t, LocalDate.of(1999, 12, 20));
            t.createJurisdiction(code, name, "621200");
            t.commit();
        }
        String[][] defs = {{"教育局", "XZ"}, {"财政局", "XZ"}, {"第一中学", "SY"}};
        int seq = 0;
        for (String[] d : defs) {
            Unit u;
            boolean organ = d[1].equals("XZ");
            try (Transaction t = c.ledger.begin("王科长", name + "委编办")) {
                t.setDocument(c.cityDoc);
                u = t.establishUnit(new UnitSpec().name(name + d[0]).nature(organ ? Nature.ORGAN : Nature.INSTITUTION)
                        .rank(organ ? Rank.ZHENGKE : Rank.FUKE).jurisdiction(code).founded(LocalDate.of(2000, 1, 1)));
                t.setEstablishment(u.getUuid(), d[1], organ ? 12 : 30, LocalDate.of(2012, 3, 1));
                t.commit();
            }
            c.units.add(u);
            int n = organ ? 10 : 25;
            List<Person> ps = new ArrayList<>();
            try (Transaction t = c.ledger.begin("王科长", name + "委编办")) {
                for (int k = 0; k < n; k++, seq++)
                    ps.add(t.registerPerson(idnum(code, seq), NAMES[seq % 10] + (seq / 10 == 0 ? "" : NAMES[(seq / 10) % 10]),
                            null, null));
                t.commit();
            }
            try (Transaction t = c.ledger.begin("王科长", name + "委编办")) {
                t.setDocument(c.cityDoc);
                Slip s = t.issueSlip(u.getUuid(), d[1], n, Purpose.RECRUIT, LocalDate.of(2013, 1, 1),
                        LocalDate.of(2013, 12, 31), null);
                for (Person p : ps)
                    t.enter(p.getUuid(), u.getUuid(), d[1], s.getUuid(), EntryKind.RECRUIT, LocalDate.of(2013, 3, 1));
                t.commit();
            }
            try (Transaction t = c.ledger.begin("王科长", name + "委编办")) {
                t.setDocument(c.cityDoc);
                t.exit(ps.get(0).getUuid(), ExitReason.RETIREMENT, LocalDate.of(2018, 6, 30));
                t.commit();
            }
            c.people += n;
        }
        return c;
    }

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bianzhi-exchange");
    }

    @After
    public void tearDown() throws IOException {
        for (Ledger l : open)
            l.close();
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void sameTable1(Ledger a, Ledger b, String unit) {
        BasicTable x = a.basicTable(unit, null), y = b.basicTable(unit, null);
        assertEquals(x.getUnitName(), y.getUnitName());
        assertEquals(x.getRows().size(), y.getRows().size());
        for (int i = 0; i < x.getRows().size(); i++) {
            assertEquals(x.getRows().get(i).getEstablishment(), y.getRows().get(i).getEstablishment());
            assertEquals(x.getRows().get(i).getStaff(), y.getRows().get(i).getStaff());
            assertEquals(x.getRows().get(i).getVacant(), y.getRows().get(i).getVacant());
        }
    }

    @Test
    public void roundTripIsIdenticalAndKeepsOrigins() throws IOException {
        County a = county("621221", "成县");
        String file = dir.resolve("chengxian.jsonl").toString();
        Exchange out = a.ledger.exportLedger(file, null);
        assertTrue(out.getRecords() > 100);
        assertEquals(a.ledger.identity(), out.getOrigin());

        Ledger e = ledger("empty.ledger");
        Exchange in = e.importLedger(file);
        assertEquals(a.ledger.lastSeq(), in.getChangesAdded());
        assertEquals(0, in.getConflicts().size());
        assertEquals(0, in.getCheckErrors());
        for (Unit u : a.units)
            sameTable1(a.ledger, e, u.getUuid());
        try (Cursor<Change> cur = e.changesSince(0)) {
            for (Change ch : cur)
                assertEquals(a.ledger.identity(), ch.getOrigin());
        }
        String again = dir.resolve("again.jsonl").toString();
        e.exportLedger(again, null);
        List<String> l1 = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        List<String> l2 = Files.readAllLines(Path.of(again), StandardCharsets.UTF_8);
        assertEquals(l1.subList(1, l1.size()), l2.subList(1, l2.size()));
        assertNotEquals(a.ledger.identity(), e.identity());

        // a second import adds nothing
        long seq = e.lastSeq();
        Exchange twice = e.importLedger(file);
        assertEquals(0, twice.getAdded());
        assertEquals(twice.getRecords(), twice.getPresent());
        assertEquals(seq, e.lastSeq());
    }

    @Test
    public void cityConsolidatesItsCounties() {
        County a = county("621221", "成县"), b = county("621227", "徽县");
        String fa = dir.resolve("a.jsonl").toString(), fb = dir.resolve("b.jsonl").toString();
        a.ledger.exportLedger(fa, null);
        b.ledger.exportLedger(fb, null);
        Ledger city = ledger("city.ledger");
        try (Transaction t = city.begin("李主任", "陇南市委编办")) {
            cityBasics(t, LocalDate.of(1999, 12, 20));
            t.commit();
        }
        Exchange xa = city.importLedger(fa), xb = city.importLedger(fb);
        assertEquals(6, xa.getMapped());
        assertEquals(6, xb.getMapped());
        assertEquals(0, xb.getCheckErrors());
        for (Unit u : a.units)
            sameTable1(a.ledger, city, u.getUuid());
        for (Unit u : b.units)
            sameTable1(b.ledger, city, u.getUuid());
        for (County c : new County[] {a, b}) {
            LimitLedger x = c.ledger.limitLedger(c.code, null), y = city.limitLedger(c.code, null);
            assertEquals(x.get(Branch.ADMINISTRATIVE).getStaff(), y.get(Branch.ADMINISTRATIVE).getStaff());
            assertTrue(y.get(Branch.ADMINISTRATIVE).getStaff() > 0);
            assertEquals(x.get(Branch.INSTITUTION).getAllocated(), y.get(Branch.INSTITUTION).getAllocated());
        }
        try (Cursor<Change> cur = city.changes(b.units.get(2).getUuid())) {
            int n = 0;
            for (Change ch : cur) {
                assertEquals(b.ledger.identity(), ch.getOrigin());
                n++;
            }
            assertTrue(n >= 4);
        }
        assertEquals(0, city.importLedger(fa).getAdded());
    }

    @Test
    public void conflictRefusedNothingWritten() {
        County a = county("621221", "成县");
        String fa = dir.resolve("a.jsonl").toString();
        a.ledger.exportLedger(fa, null);
        Ledger city = ledger("city.ledger");
        try (Transaction t = city.begin("李主任", "陇南市委编办")) {
            cityBasics(t, LocalDate.of(2000, 1, 3)); // the same number, another date
            t.commit();
        }
        long seq = city.lastSeq();
        try {
            city.importLedger(fa);
            fail("a conflict must refuse the import");
        } catch (ExchangeRefusedException ex) {
            List<Exchange.Conflict> cs = ex.getResult().getConflicts();
            assertEquals(1, cs.size());
            assertEquals("document", cs.get(0).getKind());
            assertEquals("date", cs.get(0).getField());
            assertEquals("2000-01-03", cs.get(0).getOurs());
            assertEquals("1999-12-20", cs.get(0).getTheirs());
            assertTrue(cs.get(0).getLine() > 1);
        }
        assertEquals(seq, city.lastSeq());
        try (Cursor<Unit> cur = city.units("621221", null)) {
            fail("no 成县 in the city's ledger: " + cur);
        } catch (NotFoundException ex) {
            // nothing of the file was written, not even the county's jurisdiction
        }
    }

    @Test
    public void truncatedFileRefused() throws IOException {
        County a = county("621221", "成县");
        Path fa = dir.resolve("a.jsonl");
        a.ledger.exportLedger(fa.toString(), null);
        List<String> lines = Files.readAllLines(fa, StandardCharsets.UTF_8);
        Path cut = dir.resolve("cut.jsonl");
        Files.write(cut, lines.subList(0, lines.size() - 5), StandardCharsets.UTF_8);
        Ledger e = ledger("e.ledger");
        try {
            e.importLedger(cut.toString());
            fail("a truncated file must be refused");
        } catch (InvalidArgumentException ex) {
            assertTrue(ex.getMessage(), ex.getMessage().contains("truncated"));
        }
        assertEquals(0, e.lastSeq());
        try {
            a.ledger.exportLedger(fa.toString(), null);
            fail("an export never overwrites");
        } catch (ExistsException ex) {
            assertTrue(ex.getMessage().contains(fa.toString()));
        }
    }
}
