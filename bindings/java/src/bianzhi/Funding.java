package bianzhi;

/** Funding form of a unit (经费形式). */
public enum Funding {
    /** 全额拨款 */
    FULL(capiConstants.BZ_FUNDING_FULL),
    /** 差额补贴 */
    BALANCE(capiConstants.BZ_FUNDING_BALANCE),
    /** 自收自支 */
    SELF(capiConstants.BZ_FUNDING_SELF),
    /** 企业化管理 */
    ENTERPRISE(capiConstants.BZ_FUNDING_ENTERPRISE);

    private final int code;

    Funding(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static Funding of(int code) {
        for (Funding x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
