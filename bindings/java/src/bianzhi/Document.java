package bianzhi;

import java.time.LocalDate;

/** An approval document (文件依据), copied out of the ledger. */
public final class Document {
    private final String uuid, issuer, number, title, jurisdiction;
    private final LocalDate date;
    private final Level level;
    private final IssuerKind kind;

    private Document(long d) {
        uuid = capi.bz_document_uuid(d);
        issuer = capi.bz_document_issuer(d);
        number = capi.bz_document_number(d);
        title = capi.bz_document_title(d);
        date = Values.date(capi.bz_document_date(d));
        level = Level.of(capi.bz_document_level(d));
        kind = IssuerKind.of(capi.bz_document_kind(d));
        jurisdiction = capi.bz_document_jurisdiction(d);
    }

    /** Copy the C object and free it. */
    static Document take(long d) {
        try {
            return new Document(d);
        } finally {
            capi.bz_document_free(d);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** Issuing body (发文机关). */
    public String getIssuer() { return issuer; }
    /** Canonical number, e.g. 陇编发〔2012〕31号. */
    public String getNumber() { return number; }
    /** Title. */
    public String getTitle() { return title; }
    /** Date of the document. */
    public LocalDate getDate() { return date; }
    /** Level of the issuer. */
    public Level getLevel() { return level; }
    /** Kind of the issuer. */
    public IssuerKind getKind() { return kind; }
    /** Division code of the issuer's jurisdiction, or null. */
    public String getJurisdiction() { return jurisdiction; }

    @Override
    public String toString() { return issuer + " " + number; }
}
