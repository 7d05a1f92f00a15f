package bianzhi;

import java.time.LocalDate;

/** A usage slip (用编通知单), copied out of the ledger. */
public final class Slip {
    private final String uuid, number, unit, category;
    private final int posts, purpose, used, remaining, state;
    private final LocalDate issued, validUntil, cancelled;

    private Slip(long s) {
        uuid = capi.bz_slip_uuid(s);
        number = capi.bz_slip_number(s);
        unit = capi.bz_slip_unit(s);
        category = capi.bz_slip_category(s);
        posts = capi.bz_slip_posts(s);
        purpose = capi.bz_slip_purpose(s);
        issued = Values.date(capi.bz_slip_issued(s));
        validUntil = Values.date(capi.bz_slip_valid_until(s));
        cancelled = Values.date(capi.bz_slip_cancelled(s));
        used = capi.bz_slip_used(s);
        remaining = capi.bz_slip_remaining(s);
        state = capi.bz_slip_state(s);
    }

    /** Copy the C object and free it. */
    static Slip take(long s) {
        try {
            return new Slip(s);
        } finally {
            capi.bz_slip_free(s);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** The slip's number. */
    public String getNumber() { return number; }
    /** UUID of the unit. */
    public String getUnit() { return unit; }
    /** Category code. */
    public String getCategory() { return category; }
    /** Posts issued for. */
    public int getPosts() { return posts; }
    /** Purpose (1 考录, 2 招聘, 3 调入, 4 军转安置, 9 其他). */
    public int getPurpose() { return purpose; }
    /** Issue date. */
    public LocalDate getIssued() { return issued; }
    /** Last day of validity. */
    public LocalDate getValidUntil() { return validUntil; }
    /** Cancellation date, or null. */
    public LocalDate getCancelled() { return cancelled; }
    /** Posts used. */
    public int getUsed() { return used; }
    /** Posts left. */
    public int getRemaining() { return remaining; }
    /** 1 live, 2 exhausted, 3 expired, 4 cancelled. */
    public int getState() { return state; }
}
