package bianzhi;

import static org.junit.Assert.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * A ledger on a PostgreSQL server from Java (issue 13): Ledger.open of a
 * postgresql:// URI, written, closed, opened again; a password in the URI
 * never shown. Needs a server: BZ_PG_URI (the meson test `java_pg`, suite
 * "pg", starts a throwaway cluster with tests/pg_cluster.sh and sets it);
 * without it every test is skipped, saying so.
 */
public class PgTest {
    private String base;

    @Before
    public void needsServer() {
        String uri = System.getenv("BZ_PG_URI");
        Assume.assumeTrue("no PostgreSQL server: BZ_PG_URI is unset (meson test java_pg starts one)",
                uri != null && !uri.isEmpty());
        base = uri + (uri.contains("?") ? "&" : "?");
    }

    private String fresh(String what) {
        return base + "schema=java_" + what + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    public void writtenThenReadAgain() {
        String uri = fresh("longnan");
        String unitUuid;
        try (Ledger l = Ledger.open(uri)) {
            assertEquals(capiConstants.BZ_SCHEMA_VERSION, l.getSchemaVersion());
            l.setClock(LocalDate.of(2026, 12, 1));
            Document doc;
            try (Transaction t = l.begin("tester", "陇南市编办")) {
                t.createJurisdiction("620000", "甘肃省", null);
                t.createJurisdiction("621200", "陇南市", "620000");
                t.createJurisdiction("621202", "武都区", "621200");
                doc = t.registerDocument("陇南市机构编制委员会", "陇编发〔2012〕31号", "关于机构编制事项的通知",
                        LocalDate.of(1990, 3, 1), Level.CITY, IssuerKind.ESTABLISHMENT, "621200");
                t.commit();
            }
            try (Transaction t = l.begin("tester", "陇南市编办")) {
                t.setDocument(doc);
                unitUuid = t.establishUnit(new UnitSpec().name("武都区教育局").nature(Nature.ORGAN).rank(Rank.ZHENGKE)
                        .jurisdiction("621202").founded(LocalDate.of(2012, 3, 1))).getUuid();
                t.commit();
            }
            // a change left uncommitted is not there
            try (Transaction t = l.begin("tester", "陇南市编办")) {
                t.createJurisdiction("621221", "成县", "621200");
            }
        }
        try (Ledger l = Ledger.open(uri, false, true)) {
            assertEquals("武都区", l.jurisdiction("621202").getName());
            assertThrows(NotFoundException.class, () -> l.jurisdiction("621221"));
            assertEquals(unitUuid, l.unitByName("武都区教育局", "621202", LocalDate.of(2020, 1, 1)).getUuid());
            List<String> names = new ArrayList<>();
            try (Cursor<Unit> c = l.units("621202", LocalDate.of(2020, 1, 1))) {
                for (Unit u : c)
                    names.add(u.getName());
            }
            assertEquals(List.of("武都区教育局"), names);
            for (Violation v : l.check(LocalDate.of(2020, 1, 1)))
                assertNotEquals(v.toString(), Severity.ERROR, v.getSeverity());
            // read-only: no transaction begins, nothing written
            assertThrows(LedgerIOException.class, () -> l.begin("tester", "陇南市编办"));
            assertThrows(NotFoundException.class, () -> l.jurisdiction("621221"));
        }
    }

    @Test
    public void aPasswordIsNeverShown() {
        String uri = fresh("secret") + "&password=s3cret-Pw";
        try (Ledger l = Ledger.open(uri)) {
            assertFalse(l.getPath(), l.getPath().contains("s3cret-Pw"));
            assertTrue(l.getPath(), l.getPath().contains("password=***"));
            // backup is for files: refused with a message, the password not in it
            BianzhiException e = assertThrows(BianzhiException.class,
                    () -> l.backup(System.getProperty("java.io.tmpdir") + "/bz-pg-" + UUID.randomUUID() + ".ledger"));
            assertFalse(e.getMessage(), e.getMessage().contains("s3cret-Pw"));
        }
        // a schema without a ledger, not created: refused, the message names the URI without its password
        String missing = fresh("none") + "&password=s3cret-Pw";
        BianzhiException e = assertThrows(BianzhiException.class, () -> Ledger.open(missing, false, false));
        assertFalse(e.getMessage(), e.getMessage().contains("s3cret-Pw"));
        assertTrue(e.getMessage(), e.getMessage().contains("password=***"));
        assertEquals("postgresql://wang:***@db.example/bz?schema=a&password=***&sslmode=require",
                Ledger.shown("postgresql://wang:pw@db.example/bz?schema=a&password=p&sslmode=require"));
        assertEquals("longnan.ledger", Ledger.shown("longnan.ledger"));
    }
}
