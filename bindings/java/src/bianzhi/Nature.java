package bianzhi;

/** Nature of a unit (单位性质). */
public enum Nature {
    /** 行政机关 */
    ORGAN(capiConstants.BZ_NATURE_ORGAN),
    /** 事业单位 */
    INSTITUTION(capiConstants.BZ_NATURE_INSTITUTION),
    /** 群众团体 */
    MASS(capiConstants.BZ_NATURE_MASS),
    /** 民主党派 */
    PARTY(capiConstants.BZ_NATURE_PARTY);

    private final int code;

    Nature(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static Nature of(int code) {
        for (Nature x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
