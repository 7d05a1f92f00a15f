package bianzhi;

import java.time.LocalDate;

/**
 * What a new unit is established with (a builder). Required: name, nature,
 * jurisdiction, founded. Defaults: funding FULL, rank NONE, not 参公, no
 * parent, no credit code, no duties. Pass to
 * {@link Transaction#establishUnit(UnitSpec)} or {@link Transaction#splitUnit}.
 */
public final class UnitSpec {
    String name, jurisdiction, parent, creditCode, duties;
    Nature nature;
    Funding funding = Funding.FULL;
    Rank rank = Rank.NONE;
    boolean canzong;
    LocalDate founded;

    /** An empty spec. */
    public UnitSpec() {}

    /** Name. */
    public UnitSpec name(String v) { name = v; return this; }
    /** Nature (单位性质). */
    public UnitSpec nature(Nature v) { nature = v; return this; }
    /** 6-digit division code of its jurisdiction. */
    public UnitSpec jurisdiction(String v) { jurisdiction = v; return this; }
    /** Founding date (成立). */
    public UnitSpec founded(LocalDate v) { founded = v; return this; }
    /** Funding form. */
    public UnitSpec funding(Funding v) { funding = v; return this; }
    /** Rank (规格). */
    public UnitSpec rank(Rank v) { rank = v; return this; }
    /** Managed like the civil service (参公). */
    public UnitSpec canzong(boolean v) { canzong = v; return this; }
    /** Supervising unit's UUID, or null. */
    public UnitSpec parent(String v) { parent = v; return this; }
    /** Unified social credit code, or null. */
    public UnitSpec creditCode(String v) { creditCode = v; return this; }
    /** Main duties (主要职责). */
    public UnitSpec duties(String v) { duties = v; return this; }

    /** A setter's status; a refusal names the field and the value (the spec has no ledger to explain it). */
    private static void field(int rc, String field, Object value) {
        if (rc < 0)
            throw BianzhiException.of(rc, "unit spec: bad value " + (value instanceof String ? "'" + value + "'" : value)
                    + " for " + field + " (" + capi.bz_strerror(rc) + ")");
    }

    /** A C spec (caller frees with bz_unit_spec_free). */
    long toNative() {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unit_spec_new(out), null);
        long s = out[0];
        try {
            field(capi.bz_unit_spec_set_name(s, name), "name", name);
            field(capi.bz_unit_spec_set_nature(s, nature == null ? 0 : nature.code()), "nature", nature);
            field(capi.bz_unit_spec_set_jurisdiction(s, jurisdiction), "jurisdiction", jurisdiction);
            field(capi.bz_unit_spec_set_founded(s, Values.date(founded)), "founded", founded);
            field(capi.bz_unit_spec_set_funding(s, funding == null ? 0 : funding.code()), "funding", funding);
            field(capi.bz_unit_spec_set_rank(s, rank == null ? -1 : rank.code()), "rank", rank);
            field(capi.bz_unit_spec_set_canzong(s, canzong ? 1 : 0), "canzong", canzong);
            field(capi.bz_unit_spec_set_parent(s, parent), "parent", parent);
            field(capi.bz_unit_spec_set_credit_code(s, creditCode), "creditCode", creditCode);
            field(capi.bz_unit_spec_set_duties(s, duties), "duties", duties);
        } catch (RuntimeException e) {
            capi.bz_unit_spec_free(s);
            throw e;
        }
        return s;
    }
}
