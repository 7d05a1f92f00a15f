package bianzhi;

import static org.junit.Assert.*;

import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Bulk import of the offices' sheets through the Java layer: a GB18030 CSV, an opening, bad rows refused. */
public class ImportTest {
    private static final LocalDate CUTOVER = LocalDate.of(2024, 12, 31);
    private Path dir;
    private Ledger ledger;
    private Document openDoc;

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bianzhi-import");
        ledger = TestLedgers.open(dir.resolve("wudu.ledger").toString());
        ledger.setClock(LocalDate.of(2026, 12, 1));
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            openDoc = t.registerDocument("武都区机构编制委员会", "武编发〔2024〕30号", "关于建立机构编制实名制管理台账的通知",
                    LocalDate.of(2024, 12, 20), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
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

    private String write(String name, String text, String charset) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, text.getBytes(Charset.forName(charset)));
        return p.toString();
    }

    private static String person(int i, String unit, String entry) {
        String id = BianzhiTest.idnum(String.format("621202%04d%02d%02d%03d", 1960 + i % 20, 1 + i % 12, 1 + i % 28, i));
        return "李" + "伟芳娜敏静强磊军刚丽".charAt(i % 10) + "," + id + "," + unit + ",行政编制,调入," + entry + ",汉族\r\n";
    }

    private void units() throws IOException {
        String units = "机构名称,机构性质,机构级别,编制数,领导职数,成立时间,规范简称\r\n"
                + "武都区教育局,行政机关,正科级,10,1正2副,1987-03-01,区教育局\r\n";
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.setOpening(CUTOVER, openDoc);
            Import r = t.importUnits(write("units.csv", units, "GB18030"), "621202", null);
            assertEquals(1, r.getUnitsCreated());
            t.commit();
        }
    }

    /** The county's one unit has no one in post at the cut-over. */
    private void assertNoOneInPost() {
        String unit;
        try (Cursor<Unit> c = ledger.units("621202", CUTOVER)) {
            unit = c.iterator().next().getUuid();
        }
        try (Cursor<Placement> c = ledger.roster(unit, CUTOVER)) {
            assertFalse(c.iterator().hasNext());
        }
    }

    @Test
    public void openingFromSheets() throws IOException {
        units();
        StringBuilder sb = new StringBuilder("姓名,身份证号,单位名称,编制类别,进入形式,进入时间,民族\r\n");
        for (int i = 1; i <= 8; i++)
            sb.append(person(i, "武都区教育局", "2008年7月1日"));
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.setOpening(CUTOVER, openDoc);
            Import r = t.importPeople(write("people.csv", sb.toString(), "GB18030"), "621202");
            assertEquals(8, r.getRows());
            assertEquals(8, r.getPlacements());
            assertTrue(r.getProblems().isEmpty());
            t.commit();
        }
        String unit;
        try (Cursor<Unit> c = ledger.units("621202", CUTOVER)) {
            unit = c.iterator().next().getUuid();
        }
        assertEquals("区教育局", ledger.unitAttr(unit, "规范简称", null));
        int n = 0;
        try (Cursor<Placement> c = ledger.roster(unit, CUTOVER)) {
            for (Placement p : c) {
                assertEquals(LocalDate.of(2008, 7, 1), p.getEntry());
                assertEquals(EntryKind.TRANSFER_IN, p.getEntryKind());
                n++;
            }
        }
        assertEquals(8, n);
    }

    @Test
    public void badRowsRefusedWhole() throws IOException {
        units();
        String csv = "姓名,身份证号,单位名称,编制类别,进入形式,进入时间,民族\r\n" + person(1, "武都区教育局", "2008-07-01")
                + person(2, "没有的单位", "2008-07-01") + person(3, "武都区教育局", "2008-07-32");
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.setOpening(CUTOVER, openDoc);
            try {
                t.importPeople(write("bad.csv", csv, "UTF-8"), "621202");
                fail("bad rows were accepted");
            } catch (ImportRefusedException e) {
                assertEquals(2, e.getResult().getProblems().size());
                assertEquals(3, e.getResult().getProblems().get(0).getLine());
                assertEquals("单位名称", e.getResult().getProblems().get(0).getColumn());
                assertEquals(4, e.getResult().getProblems().get(1).getLine());
                assertEquals(0, e.getResult().getPlacements());
            }
            t.commit();
        }
        assertNoOneInPost();
    }

    /**
     * 300 rows: more than one of the import's batches (256 rows under one savepoint, issue 10), with a row
     * the library itself refuses in each (an entry after the cut-over: the person registered, then the
     * entry refused): both reported as row by row would, nothing written, the transaction goes on.
     */
    @Test
    public void libraryRefusalsAcrossBatches() throws IOException {
        units();
        StringBuilder sb = new StringBuilder("姓名,身份证号,单位名称,编制类别,进入形式,进入时间,民族\r\n");
        for (int i = 1; i <= 300; i++)
            sb.append(person(i, "武都区教育局", i == 3 ? "2025-03-01" : i == 280 ? "2025.1.5" : "2008-07-01"));
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.setOpening(CUTOVER, openDoc);
            try {
                t.importPeople(write("late.csv", sb.toString(), "GB18030"), "621202");
                fail("entries after the cut-over were accepted");
            } catch (ImportRefusedException e) {
                assertEquals(300, e.getResult().getRows());
                assertEquals(2, e.getResult().getProblems().size());
                assertEquals(4, e.getResult().getProblems().get(0).getLine());
                assertEquals(281, e.getResult().getProblems().get(1).getLine());
                for (int k = 0; k < 2; k++) {
                    assertEquals("进入时间", e.getResult().getProblems().get(k).getColumn());
                    assertTrue(e.getResult().getProblems().get(k).getMessage().contains("cut-over"));
                }
                assertEquals(0, e.getResult().getPersonsRegistered());
            }
            t.commit();
        }
        assertNoOneInPost();
    }
}
