package bianzhi;

import static org.junit.Assert.*;

import java.io.File;
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

/** The change feed (changesSince, lastSeq) and backup/restore, run by `meson test` (suite "java"). */
public class FeedTest {
    private Path dir;
    private String path;
    private Ledger ledger;
    private Document countyDoc;
    private Unit jyj, wj, sj;
    private final List<Person> people = new ArrayList<>();

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
            t.commit();
            return u;
        }
    }

    private void setEstablishment(Unit u, long posts, LocalDate date) {
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(countyDoc);
            t.setEstablishment(u.getUuid(), "XZ", posts, date);
            t.commit();
        }
    }

    /** 武都区: 教育局 (3 XZ), 卫生健康局 (4 XZ), 审计局 (2 XZ); five people, three hired into 教育局. */
    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bianzhi-feed");
        path = dir.resolve("wudu.ledger").toString();
        ledger = TestLedgers.open(path);
        ledger.setClock(LocalDate.of(2026, 12, 1));
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            countyDoc = t.registerDocument("武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
                    LocalDate.of(1990, 1, 10), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            t.commit();
        }
        jyj = unit("武都区教育局");
        wj = unit("武都区卫生健康局");
        sj = unit("武都区审计局");
        setEstablishment(jyj, 3, LocalDate.of(2010, 1, 1));
        setEstablishment(wj, 4, LocalDate.of(2010, 1, 1));
        setEstablishment(sj, 2, LocalDate.of(2010, 1, 1));
        String[][] who = {{"张伟", "62120219850615011"}, {"李娜", "62120219900301022"}, {"王强", "62120219880808033"},
                          {"刘洋", "62120219920117044"}, {"陈静", "62120219870425055"}};
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            for (String[] p : who)
                people.add(t.registerPerson(idnum(p[1]), p[0], null, null));
            t.commit();
        }
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(countyDoc);
            Slip slip = t.issueSlip(jyj.getUuid(), "XZ", 3, Purpose.RECRUIT, LocalDate.of(2020, 1, 1),
                    LocalDate.of(2020, 12, 31), null);
            for (int i = 0; i < 3; i++)
                t.enter(people.get(i).getUuid(), jyj.getUuid(), "XZ", slip.getUuid(), EntryKind.RECRUIT,
                        LocalDate.of(2020, 2, 1));
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

    private static List<Change> all(Cursor<Change> c) {
        List<Change> out = new ArrayList<>();
        try (Cursor<Change> cur = c) {
            for (Change x : cur)
                out.add(x);
        }
        return out;
    }

    @Test
    public void feedIsEveryRecordInCommitOrder() {
        List<Change> feed = all(ledger.changesSince(0));
        long n = ledger.lastSeq();
        assertEquals(n, feed.size());
        for (int i = 0; i < feed.size(); i++)
            assertEquals(i + 1, feed.get(i).getSeq());
        assertEquals("jurisdiction.create", feed.get(0).getKind());
        Change doc = feed.stream().filter(c -> c.getKind().equals("document.register")).findFirst().get();
        assertEquals(countyDoc.getUuid(), doc.getSubject());
        assertEquals(countyDoc.getUuid(), doc.getDocument());
        assertNull(doc.getUnit());
        Change est = feed.stream().filter(c -> c.getKind().equals("establishment.set")
                && c.getSubject().equals(wj.getUuid())).findFirst().get();
        assertEquals(wj.getUuid(), est.getUnit());
        assertEquals(LocalDate.of(2010, 1, 1), est.getEffective());
        assertEquals(1, est.getAttributes().size());
        assertEquals("est:XZ", est.getAttributes().get(0).getName());
        assertNull(est.getAttributes().get(0).getBefore());
        assertEquals("4", est.getAttributes().get(0).getAfter());
        assertEquals("王科长", est.getRecordedBy());
        assertEquals("武都区委编办", est.getOffice());
        assertEquals(LocalDate.of(2026, 12, 1), est.getRecordedAt().toLocalDate());
        List<String> entered = new ArrayList<>();
        for (Change c : feed)
            if (c.getKind().equals("placement.enter")) {
                entered.add(c.getNote());
                assertEquals(jyj.getUuid(), c.getUnit());
                assertEquals("武编发〔2013〕5号", c.getDocumentNumber());
            }
        assertEquals(List.of("张伟", "李娜", "王强"), entered);
        assertEquals(3, all(ledger.changesSince(n - 3)).size());
        assertTrue(all(ledger.changesSince(n)).isEmpty());
    }

    @Test
    public void consumerGetsOnlyWhatIsNew() {
        long last = ledger.lastSeq();
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(countyDoc);
            t.setEstablishment(sj.getUuid(), "XZ", 3, LocalDate.of(2022, 1, 1));
            t.exit(people.get(1).getUuid(), ExitReason.RETIREMENT, LocalDate.of(2022, 6, 30));
            t.commit();
        }
        List<Change> got = all(ledger.changesSince(last));
        assertEquals(2, got.size());
        assertEquals(last + 1, got.get(0).getSeq());
        assertEquals("establishment.set", got.get(0).getKind());
        assertEquals("2", got.get(0).getAttributes().get(0).getBefore());
        assertEquals("3", got.get(0).getAttributes().get(0).getAfter());
        assertEquals("placement.exit", got.get(1).getKind());
        assertEquals("李娜", got.get(1).getNote());
        assertTrue(all(ledger.changesSince(got.get(1).getSeq())).isEmpty());
    }

    @Test
    public void refusedAndRolledBackAddNothing() {
        long last = ledger.lastSeq();
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(countyDoc);
            t.issueSlip(sj.getUuid(), "XZ", 3, Purpose.RECRUIT, LocalDate.of(2022, 1, 1), LocalDate.of(2022, 6, 30), null);
            assertThrows(ConstraintViolationException.class, t::commit);
        }
        assertEquals(last, ledger.lastSeq());
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(countyDoc);
            t.setEstablishment(sj.getUuid(), "XZ", 5, LocalDate.of(2022, 1, 1));
            assertEquals(last, ledger.lastSeq()); /* not committed yet */
            assertTrue(all(ledger.changesSince(last)).isEmpty());
            t.rollback();
        }
        assertEquals(last, ledger.lastSeq());
        assertTrue(all(ledger.changesSince(last)).isEmpty());
        assertThrows(InvalidArgumentException.class, () -> ledger.changesSince(-1));
        setEstablishment(sj, 3, LocalDate.of(2022, 1, 1));
        List<Change> got = all(ledger.changesSince(last));
        assertEquals(1, got.size());
        long seq = got.get(0).getSeq();
        assertEquals(ledger.lastSeq(), seq);
        if (TestLedgers.onPg()) {
            // a server never gives a number twice: the refused and rolled-back ones are gaps, and a
            // number no committed record has is refused, naming it (as tests/python/test_feed.py)
            assertTrue(seq + " after " + last, seq > last + 1);
            NotFoundException e = assertThrows(NotFoundException.class, () -> ledger.changesSince(last + 1));
            assertEquals(capiConstants.BZ_ENOTFOUND, e.getCode());
            assertTrue(e.getMessage(), e.getMessage().contains("no committed change record has sequence number "
                    + (last + 1) + ": ask from a number the feed gave"));
        } else {
            // in a file the numbers stay 1 … N: the next commit took the first refused one
            assertEquals(last + 1, seq);
            assertTrue(all(ledger.changesSince(last + 100)).isEmpty());
        }
        assertTrue(all(ledger.changesSince(seq)).isEmpty());
    }

    @Test
    public void readerHandleSeesEachCommitOnce() {
        try (Ledger reader = TestLedgers.open(path, false, false)) {
            long seen = reader.lastSeq();
            List<Long> got = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                Cursor<Change> c = reader.changesSince(seen);
                setEstablishment(wj, 4 + i, LocalDate.of(2024, 1, 1));
                for (Change x : c) {
                    got.add(x.getSeq());
                    seen = x.getSeq();
                }
            }
            for (Change x : reader.changesSince(seen))
                got.add(x.getSeq());
            assertEquals(3, got.size());
            assertEquals(got.get(0) + 1, (long) got.get(1));
            assertEquals(got.get(1) + 1, (long) got.get(2));
            assertEquals(ledger.lastSeq(), (long) got.get(2));
        }
    }

    @Test
    public void backupAndRestore() throws IOException {
        TestLedgers.sqliteOnly("backup/restore are for files (a server's: pg_dump)");
        String dest = dir.resolve("wudu-备份.ledger").toString();
        long last = ledger.lastSeq();
        ledger.backup(dest);
        assertThrows(ExistsException.class, () -> ledger.backup(dest));
        try (Ledger b = TestLedgers.open(dest, false, false)) {
            assertEquals(last, b.lastSeq());
            List<Change> mine = all(ledger.changesSince(0)), theirs = all(b.changesSince(0));
            assertEquals(mine.size(), theirs.size());
            for (int i = 0; i < mine.size(); i++) {
                assertEquals(mine.get(i).getKind(), theirs.get(i).getKind());
                assertEquals(mine.get(i).getSubject(), theirs.get(i).getSubject());
            }
        }
        Unit sjj = unit("武都区数据局");
        setEstablishment(sj, 3, LocalDate.of(2024, 1, 1));
        assertTrue(ledger.lastSeq() > last);
        Cursor<Change> open = ledger.changesSince(0);
        assertTrue(open.hasNext());
        ledger.restore(dest);
        assertThrows(MisuseException.class, () -> { open.next(); open.next(); });
        open.close();
        assertEquals(last, ledger.lastSeq());
        assertThrows(NotFoundException.class, () -> ledger.unit(sjj.getUuid(), null));
        assertEquals(2, ledger.establishment(sj.getUuid(), "XZ", LocalDate.of(2024, 6, 1)));
        setEstablishment(sj, 3, LocalDate.of(2024, 1, 1));
        assertEquals(last + 1, ledger.lastSeq());
    }

    @Test
    public void backupAndRestoreErrors() throws IOException {
        TestLedgers.sqliteOnly("backup/restore are for files (a server's: pg_dump)");
        long last = ledger.lastSeq();
        LedgerIOException e = assertThrows(LedgerIOException.class,
                () -> ledger.backup(dir.resolve("没有这个目录/x.ledger").toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("No such file or directory"));
        assertThrows(InvalidArgumentException.class, () -> ledger.backup(null));
        Path text = dir.resolve("roster.csv");
        Files.write(text, "单位名称,姓名\n武都区教育局,张伟\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        assertThrows(NotALedgerException.class, () -> ledger.restore(text.toString()));
        assertThrows(LedgerIOException.class, () -> ledger.restore(dir.resolve("missing.ledger").toString()));
        String good = dir.resolve("good.ledger").toString();
        ledger.backup(good);
        try (Ledger ro = TestLedgers.open(path, false, true)) {
            assertThrows(LedgerIOException.class, () -> ro.restore(good));
        }
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            assertThrows(MisuseException.class, () -> ledger.restore(good));
            assertThrows(MisuseException.class, () -> ledger.backup(dir.resolve("x.ledger").toString()));
            t.rollback();
        }
        assertFalse(new File(dir.resolve("x.ledger").toString()).exists());
        assertEquals(last, ledger.lastSeq());
    }
}
