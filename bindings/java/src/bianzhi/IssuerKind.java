package bianzhi;

/** Kind of an issuing body; a BUSINESS document is never a basis (R6). */
public enum IssuerKind {
    /** 机构编制部门 */
    ESTABLISHMENT(capiConstants.BZ_ISSUER_ESTABLISHMENT),
    /** 党委 */
    PARTY(capiConstants.BZ_ISSUER_PARTY),
    /** 政府 */
    GOVERNMENT(capiConstants.BZ_ISSUER_GOVERNMENT),
    /** 业务主管部门 */
    BUSINESS(capiConstants.BZ_ISSUER_BUSINESS);

    private final int code;

    IssuerKind(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static IssuerKind of(int code) {
        for (IssuerKind x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
