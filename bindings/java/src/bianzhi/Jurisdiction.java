package bianzhi;

/** A jurisdiction (行政区划), copied out of the ledger. */
public final class Jurisdiction {
    private final String uuid, code, name, parent;
    private final Level level;

    private Jurisdiction(long j) {
        uuid = capi.bz_jurisdiction_uuid(j);
        code = capi.bz_jurisdiction_code(j);
        name = capi.bz_jurisdiction_name(j);
        parent = capi.bz_jurisdiction_parent(j);
        level = Level.of(capi.bz_jurisdiction_level(j));
    }

    /** Copy the C object and free it. */
    static Jurisdiction take(long j) {
        try {
            return new Jurisdiction(j);
        } finally {
            capi.bz_jurisdiction_free(j);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** 6-digit division code. */
    public String getCode() { return code; }
    /** Name. */
    public String getName() { return name; }
    /** Parent's code, null for a province. */
    public String getParent() { return parent; }
    /** Level. */
    public Level getLevel() { return level; }

    @Override
    public String toString() { return code + " " + name; }
}
