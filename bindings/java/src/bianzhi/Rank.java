package bianzhi;

/** Rank of a unit (规格); a later constant is a higher rank. */
public enum Rank {
    /** 未定级 */
    NONE(capiConstants.BZ_RANK_NONE),
    /** 副股 */
    FUGU(capiConstants.BZ_RANK_FUGU),
    /** 正股 */
    ZHENGGU(capiConstants.BZ_RANK_ZHENGGU),
    /** 副科 */
    FUKE(capiConstants.BZ_RANK_FUKE),
    /** 正科 */
    ZHENGKE(capiConstants.BZ_RANK_ZHENGKE),
    /** 副处 */
    FUCHU(capiConstants.BZ_RANK_FUCHU),
    /** 正处 */
    ZHENGCHU(capiConstants.BZ_RANK_ZHENGCHU),
    /** 副厅 */
    FUTING(capiConstants.BZ_RANK_FUTING),
    /** 正厅 */
    ZHENGTING(capiConstants.BZ_RANK_ZHENGTING),
    /** 副部 */
    FUBU(capiConstants.BZ_RANK_FUBU),
    /** 正部 */
    ZHENGBU(capiConstants.BZ_RANK_ZHENGBU);

    private final int code;

    Rank(int code) {
        this.code = code;
    }

    /** The C library's value. */
    public int code() {
        return code;
    }

    /** The constant for a C value; null if unknown. */
    public static Rank of(int code) {
        for (Rank x : values())
            if (x.code == code)
                return x;
        return null;
    }
}
