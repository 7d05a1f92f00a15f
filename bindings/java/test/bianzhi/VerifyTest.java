package bianzhi;

import static org.junit.Assert.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Tamper evidence from Java (verify.h): the head hash moves with every
 * commit, a verify against an old head after honest commits is clean, a
 * wrong head and an edit behind the library (a fact changed with SQLite, or
 * with psql on a server) are found with their position. Run by `meson test`
 * (suites "java" and, on a PostgreSQL server, "pg").
 */
public class VerifyTest {
    private Path dir;

    @Before
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bz-verify");
    }

    @After
    public void tearDown() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * SQL run behind the library (TestLedgers.behind: python3's sqlite3 on the
     * file, psql on a server). On a server whoever edits behind the library
     * holds the database's superuser: the append-only triggers (and the foreign
     * keys, which SQLite's second connection does not enforce either) are out
     * of the way, as in tests/python/test_verify.py.
     */
    private static void behind(String path, String sqliteSql, String pgSql) {
        TestLedgers.behind(path, sqliteSql, "SET session_replication_role = replica; " + pgSql);
    }

    /** {unit, document} */
    private static String[] county(Ledger l) {
        Unit u;
        Document d;
        try (Transaction t = l.begin("王科长", "武都区委编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            d = t.registerDocument("陇南市机构编制委员会", "陇编发〔2012〕31号", "关于机构编制事项的通知",
                    LocalDate.of(2012, 1, 10), Level.CITY, IssuerKind.ESTABLISHMENT, "621200");
            t.setDocument(d);
            u = t.establishUnit(new UnitSpec().name("武都区教育局").nature(Nature.ORGAN).rank(Rank.ZHENGKE)
                    .jurisdiction("621202").founded(LocalDate.of(2012, 3, 1)));
            t.setEstablishment(u.getUuid(), "XZ", 8, LocalDate.of(2012, 3, 1));
            t.commit();
        }
        return new String[] {u.getUuid(), d.getUuid()};
    }

    @Test
    public void headMovesAndOldHeadVerifies() {
        try (Ledger l = TestLedgers.open(dir.resolve("武都区.ledger").toString())) {
            String[] c = county(l);
            Ledger.Head h1 = l.headHash();
            assertEquals(l.lastSeq(), h1.seq());
            assertTrue(h1.hash(), h1.hash().matches("[0-9a-f]{64}"));
            assertTrue(l.verify(null).isEmpty());
            try (Transaction t = l.begin("王科长", "武都区委编办")) {
                t.setDocument(c[1]);
                t.setEstablishment(c[0], "XZ", 10, LocalDate.of(2020, 1, 1));
                t.commit();
            }
            Ledger.Head h2 = l.headHash();
            assertTrue(h2.seq() > h1.seq());
            assertNotEquals(h1.hash(), h2.hash());
            assertTrue(l.verify(h1).isEmpty());
            List<Violation> wrong = l.verify(new Ledger.Head(h1.seq(), h2.hash()));
            assertEquals(1, wrong.size());
            assertEquals("CHAIN", wrong.get(0).getCategory());
            assertEquals(Long.valueOf(h1.seq()), wrong.get(0).getActual());
            assertEquals(Rule.INTEGRITY, wrong.get(0).getRule());
            assertThrows(InvalidArgumentException.class, () -> l.verify(new Ledger.Head(1, "abc")));
            try (Transaction t = l.begin("王科长", "武都区委编办")) {
                assertThrows(MisuseException.class, () -> l.verify(null));
                assertThrows(MisuseException.class, l::headHash);
                t.rollback();
            }
        }
    }

    @Test
    public void factEditedBehindTheLibraryIsFound() throws Exception {
        String path = dir.resolve("成县.ledger").toString();
        try (Ledger l = TestLedgers.open(path)) {
            county(l);
        }
        long seq = Long.parseLong(TestLedgers.behind(path,
                "SELECT event FROM fact WHERE attr='name' AND after='武都区教育局'", null).get(0).get(0));
        behind(path, "DROP TRIGGER fact_no_update; UPDATE fact SET after='武都区教育和体育局'"
                + " WHERE attr='name' AND after='武都区教育局'",
                "UPDATE fact SET after='武都区教育和体育局' WHERE attr='name' AND after='武都区教育局'");
        try (Ledger l = TestLedgers.open(path, false, true)) {
            List<Violation> found = l.verify(null);
            assertEquals(found.toString(), 1, found.size());
            assertEquals(Long.valueOf(seq), found.get(0).getActual());
            assertTrue(found.get(0).getMessage(), found.get(0).getMessage().startsWith("altered: change record #" + seq));
            assertTrue(found.get(0).getMessage(), found.get(0).getMessage().contains("its facts"));
        }
    }
    /**
     * A counter's past breakpoint edited behind the library (as above): the
     * establishment before its later change. Today's figure is right; verify compares the
     * whole timeline and names the counter, the first day it differs, and both figures.
     */
    @Test
    public void pastCounterBreakpointEditedIsFound() throws Exception {
        String path = dir.resolve("徽县.ledger").toString();
        String[] c;
        try (Ledger l = TestLedgers.open(path)) {
            c = county(l);
            try (Transaction t = l.begin("王科长", "武都区委编办")) {
                t.setDocument(c[1]);
                t.setEstablishment(c[0], "XZ", 10, LocalDate.of(2020, 1, 1));
                t.commit();
            }
        }
        String key = "U:" + c[0] + ":est:XZ";
        String sql = "UPDATE tl SET value=12 WHERE effective='2012-03-01'"
                + " AND counter=(SELECT id FROM counter WHERE key='" + key + "')";
        behind(path, sql, sql);
        try (Ledger l = TestLedgers.open(path, false, true)) {
            List<Violation> found = l.verify(null);
            assertEquals(found.toString(), 1, found.size());
            Violation v = found.get(0);
            assertEquals(Rule.INTEGRITY, v.getRule());
            assertEquals(Severity.ERROR, v.getSeverity());
            assertEquals(c[0], v.getSubject());
            assertEquals(key, v.getCategory());
            assertEquals(key, v.getSubjectName());
            assertEquals(LocalDate.of(2012, 3, 1), v.getDate());
            assertEquals(Long.valueOf(12), v.getActual());
            assertEquals(Long.valueOf(8), v.getAllowed());
            assertTrue(v.getMessage(), v.getMessage().contains("the first day its timeline and the records differ"));
        }
    }
}
