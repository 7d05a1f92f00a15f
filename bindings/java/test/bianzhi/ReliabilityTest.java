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
        TestLedgers.sqliteOnly("a file's open failures (a server's: PgTest.aPasswordIsNeverShown)");
        String missing = dir.resolve("不存在").resolve("武都区.ledger").toString();
        LedgerIOException e = assertThrows(LedgerIOException.class, () -> TestLedgers.open(missing));
        assertTrue(e.getMessage(), e.getMessage().contains(missing));
        assertTrue(e.getMessage(), e.getMessage().contains("No such file or directory"));
        Path text = dir.resolve("名册.csv");
        Files.writeString(text, "姓名,身份证号\n".repeat(300));
        NotALedgerException n = assertThrows(NotALedgerException.class,
                () -> TestLedgers.open(text.toString(), false, false));
        assertTrue(n.getMessage(), n.getMessage().contains("not an SQLite database"));
    }

    @Test
    public void transactionIdentity() {
        String path = dir.resolve("甘肃省.ledger").toString();
        String done, dropped;
        try (Ledger l = TestLedgers.open(path)) {
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
        try (Ledger again = TestLedgers.open(path, false, true)) {
            assertTrue(again.txnCommitted(done));
            assertFalse(again.txnCommitted(dropped));
            assertFalse(again.txnCommitted(UUID.randomUUID().toString()));
            assertThrows(InvalidArgumentException.class, () -> again.txnCommitted("not-a-uuid"));
            assertThrows(InvalidArgumentException.class, () -> again.txnCommitted("a\0b"));
        }
    }

    /** BZ_ENOMEM surfaces as NoMemoryException; nothing was written and the handle goes on. */
    @Test
    public void outOfMemoryIsNoMemoryException() {
        String path = dir.resolve("武都区.ledger").toString();
        try (Ledger l = TestLedgers.open(path)) {
            try (Transaction t = l.begin("录入员", "武都区编办")) {
                t.createJurisdiction("620000", "甘肃省", null);
                t.commit();
            }
            String before = l.jurisdiction("620000").getName();
            // every allocation of the library from the first on fails
            assertEquals(0, Ledger.debugFailAlloc(1, true));
            NoMemoryException e;
            try {
                e = assertThrows(NoMemoryException.class, () -> l.begin("录入员", "武都区编办"));
            } finally {
                assertTrue(Ledger.debugFailAlloc(0, false) >= 1);
            }
            assertEquals(capiConstants.BZ_ENOMEM, e.getCode());
            assertTrue(e.getMessage(), e.getMessage().contains("out of memory"));
            assertTrue(e instanceof BianzhiException);
            // a single failure in the middle of a transaction: the change fails, the ledger is as it was
            try (Transaction t = l.begin("录入员", "武都区编办")) {
                Ledger.debugFailAlloc(1, false);
                try {
                    assertThrows(NoMemoryException.class, () -> t.createJurisdiction("621200", "陇南市", "620000"));
                } finally {
                    assertEquals(1, Ledger.debugFailAlloc(0, false));
                }
                t.rollback();
            }
            assertEquals(before, l.jurisdiction("620000").getName());
            assertThrows(NotFoundException.class, () -> l.jurisdiction("621200"));
            assertThrows(InvalidArgumentException.class, () -> Ledger.debugFailAlloc(-1, false));
            assertThrows(InvalidArgumentException.class, () -> Ledger.debugFailAlloc(1_000_000_000_001L, false));
        }
    }

    /** BZ_EBUSY surfaces as BusyException: a second connection holds the write lock past the busy timeout. */
    @Test
    public void lockedLedgerIsBusyException() {
        TestLedgers.sqliteOnly("another connection's lock on the file");
        String path = dir.resolve("成县.ledger").toString();
        try (Ledger a = TestLedgers.open(path); Ledger b = TestLedgers.open(path, false, false)) {
            try (Transaction t = a.begin("录入员", "成县编办")) {
                t.createJurisdiction("620000", "甘肃省", null); // a holds the write lock
                b.setBusyTimeout(50);
                BusyException e = assertThrows(BusyException.class, () -> b.begin("审核员", "成县编办"));
                assertEquals(capiConstants.BZ_EBUSY, e.getCode());
                assertTrue(e.getMessage(), e.getMessage().contains("locked by another connection"));
                assertTrue(e.getMessage(), e.getMessage().contains("50 ms"));
                t.commit();
            }
            try (Transaction t = b.begin("审核员", "成县编办")) { // free again
                t.rollback();
            }
        }
    }

    /** BZ_EIO surfaces as LedgerIOException: a ledger where a directory is, with the path and the reason. */
    @Test
    public void unwritablePathIsLedgerIOException() throws Exception {
        TestLedgers.sqliteOnly("a file's open failures: a missing folder");
        Path sub = Files.createDirectory(dir.resolve("档案"));
        LedgerIOException e = assertThrows(LedgerIOException.class,
                () -> TestLedgers.open(sub.resolve("缺失").resolve("礼县.ledger").toString()));
        assertEquals(capiConstants.BZ_EIO, e.getCode());
        assertTrue(e.getMessage(), e.getMessage().contains("礼县.ledger"));
    }
}
