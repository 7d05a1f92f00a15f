package bianzhi;

import java.time.LocalDate;

/** An internal sub-unit (内设机构) as it stood at a date; copied. */
public final class Subunit {
    private final String uuid, unit, name;
    private final Rank rank;
    private final LocalDate founded, ended, asOf;

    private Subunit(long s) {
        uuid = capi.bz_subunit_uuid(s);
        unit = capi.bz_subunit_unit(s);
        name = capi.bz_subunit_name(s);
        rank = Rank.of(capi.bz_subunit_rank(s));
        founded = Values.date(capi.bz_subunit_founded(s));
        ended = Values.date(capi.bz_subunit_ended(s));
        asOf = Values.date(capi.bz_subunit_as_of(s));
    }

    /** Copy the C object and free it. */
    static Subunit take(long s) {
        try {
            return new Subunit(s);
        } finally {
            capi.bz_subunit_free(s);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** UUID of its unit. */
    public String getUnit() { return unit; }
    /** Name at the date. */
    public String getName() { return name; }
    /** Rank. */
    public Rank getRank() { return rank; }
    /** Creation date. */
    public LocalDate getFounded() { return founded; }
    /** Abolition date, or null. */
    public LocalDate getEnded() { return ended; }
    /** The snapshot's date. */
    public LocalDate getAsOf() { return asOf; }
}
