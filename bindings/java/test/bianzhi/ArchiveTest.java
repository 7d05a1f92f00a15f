package bianzhi;

import static org.junit.Assert.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The files behind the documents: attach from streams and paths, read as InputStream, archives (suite "java"). */
public class ArchiveTest {
    private Path dir;
    private Ledger ledger;
    private Document countyDoc, memo;
    private Unit whg;

    static byte[] scan(int n, int seed) {
        byte[] b = new byte[n];
        byte[] head = "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII);
        long x = seed * 2654435761L + 1;
        for (int i = 0; i < n; i++) {
            x = (x * 1103515245L + 12345L) & 0xffffffffL;
            b[i] = i < head.length ? head[i] : (byte) (x >> 16);
        }
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** 武都区, its establishment office's documents, 武都区文化馆 set up on one of them. */
    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bianzhi-archive");
        ledger = TestLedgers.open(dir.resolve("wudu.ledger").toString());
        ledger.setClock(LocalDate.of(2026, 12, 1));
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            countyDoc = t.registerDocument("武都区机构编制委员会", "武编发〔2014〕12号", "关于设立武都区文化馆的批复",
                    LocalDate.of(2014, 6, 20), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            memo = t.registerDocument("武都区机构编制委员会", "武编纪〔2014〕3号", "2014年第三次编委会议纪要",
                    LocalDate.of(2014, 6, 12), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            t.commit();
        }
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.setDocument(countyDoc);
            whg = t.establishUnit(new UnitSpec().name("武都区文化馆").nature(Nature.INSTITUTION).rank(Rank.ZHENGGU)
                    .jurisdiction("621202").founded(LocalDate.of(2014, 7, 1)));
            t.setEstablishment(whg.getUuid(), "SY", 8, LocalDate.of(2014, 7, 1));
            t.commit();
        }
    }

    @After
    public void tearDown() throws IOException {
        ledger.close();
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList()))
                Files.deleteIfExists(p);
        }
    }

    @Test
    public void attachStreamsReadBackStoredOnce() throws Exception {
        byte[] data = scan(600_000, 1);
        File a, b, c;
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            a = t.attach(countyDoc.getUuid(), new ByteArrayInputStream(data), data.length, "批复扫描件.pdf");
            /* size unknown: spooled first */
            b = t.attach(memo.getUuid(), new FilterInputStream(new ByteArrayInputStream(data)) {}, -1, "纪要附件.pdf");
            Path p = dir.resolve("abc.txt");
            Files.write(p, "abc".getBytes(StandardCharsets.US_ASCII));
            c = t.attach(memo.getUuid(), p.toString(), null);
            t.commit();
        }
        assertEquals(sha256(data), a.getSha256());
        assertEquals(a.getSha256(), b.getSha256());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", c.getSha256());
        assertEquals("abc.txt", c.getName());
        assertEquals(data.length, a.getSize());
        assertEquals(LocalDate.of(2026, 12, 1), a.getAttached());
        assertEquals(List.of(a), ledger.files(countyDoc.getUuid()));
        assertEquals(2, ledger.files(memo.getUuid()).size());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(data.length, ledger.copyFile(a.getUuid(), out));
        assertArrayEquals(data, out.toByteArray());
        try (InputStream in = ledger.openFile(b.getUuid())) {
            byte[] head = new byte[9];
            assertEquals(9, in.read(head));
            assertEquals("%PDF-1.4\n", new String(head, StandardCharsets.US_ASCII));
            byte[] rest = in.readAllBytes();
            assertEquals(data.length - 9, rest.length);
            assertEquals(-1, in.read());
        }
        Path exported = dir.resolve("out.pdf");
        ledger.exportFile(a.getUuid(), exported.toString());
        assertArrayEquals(data, Files.readAllBytes(exported));
        assertThrows(ExistsException.class, () -> ledger.exportFile(a.getUuid(), exported.toString()));
        assertTrue(ledger.verifyFiles().isEmpty());
    }

    @Test
    public void badInputRefused() throws Exception {
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            LedgerIOException e = assertThrows(LedgerIOException.class,
                    () -> t.attach(countyDoc.getUuid(), dir.resolve("no-such.pdf").toString(), null));
            assertTrue(e.getMessage(), e.getMessage().contains("no-such.pdf"));
            assertThrows(NotFoundException.class, () -> t.attach("3f1c5b7e-0000-4000-8000-000000000000",
                    new ByteArrayInputStream(new byte[3]), 3, "x.pdf"));
            assertThrows(InvalidArgumentException.class,
                    () -> t.attach(countyDoc.getUuid(), new ByteArrayInputStream(new byte[3]), 3, "a/b.pdf"));
            /* a stream shorter than announced */
            assertThrows(InvalidArgumentException.class,
                    () -> t.attach(countyDoc.getUuid(), new ByteArrayInputStream(new byte[3]), 10, "short.pdf"));
            t.commit();
        }
        assertTrue(ledger.files(countyDoc.getUuid()).isEmpty());
    }

    @Test
    public void categoriesArchivesAndTampering() throws Exception {
        List<ArchiveCategory> cats = ledger.archiveCategories();
        assertEquals(11, cats.size());
        assertTrue(cats.stream().anyMatch(c -> c.getCode().equals("BWHY") && c.getName().equals("编委会议纪要")));
        byte[] data = scan(80_000, 2);
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.addArchiveCategory("ZDGZ", "重点工作台账档案");
            t.attach(countyDoc.getUuid(), new ByteArrayInputStream(data), data.length, "批复.pdf");
            t.fileUnder(countyDoc.getUuid(), "SYDJ", 0);
            t.fileUnder(memo.getUuid(), "BWHY", 0);
            assertThrows(NotFoundException.class, () -> t.fileUnder(memo.getUuid(), "NOPE", 0));
            t.commit();
        }
        assertEquals("SYDJ", ledger.filedCategory(countyDoc.getUuid()));
        assertEquals(2014, ledger.filedYear(countyDoc.getUuid()));
        assertEquals(12, ledger.archiveCategories().size());

        Path zip = dir.resolve("文化馆.zip");
        assertEquals(1, ledger.exportArchive(zip.toString(), whg.getUuid(), null, null, 0));
        try (ZipFile zf = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            ZipEntry e = zf.stream().filter(z -> z.getName().endsWith("/批复.pdf")).findFirst().orElseThrow();
            assertEquals("2014-06-20 武编发〔2014〕12号 关于设立武都区文化馆的批复/批复.pdf", e.getName());
            assertArrayEquals(data, zf.getInputStream(e).readAllBytes());
            String csv = new String(zf.getInputStream(zf.getEntry("index.csv")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(csv.contains("\"事业单位登记管理档案\",\"2014\""));
            assertTrue(csv.contains(sha256(data)));
        }
        assertTrue(Ledger.verifyArchive(zip.toString()).isEmpty());
        Path folder = dir.resolve("all");
        assertEquals(1, ledger.exportArchive(folder.toString(), null, "621202", null, 2014));
        Path f = folder.resolve("2014-06-20 武编发〔2014〕12号 关于设立武都区文化馆的批复/批复.pdf");
        byte[] bytes = Files.readAllBytes(f);
        bytes[100] ^= 1;
        Files.write(f, bytes);
        List<String> problems = Ledger.verifyArchive(folder.toString());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0), problems.get(0).contains("批复.pdf: SHA-256"));
        assertThrows(InvalidArgumentException.class, () -> Ledger.verifyArchive(dir.toString()));

    }

    /** export + importLedger carry the records (category, filing, attachments); copyFilesFrom the bytes. */
    @Test
    public void copyCarriesTheFiles() throws Exception {
        byte[] big = scan(3_000_017, 5), one = scan(1, 6);
        File a, b;
        try (Transaction t = ledger.begin("王科长", "武都区委编办")) {
            t.addArchiveCategory("ZDGZ", "重点工作台账档案");
            a = t.attach(countyDoc.getUuid(), new ByteArrayInputStream(big), big.length, "扫描件.ofd");
            b = t.attach(memo.getUuid(), new ByteArrayInputStream(one), one.length, "纪要.pdf");
            t.fileUnder(countyDoc.getUuid(), "ZDGZ", 2015);
            t.commit();
        }
        String x = dir.resolve("all.jsonl").toString();
        ledger.exportLedger(x, null);
        try (Ledger d = TestLedgers.open(dir.resolve("copy.ledger").toString())) {
            d.importLedger(x, false, false);
            assertEquals("ZDGZ", d.filedCategory(countyDoc.getUuid()));
            assertEquals(2015, d.filedYear(countyDoc.getUuid()));
            assertTrue(d.files(countyDoc.getUuid()).isEmpty());
            assertThrows(InvalidArgumentException.class, () -> d.copyFilesFrom(d));
            assertEquals(2, d.copyFilesFrom(ledger));
            assertEquals(0, d.copyFilesFrom(ledger));
            assertEquals(List.of(a), d.files(countyDoc.getUuid()));
            assertEquals(List.of(b), d.files(memo.getUuid()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(big.length, d.copyFile(a.getUuid(), out));
            assertArrayEquals(big, out.toByteArray());
            assertTrue(d.verifyFiles().isEmpty());
        }
    }
}
