package bianzhi;

/** Severity of a violation: ERROR blocks the commit, WARNING does not. */
public enum Severity {
    /** reported, does not block */
    WARNING(capiConstants.BZ_SEVERITY_WARNING),
    /** blocks the commit */
    ERROR(capiConstants.BZ_SEVERITY_ERROR);

    private final int code;

    Severity(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static Severity of(int code) {
        for (Severity x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
