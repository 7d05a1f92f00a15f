package bianzhi;

import static org.junit.Assert.*;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Opening balances (建账) through the Java layer: staff loaded without slips at a cut-over date. */
public class OpeningTest {
    private static final LocalDate CUTOVER = LocalDate.of(2024, 12, 31);
    private Path dir;
    private Ledger ledger;
    private Document openDoc, businessDoc;

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bianzhi-opening");
        ledger = TestLedgers.open(dir.resolve("wudu.ledger").toString());
        ledger.setClock(LocalDate.of(2026, 12, 1));
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.createJurisdiction("620000", "甘肃省", null);
            t.createJurisdiction("621200", "陇南市", "620000");
            t.createJurisdiction("621202", "武都区", "621200");
            openDoc = t.registerDocument("武都区机构编制委员会", "武编发〔2024〕30号", "关于建立机构编制实名制管理台账的通知",
                    LocalDate.of(2024, 12, 20), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
            businessDoc = t.registerDocument("武都区教育局", "武教发〔2024〕3号", "通知", LocalDate.of(2024, 1, 10),
                    Level.COUNTY, IssuerKind.BUSINESS, "621202");
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

    private static String person(int i) {
        return BianzhiTest.idnum(String.format("621202%04d%02d%02d%03d", 1955 + i % 20, 1 + i % 12, 1 + i % 28, i));
    }

    private Unit bureau(Transaction t, String name) {
        return t.establishUnit(new UnitSpec().name(name).nature(Nature.ORGAN).rank(Rank.ZHENGKE)
                .jurisdiction("621202").founded(LocalDate.of(1987, 3, 1)));
    }

    @Test
    public void openingWithoutSlips() {
        Unit u;
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.setOpening(CUTOVER, openDoc);
            u = bureau(t, "武都区教育局");
            t.setEstablishment(u.getUuid(), "XZ", 12, LocalDate.of(1987, 3, 1));
            for (int i = 0; i < 10; i++) {
                Person p = t.registerPerson(person(i), "王" + "伟芳娜敏静强磊军刚丽".charAt(i), null, null);
                t.enter(p.getUuid(), u.getUuid(), "XZ", null, EntryKind.OTHER, LocalDate.of(2000 + i, 6, 1));
            }
            t.commit();
        }
        int n = 0;
        try (Cursor<Placement> c = ledger.roster(u.getUuid(), CUTOVER)) {
            for (Placement p : c) {
                assertNull(p.getSlip());
                assertEquals("武编发〔2024〕30号", p.getEntryDocument());
                n++;
            }
        }
        assertEquals(10, n);
        assertEquals(CUTOVER, ledger.openingCutover(openDoc.getUuid()));
        assertTrue(ledger.check(null).stream().noneMatch(v -> v.getSeverity() == Severity.ERROR));
    }

    @Test
    public void afterCutoverRefusedAndNothingWritten() {
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            t.setOpening(CUTOVER, openDoc);
            Unit u = bureau(t, "武都区司法局");
            try {
                t.setEstablishment(u.getUuid(), "XZ", 5, LocalDate.of(2025, 1, 2));
                fail("an entry after the cut-over was accepted");
            } catch (InvalidArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("cut-over"));
            }
            try {
                t.setDocument(businessDoc);
                fail("an opening took another document");
            } catch (MisuseException e) {
                // expected
            }
            t.rollback();
        }
        try {
            ledger.openingCutover(openDoc.getUuid());
            fail("a rolled-back opening was kept");
        } catch (NotFoundException e) {
            // expected
        }
    }

    @Test
    public void businessDocumentIsNoOpening() {
        try (Transaction t = ledger.begin("tester", "武都区编办")) {
            try {
                t.setOpening(CUTOVER, businessDoc);
                fail("a business department's document opened the ledger");
            } catch (InvalidArgumentException e) {
                // expected
            }
        }
    }
}
