package bianzhi;

import java.time.LocalDate;

/** A unit (单位) as it stood at a date ({@link #getAsOf()}), copied out of the ledger. */
public final class Unit {
    private final String uuid, name, parent, jurisdiction, creditCode, duties, mergedInto;
    private final Nature nature;
    private final Funding funding;
    private final Rank rank;
    private final boolean canzong;
    private final LocalDate founded, ended, asOf;
    private final UnitState status;

    private Unit(long u) {
        uuid = capi.bz_unit_uuid(u);
        name = capi.bz_unit_name(u);
        nature = Nature.of(capi.bz_unit_nature(u));
        funding = Funding.of(capi.bz_unit_funding(u));
        rank = Rank.of(capi.bz_unit_rank(u));
        canzong = capi.bz_unit_canzong(u) != 0;
        parent = capi.bz_unit_parent(u);
        jurisdiction = capi.bz_unit_jurisdiction(u);
        creditCode = capi.bz_unit_credit_code(u);
        duties = capi.bz_unit_duties(u);
        founded = Values.date(capi.bz_unit_founded(u));
        ended = Values.date(capi.bz_unit_ended(u));
        status = UnitState.of(capi.bz_unit_status(u));
        mergedInto = capi.bz_unit_merged_into(u);
        asOf = Values.date(capi.bz_unit_as_of(u));
    }

    /** Copy the C object and free it (null handle: null). */
    static Unit take(long u) {
        if (u == 0)
            return null;
        try {
            return new Unit(u);
        } finally {
            capi.bz_unit_free(u);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** Name at the snapshot date. */
    public String getName() { return name; }
    /** Nature. */
    public Nature getNature() { return nature; }
    /** Funding form. */
    public Funding getFunding() { return funding; }
    /** Rank. */
    public Rank getRank() { return rank; }
    /** Managed like the civil service (参公). */
    public boolean isCanzong() { return canzong; }
    /** Supervising unit's UUID, or null. */
    public String getParent() { return parent; }
    /** Division code of its jurisdiction. */
    public String getJurisdiction() { return jurisdiction; }
    /** Unified social credit code, or null. */
    public String getCreditCode() { return creditCode; }
    /** Main duties, or null. */
    public String getDuties() { return duties; }
    /** Founding date. */
    public LocalDate getFounded() { return founded; }
    /** Date it ceased, or null. */
    public LocalDate getEnded() { return ended; }
    /** State at the snapshot date. */
    public UnitState getStatus() { return status; }
    /** UUID of the unit it was merged into, or null. */
    public String getMergedInto() { return mergedInto; }
    /** The snapshot's date. */
    public LocalDate getAsOf() { return asOf; }

    @Override
    public String toString() { return name + " (" + uuid + ")"; }
}
