package bianzhi;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A change record (变更记录), copied out of the ledger. */
public final class Change {
    /** One changed attribute: name, value before and after (null when unset). */
    public static final class Attribute {
        private final String name, before, after;

        Attribute(String name, String before, String after) {
            this.name = name;
            this.before = before;
            this.after = after;
        }

        /** Attribute name. */
        public String getName() { return name; }
        /** Value before, or null. */
        public String getBefore() { return before; }
        /** Value after, or null. */
        public String getAfter() { return after; }
    }

    private final long seq;
    private final String kind, subject, unit, document, documentNumber, recordedBy, office, note;
    private final LocalDate effective;
    private final LocalDateTime recordedAt;
    private final List<Attribute> attributes;

    private Change(long c) {
        seq = capi.bz_change_seq(c);
        kind = capi.bz_change_kind(c);
        subject = capi.bz_change_subject(c);
        unit = capi.bz_change_unit(c);
        effective = Values.date(capi.bz_change_effective(c));
        document = capi.bz_change_document(c);
        documentNumber = capi.bz_change_document_number(c);
        recordedAt = Values.stamp(capi.bz_change_recorded_at(c));
        recordedBy = capi.bz_change_recorded_by(c);
        office = capi.bz_change_office(c);
        note = capi.bz_change_note(c);
        List<Attribute> a = new ArrayList<>();
        long n = capi.bz_change_attr_count(c);
        for (long i = 0; i < n; i++)
            a.add(new Attribute(capi.bz_change_attr_name(c, i), capi.bz_change_attr_before(c, i),
                    capi.bz_change_attr_after(c, i)));
        attributes = Collections.unmodifiableList(a);
    }

    /** Copy the C object and free it. */
    static Change take(long c) {
        try {
            return new Change(c);
        } finally {
            capi.bz_change_free(c);
        }
    }

    /** Sequence number: the order of recording. */
    public long getSeq() { return seq; }
    /** Kind, e.g. "unit.rename". */
    public String getKind() { return kind; }
    /** UUID of the subject. */
    public String getSubject() { return subject; }
    /** UUID of the unit whose Table 2 it belongs to, or null. */
    public String getUnit() { return unit; }
    /** Effective date. */
    public LocalDate getEffective() { return effective; }
    /** Document UUID, or null. */
    public String getDocument() { return document; }
    /** Document number (文号), or null. */
    public String getDocumentNumber() { return documentNumber; }
    /** When it was recorded. */
    public LocalDateTime getRecordedAt() { return recordedAt; }
    /** By whom. */
    public String getRecordedBy() { return recordedBy; }
    /** In which office. */
    public String getOffice() { return office; }
    /** Free text, or null. */
    public String getNote() { return note; }
    /** The attributes changed. */
    public List<Attribute> getAttributes() { return attributes; }
}
