package bianzhi;

/** An establishment category (编制类别), copied out of the ledger. */
public final class Category {
    private final String code, name;
    private final Branch branch;
    private final int natures;

    private Category(long c) {
        code = capi.bz_category_code(c);
        name = capi.bz_category_name(c);
        branch = Branch.of(capi.bz_category_branch(c));
        natures = capi.bz_category_natures(c);
    }

    /** Copy the C object and free it. */
    static Category take(long c) {
        try {
            return new Category(c);
        } finally {
            capi.bz_category_free(c);
        }
    }

    /** Code, e.g. "XZ". */
    public String getCode() { return code; }
    /** Name, e.g. 行政编制. */
    public String getName() { return name; }
    /** Branch. */
    public Branch getBranch() { return branch; }
    /** OR of Nature codes naming the units that may use it. */
    public int getNatures() { return natures; }
    /** Whether units of that nature may use it. */
    public boolean allows(Nature n) { return (natures & n.code()) != 0; }
}
