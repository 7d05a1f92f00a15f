package bianzhi;

import static org.junit.Assert.*;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Reports through the Java layer on a county of 50 units and 1,000 people
 * (武都区 and 成县): Sheets with typed rows checked against the ledger's own
 * getters, written as CSV, JSON and XLSX, the organisation chart, errors.
 */
public class ReportTest {
    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);
    private static final String[] ORGANS = {"人民政府办公室", "发展和改革局", "教育局", "科学技术局", "工业和信息化局",
        "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局",
        "水务局", "农业农村局"};
    private static final String[] INSTITUTIONS = {"第一中学", "第二中学", "实验小学", "人民医院", "中医医院",
        "疾病预防控制中心", "妇幼保健院", "图书馆", "文化馆", "档案馆", "城乡供水保障中心", "融媒体中心",
        "农业技术推广中心", "林业技术推广站", "\"两新\"组织服务中心,党群服务站"};
    private static Path dir;
    private static Ledger ledger;
    private static final List<Unit> units = new ArrayList<>();
    private static Unit over;
    private static int people;

    @BeforeClass
    public static void county() throws IOException {
        dir = Files.createTempDirectory("bianzhi-report");
        ledger = TestLedgers.open(dir.resolve("county.ledger").toString());
        ledger.setClock(DAY);
        Document doc;
        try (Transaction t = ledger.begin("李明", "武都区编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            t.createJurisdiction("621221", "成县", "621200");
            doc = t.registerDocument("陇南市机构编制委员会", "陇编发〔2009〕31号", "关于机构编制事项的通知",
                    LocalDate.of(1999, 12, 20), Level.CITY, IssuerKind.ESTABLISHMENT, "621200");
            t.commit();
        }
        try (Transaction t = ledger.begin("李明", "武都区编办")) {
            t.setDocument(doc);
            for (String code : new String[] {"621202", "621221"}) {
                t.setLimit(code, Branch.ADMINISTRATIVE, 800, LocalDate.of(2009, 6, 1));
                t.setLimit(code, Branch.INSTITUTION, 1500, LocalDate.of(2009, 6, 1));
            }
            for (int i = 0; i < 50; i++) {
                boolean organ = i < 15 || (i >= 30 && i < 40);
                String jur = i < 30 ? "621202" : "621221";
                String name = (i < 30 ? "武都区" : "成县") + (organ ? ORGANS[i % 15] : INSTITUTIONS[(i < 30 ? i - 15 : i - 40)]);
                Unit u = t.establishUnit(new UnitSpec().name(name).nature(organ ? Nature.ORGAN : Nature.INSTITUTION)
                        .rank(organ ? Rank.ZHENGKE : Rank.FUKE).jurisdiction(jur).founded(LocalDate.of(2000, 1, 1))
                        .funding(i % 4 == 0 ? Funding.BALANCE : Funding.FULL));
                t.setEstablishment(u.getUuid(), organ ? "XZ" : "SY", organ ? 15 + i % 5 * 3 : 20 + i % 4 * 6,
                        LocalDate.of(2010, 1, 1));
                units.add(u);
            }
            t.commit();
        }
        int seq = 0;
        for (int i = 0; i < 50 && seq < 1000; i++) {
            Unit u = units.get(i);
            String cat = u.getNature() == Nature.ORGAN ? "XZ" : "SY";
            int n = (int) Math.min(ledger.establishment(u.getUuid(), cat, DAY) - i % 3, 1000 - seq);
            try (Transaction t = ledger.begin("李明", "武都区编办")) {
                t.setDocument(doc);
                Slip s = t.issueSlip(u.getUuid(), cat, n, Purpose.RECRUIT, LocalDate.of(2011, 1, 1),
                        LocalDate.of(2011, 12, 31), String.format("%s-2011-%03d", u.getJurisdiction(), i + 1));
                for (int k = 0; k < n; k++, seq++) {
                    String id = BianzhiTest.idnum(String.format("%s%04d%02d%02d%03d", u.getJurisdiction(), 1960 + seq % 35,
                            1 + seq % 12, 1 + seq % 28, seq % 1000));
                    Person p = t.registerPerson(id, "王李张刘陈杨赵黄周吴".charAt(seq % 10) + "伟芳娜敏静丽强磊军洋".substring(seq / 10 % 10, seq / 10 % 10 + 1), null, null);
                    t.enter(p.getUuid(), u.getUuid(), cat, s.getUuid(), EntryKind.RECRUIT, LocalDate.of(2011, 3, 1));
                }
                t.commit();
            }
        }
        people = seq;
        over = units.get(18); // 武都区人民医院, cut below its staff
        try (Transaction t = ledger.begin("李明", "武都区编办")) {
            t.setDocument(doc);
            long staff = ledger.basicTable(over.getUuid(), DAY).getRows().get(0).getStaff();
            t.setEstablishment(over.getUuid(), "SY", staff - 2, LocalDate.of(2017, 1, 1));
            t.commit();
        }
    }

    @AfterClass
    public static void close() {
        ledger.close();
        for (File f : dir.toFile().listFiles())
            f.delete();
        dir.toFile().delete();
    }

    private static int col(Sheet s, String header) {
        int c = s.getHeaders().indexOf(header);
        assertTrue("no column " + header, c >= 0);
        return c;
    }

    @Test
    public void table1AgainstTheGetters() {
        assertEquals(1000, people);
        try (Sheet s = ledger.sheetTable1("621200", DAY)) {
            assertEquals("机构编制基本情况表 (表1)", s.getTitle());
            assertEquals(Arrays.asList("行政区划", "单位名称", "单位性质", "规格"), s.getHeaders().subList(0, 4));
            assertEquals(ColumnKind.INTEGER, s.getKinds().get(col(s, "编制数")));
            List<String> order = new ArrayList<>();
            for (List<Object> row : s.getRows()) {
                String name = (String) row.get(col(s, "单位名称"));
                Unit u = ledger.unitByName(name, null, DAY);
                if (order.isEmpty() || !order.get(order.size() - 1).equals(u.getUuid()))
                    order.add(u.getUuid());
                assertEquals(u.getNature().chinese(), row.get(col(s, "单位性质")));
                assertEquals(u.getRank().chinese(), row.get(col(s, "规格")));
                assertEquals(u.getFunding().chinese(), row.get(col(s, "经费形式")));
                BasicTable.Row r = ledger.basicTable(u.getUuid(), DAY).getRows().get(0);
                assertEquals(ledger.category(r.getCategory()).getName(), row.get(col(s, "编制类别")));
                assertEquals(Long.valueOf(r.getEstablishment()), row.get(col(s, "编制数")));
                assertEquals(Long.valueOf(r.getStaff()), row.get(col(s, "实有人员")));
                assertEquals(Long.valueOf(r.getOver()), row.get(col(s, "超编")));
            }
            List<String> recorded = new ArrayList<>();
            for (Unit u : units)
                recorded.add(u.getUuid());
            assertEquals(recorded, order); // 武都区 then 成县, each in the order recorded
        }
    }

    @Test
    public void table3AndTheCard() {
        try (Sheet s = ledger.sheetTable3(null, over.getUuid(), DAY)) {
            long staff = ledger.basicTable(over.getUuid(), DAY).getRows().get(0).getStaff();
            assertEquals(staff, s.rowCount());
            List<Object> first = s.getRows().get(0);
            assertEquals("武都区人民医院", first.get(col(s, "单位名称")));
            assertEquals(LocalDate.of(2011, 3, 1), first.get(col(s, "进入时间")));
            assertEquals("招聘", first.get(col(s, "进入形式")));
            String card = (String) first.get(col(s, "管理卡号"));
            try (Sheet c = ledger.sheetCard(card)) {
                assertEquals(1, c.rowCount());
                assertEquals(first.get(col(s, "姓名")), c.getRows().get(0).get(col(c, "姓名")));
            }
        }
        try (Sheet all = ledger.sheetTable3("621200", null, DAY)) {
            assertEquals(1000, all.rowCount());
        }
    }

    @Test
    public void otherTables() {
        try (Sheet lim = ledger.sheetLimits("621202", Branch.TOTAL, DAY);
             Sheet t2 = ledger.sheetTable2(null, over.getUuid(), LocalDate.of(2017, 1, 1), LocalDate.of(2017, 12, 31));
             Sheet ul = ledger.sheetUnitLedger(over.getUuid(), DAY);
             Sheet vac = ledger.sheetVacancies("621200", DAY)) {
            List<Object> now = lim.getRows().get(lim.rowCount() - 1);
            assertEquals("现状", now.get(col(lim, "摘要")));
            assertEquals(Long.valueOf(2300), now.get(col(lim, "限额")));
            assertEquals(1, t2.rowCount());
            assertEquals("核定编制", t2.getRows().get(0).get(col(t2, "事项")));
            List<Object> last = ul.getRows().get(ul.rowCount() - 1);
            assertEquals(Long.valueOf(ledger.establishment(over.getUuid(), "SY", DAY)), last.get(col(ul, "事业编制")));
            for (List<Object> row : vac.getRows())
                assertTrue((Long) row.get(col(vac, "空编")) > 0);
        }
    }

    @Test
    public void writtenAsCsvJsonXlsx() throws IOException {
        try (Sheet t1 = ledger.sheetTable1("621202", DAY); Sheet t3 = ledger.sheetTable3("621221", null, DAY)) {
            String csv = t1.text(Format.CSV);
            assertTrue(csv.startsWith("\uFEFF行政区划,单位名称,"));
            assertTrue(csv.contains("\r\n"));
            assertTrue(csv.contains(",\"武都区\"\"两新\"\"组织服务中心,党群服务站\","));
            Path p = dir.resolve("表1.csv");
            t1.write(p.toString(), Format.CSV);
            assertEquals(csv, new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
            String json = t1.text(Format.JSON);
            assertTrue(json.startsWith("[\n{\"title\":\"机构编制基本情况表 (表1)\""));
            Path x = dir.resolve("报表.xlsx");
            ledger.writeReports(Arrays.asList(t1, t3), x.toString(), Format.XLSX);
            byte[] head = Arrays.copyOf(Files.readAllBytes(x), 4);
            assertArrayEquals(new byte[] {'P', 'K', 3, 4}, head);
            try {
                Sheet.write(Arrays.asList(t1, t3), dir.resolve("two.csv").toString(), Format.CSV);
                fail("two sheets in one CSV");
            } catch (InvalidArgumentException e) {
                assertTrue(e.getMessage().contains("CSV"));
            }
            String missing = dir.resolve("no/such/t1.json").toString();
            try {
                t1.write(missing, Format.JSON);
                fail("written into a missing directory");
            } catch (LedgerIOException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(missing));
                assertTrue(e.getMessage(), e.getMessage().contains("No such file or directory"));
            }
        }
    }

    @Test
    public void orgChart() throws IOException {
        Path svg = dir.resolve("org.svg");
        ledger.orgChart(svg.toString(), "621200", DAY, ChartFormat.SVG);
        String text = new String(Files.readAllBytes(svg), StandardCharsets.UTF_8);
        assertTrue(text.contains("<svg") && text.contains("武都区人民医院"));
        Path dot = dir.resolve("org.dot");
        ledger.orgChart(dot.toString(), "621202", DAY, ChartFormat.DOT);
        String d = new String(Files.readAllBytes(dot), StandardCharsets.UTF_8);
        assertTrue(d.contains("超编 2\", color=red"));
        try {
            ledger.orgChart(dot.toString(), "621202", DAY, null);
            fail("no format");
        } catch (InvalidArgumentException e) {
            // expected
        }
    }

    @Test
    public void errors() {
        try {
            ledger.sheetTable1("629999", DAY);
            fail("unknown jurisdiction");
        } catch (NotFoundException e) {
            assertTrue(e.getMessage().length() > 0);
        }
        try {
            ledger.sheetLimits("621202", null, DAY);
            fail("no branch");
        } catch (InvalidArgumentException e) {
            // expected
        }
        try {
            ledger.sheetCard("621202-999999");
            fail("unknown card");
        } catch (NotFoundException e) {
            // expected
        }
        Sheet s = ledger.sheetVacancies("621221", DAY);
        s.close();
        s.close();
        try {
            s.getRows();
            fail("a closed sheet read");
        } catch (MisuseException e) {
            // expected
        }
    }
}
