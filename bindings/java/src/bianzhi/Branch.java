package bianzhi;

/** Branch of the establishment ledger: 分账1 administrative, 分账2 institution; TOTAL for queries. */
public enum Branch {
    /** 总账, the sum (queries only) */
    TOTAL(capiConstants.BZ_BRANCH_TOTAL),
    /** 分账1 */
    ADMINISTRATIVE(capiConstants.BZ_BRANCH_ADMINISTRATIVE),
    /** 分账2 */
    INSTITUTION(capiConstants.BZ_BRANCH_INSTITUTION);

    private final int code;

    Branch(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static Branch of(int code) {
        for (Branch x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
