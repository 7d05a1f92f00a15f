package bianzhi;

import static org.junit.Assert.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 11 from Java: a failed open names the path and the cause; a
 * transaction's identity tells, after a failed commit, whether it committed.
 * Run by `meson test` (suite "java").
 */
public class ReliabilityTest {
    private Path dir;

    @Before
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bz-reliability");
    }

    @After
    public void tearDown() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void failedOpenNamesThePathAndTheCause() throws Exception {
        String missing = dir.resolve("不存在").resolve("武都区.ledger").toString();
        LedgerIOException e = assertThrows(LedgerIOException.class, () -> Ledger.open(missing));
        assertTrue(e.getMessage(), e.getMessage().contains(missing));
        assertTrue(e.getMessage(), e.getMessage().contains("No such file or directory"));
        Path text = dir.resolve("名册.csv");
        Files.writeString(text, "姓名,身份证号\n".repeat(300));
        NotALedgerException n = assertThrows(NotALedgerException.class,
                () -> Ledger.open(text.toString(), false, false));
        assertTrue(n.getMessage(), n.getMessage().contains("not an SQLite database"));
    }

    @Test
    public void transactionIdentity() {
        String path = dir.resolve("甘肃省.ledger").toString();
        String done, dropped;
        try (Ledger l = Ledger.open(path)) {
            try (Transaction t = l.begin("录入员", "甘肃省委编办")) {
                done = t.uuid();
                assertEquals(done, UUID.fromString(done).toString());
                t.createJurisdiction("620000", "甘肃省", null);
                assertFalse(l.txnCommitted(done));
                t.commit();
                assertEquals(done, t.uuid());
            }
            try (Transaction t = l.begin("录入员", "甘肃省委编办")) {
                dropped = t.uuid();
                assertNotEquals(done, dropped);
                t.createJurisdiction("610000", "陕西省", null);
                t.rollback();
            }
        }
        try (Ledger again = Ledger.open(path, false, true)) {
            assertTrue(again.txnCommitted(done));
            assertFalse(again.txnCommitted(dropped));
            assertFalse(again.txnCommitted(UUID.randomUUID().toString()));
            assertThrows(InvalidArgumentException.class, () -> again.txnCommitted("not-a-uuid"));
            assertThrows(InvalidArgumentException.class, () -> again.txnCommitted("a\0b"));
        }
    }
}
