package bianzhi;

/** Where a unit stands at a date. */
public enum UnitState {
    /** in being */
    ACTIVE(capiConstants.BZ_UNIT_ACTIVE),
    /** 撤销 */
    ABOLISHED(capiConstants.BZ_UNIT_ABOLISHED),
    /** 合并 into another unit */
    MERGED(capiConstants.BZ_UNIT_MERGED);

    private final int code;

    UnitState(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static UnitState of(int code) {
        for (UnitState x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
