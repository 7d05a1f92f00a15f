package bianzhi;

import java.time.LocalDate;

/** One rule violation: the fields of the C violation record, copied. */
public final class Violation {
    private final int rule;
    private final String ruleId;
    private final Severity severity;
    private final String subject, subjectName, category, document, documentNumber, message;
    private final Long allowed, actual;
    private final LocalDate date;

    private Violation(long v) {
        rule = capi.bz_violation_rule(v);
        ruleId = capi.bz_violation_rule_id(v);
        severity = Severity.of(capi.bz_violation_severity(v));
        subject = capi.bz_violation_subject(v);
        subjectName = capi.bz_violation_subject_name(v);
        category = capi.bz_violation_category(v);
        allowed = Values.figure(capi.bz_violation_allowed(v));
        actual = Values.figure(capi.bz_violation_actual(v));
        document = capi.bz_violation_document(v);
        documentNumber = capi.bz_violation_document_number(v);
        date = Values.date(capi.bz_violation_date(v));
        message = capi.bz_violation_message(v);
    }

    /** Copy a borrowed C violation. */
    static Violation copy(long v) {
        return new Violation(v);
    }

    /** The rule number, 1 … 11 (R1 … R11). */
    public int getRule() { return rule; }
    /** The rule as text, "R1" … "R11". */
    public String getRuleId() { return ruleId; }
    /** ERROR or WARNING. */
    public Severity getSeverity() { return severity; }
    /** UUID of the subject at fault. */
    public String getSubject() { return subject; }
    /** Name of the subject. */
    public String getSubjectName() { return subjectName; }
    /** Category code, "branch:1", "principal"…, or null. */
    public String getCategory() { return category; }
    /** The allowed figure, or null. */
    public Long getAllowed() { return allowed; }
    /** The actual figure the change would leave, or null. */
    public Long getActual() { return actual; }
    /** UUID of the document of the offending change, or null. */
    public String getDocument() { return document; }
    /** Its number (文号), or null. */
    public String getDocumentNumber() { return documentNumber; }
    /** The date at which the rule is broken, or null. */
    public LocalDate getDate() { return date; }
    /** A sentence for people. */
    public String getMessage() { return message; }

    /** "[error] message". */
    @Override
    public String toString() {
        return "[" + (severity == Severity.ERROR ? "error" : "warning") + "] " + message;
    }

    /** Read every violation of a C report. */
    static java.util.List<Violation> all(long report) {
        java.util.List<Violation> out = new java.util.ArrayList<>();
        long n = capi.bz_report_count(report);
        for (long i = 0; i < n; i++)
            out.add(copy(capi.bz_report_get(report, i)));
        return java.util.Collections.unmodifiableList(out);
    }

    /** The printout of the C demo: per violation its rule, severity, message and key fields. */
    static String text(String head, java.util.List<Violation> vs) {
        StringBuilder b = new StringBuilder(head).append(": ").append(vs.size()).append(" violation(s)");
        for (Violation v : vs) {
            b.append("\n    [").append(v.ruleId).append(' ')
                    .append(v.severity == Severity.ERROR ? "error" : "warning").append("] ").append(v.message);
            b.append("\n        unit ").append(v.subjectName == null ? "-" : v.subjectName)
                    .append(", document ").append(v.documentNumber == null ? "-" : v.documentNumber)
                    .append(", date ").append(v.date == null ? "-" : v.date.toString());
            if (v.allowed != null)
                b.append(", allowed ").append(v.allowed).append(", actual ").append(v.actual == null ? "-" : v.actual);
        }
        return b.toString();
    }
}
