package bianzhi;

/** Level of an issuing body or a jurisdiction. */
public enum Level {
    /** 中央 */
    CENTRAL(capiConstants.BZ_LEVEL_CENTRAL),
    /** 省 */
    PROVINCE(capiConstants.BZ_LEVEL_PROVINCE),
    /** 市（州） */
    CITY(capiConstants.BZ_LEVEL_CITY),
    /** 县（区） */
    COUNTY(capiConstants.BZ_LEVEL_COUNTY);

    private final int code;

    Level(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static Level of(int code) {
        for (Level x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
