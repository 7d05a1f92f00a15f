import bianzhi.*;

import java.nio.file.Files;
import java.time.LocalDate;

/**
 * The Longnan demo in Java: build a small Longnan ledger, print its units and
 * a Table 2, and show a refused change and an entry refused for want of a
 * valid 机构编制管理证 (R14).
 *
 * <pre>
 * javac -cp build/bindings/java/bianzhi.jar -d /tmp/ex examples/java/Longnan.java
 * java -Djava.library.path=build/bindings/java -cp build/bindings/java/bianzhi.jar:/tmp/ex Longnan
 * </pre>
 */
public class Longnan {
    public static void main(String[] args) throws Exception {
        String path = args.length > 0 ? args[0]
                : Files.createTempDirectory("longnan").resolve("longnan.ledger").toString();
        try (Ledger ledger = Ledger.open(path)) {
            ledger.setClock(LocalDate.of(2026, 12, 1));
            Document city;
            Unit edu;
            try (Transaction t = ledger.begin("张三", "陇南市编办")) {
                t.createJurisdiction("620000", "甘肃省", null);
                t.createJurisdiction("621200", "陇南市", "620000");
                t.createJurisdiction("621202", "武都区", "621200");
                t.createJurisdiction("621221", "成县", "621200");
                city = t.registerDocument("陇南市机构编制委员会", "陇编发〔2012〕31号", "关于武都区机构设置的批复",
                        LocalDate.of(2012, 3, 1), Level.CITY, IssuerKind.ESTABLISHMENT, "621200");
                t.setDocument(city);
                edu = t.establishUnit(new UnitSpec().name("武都区教育局").nature(Nature.ORGAN).rank(Rank.ZHENGKE)
                        .jurisdiction("621202").founded(LocalDate.of(2012, 3, 1)));
                t.commit();
            }
            try (Transaction t = ledger.begin("张三", "陇南市编办")) {
                t.setDocument(city);
                t.renameUnit(edu.getUuid(), "武都区教育和体育局", LocalDate.of(2019, 3, 1));
                t.commit();
            }
            System.out.println("== Units of 武都区 on " + ledger.getToday() + " ==");
            try (Cursor<Unit> units = ledger.units("621202", null)) {
                for (Unit u : units)
                    System.out.println("  " + u.getName() + ", founded " + u.getFounded());
            }
            System.out.println("\n== Table 2 (机构编制变更记录) ==");
            try (Cursor<Change> changes = ledger.changes(edu.getUuid())) {
                for (Change c : changes) {
                    System.out.printf("  %s  %-16s %s by %s (%s)%n", c.getEffective(), c.getKind(),
                            c.getDocumentNumber(), c.getRecordedBy(), c.getOffice());
                    for (Change.Attribute a : c.getAttributes())
                        System.out.printf("      %-12s %s -> %s%n", a.getName(), a.getBefore(), a.getAfter());
                }
            }
            System.out.println("\n== A refused change ==");
            boolean refused = false;
            try (Transaction t = ledger.begin("李四", "成县编办")) {
                Document own = t.registerDocument("成县机构编制委员会", "成编发〔2016〕3号", "关于设立成县教育督导中心的通知",
                        LocalDate.of(2016, 4, 11), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621221");
                t.setDocument(own);
                t.establishUnit(new UnitSpec().name("成县教育督导中心").nature(Nature.INSTITUTION).rank(Rank.FUKE)
                        .jurisdiction("621221").founded(LocalDate.of(2016, 4, 11)));
                t.commit();
            } catch (ConstraintViolationException e) {
                System.out.println(e.getMessage());
                for (Violation v : e.getViolations())
                    System.out.println("  rule " + v.getRuleId() + ", allowed " + v.getAllowed() + ", actual " + v.getActual());
                refused = true;
            }
            if (!refused) {
                System.err.println("the county document was accepted: R6 is not enforced");
                System.exit(1);
            }

            System.out.println("\n== 事业单位法人登记 (registration) ==");
            Unit station;
            Document wudu;
            try (Transaction t = ledger.begin("张三", "陇南市编办")) {
                wudu = t.registerDocument("武都区机构编制委员会", "武编发〔2024〕2号", "关于事业单位登记的批复",
                        LocalDate.of(2024, 1, 5), Level.COUNTY, IssuerKind.ESTABLISHMENT, "621202");
                t.setDocument(city);
                station = t.establishUnit(new UnitSpec().name("武都区农机推广站").nature(Nature.INSTITUTION)
                        .rank(Rank.FUGU).jurisdiction("621202").founded(LocalDate.of(2012, 3, 1)));
                t.setDocument(wudu);
                t.registerInstitution(station.getUuid(), LocalDate.of(2024, 1, 10), wudu.getUuid(), "武都区农机推广站",
                        "武都区城关镇", "杨林", "农业机械推广", 100000L, null, Funding.FULL, "12621202MA74C3P65G");
                t.certifyInstitution(station.getUuid(), CertKind.ISSUE, "事证第162120200009号", LocalDate.of(2024, 1, 10));
                t.commit();
            }
            Registration reg = ledger.registration(station.getUuid(), null);
            System.out.println("  " + reg.getName() + ": 证书 " + reg.getCertNumber() + " valid until " + reg.getCertValidUntil());
            boolean reportRefused = false;
            try (Transaction t = ledger.begin("张三", "陇南市编办")) {
                t.setDocument(wudu);
                t.fileAnnualReport(station.getUuid(), 2024, LocalDate.of(2025, 3, 20), 5, 0, 100000); // nobody in post
                t.commit();
            } catch (ConstraintViolationException e) {
                System.out.println(e.getMessage());
                reportRefused = true;
            }
            if (!reportRefused) {
                System.err.println("an annual report disagreeing with the ledger was accepted: R13 is not enforced");
                System.exit(1);
            }
            System.out.println("\n== The 机构编制管理证 (R14, seed §3) ==");
            Unitcert cert;
            Slip slip;
            Person li;
            try (Transaction t = ledger.begin("张三", "陇南市编办")) {
                t.setDocument(city);
                t.setEstablishment(edu.getUuid(), "XZ", 12, LocalDate.of(2012, 3, 1));
                cert = t.issueUnitcert(edu.getUuid(), LocalDate.of(2016, 5, 3), null);
                t.setRuleParam("unitcert.enforce", "error", LocalDate.of(2016, 6, 1)); // 必须持: refused from then on
                slip = t.issueSlip(edu.getUuid(), "XZ", 1, Purpose.EXAM, LocalDate.of(2024, 5, 1),
                        LocalDate.of(2024, 12, 31), null);
                li = t.registerPerson("621202199003010222", "李娜", null, null);
                t.voidUnitcert(cert.getUuid(), LocalDate.of(2020, 5, 20)); // lost: 作废, none issued since
                t.commit();
            }
            System.out.println("issued " + cert.getNumber() + ", valid " + cert.getIssued() + " to "
                    + cert.getValidUntil() + "; voided 2020-05-20");
            refused = false;
            try (Transaction t = ledger.begin("张三", "陇南市编办")) {
                t.setDocument(city);
                t.enter(li.getUuid(), edu.getUuid(), "XZ", slip.getUuid(), EntryKind.EXAM, LocalDate.of(2024, 6, 1));
                t.commit();
            } catch (ConstraintViolationException e) {
                for (Violation v : e.getErrors())
                    System.out.println("refused: " + v.getMessage());
                refused = e.getErrors().size() == 1 && e.getErrors().get(0).getRule() == Rule.R14;
            }
            if (!refused) {
                System.err.println("the entry was not refused by R14 alone");
                System.exit(1);
            }
        }
    }
}
