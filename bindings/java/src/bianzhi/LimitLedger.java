package bianzhi;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;

/** The limit ledger (限额台账) of a jurisdiction at a date, copied out of the ledger. */
public final class LimitLedger {
    /** The figures of one branch; limit and unallocated are null when no limit is recorded. */
    public static final class Figures {
        private final Long limit, unallocated;
        private final long allocated, staff, reserved, vacant;

        Figures(long lg, int b) {
            long l = capi.bz_limit_ledger_limit(lg, b);
            limit = l == -1 ? null : l;
            long u = capi.bz_limit_ledger_unallocated(lg, b);
            unallocated = limit == null ? null : u;
            allocated = capi.bz_limit_ledger_allocated(lg, b);
            staff = capi.bz_limit_ledger_staff(lg, b);
            reserved = capi.bz_limit_ledger_reserved(lg, b);
            vacant = capi.bz_limit_ledger_vacant(lg, b);
        }

        /** The limit, or null. */
        public Long getLimit() { return limit; }
        /** Σ establishment of the units. */
        public long getAllocated() { return allocated; }
        /** limit − allocated, or null. */
        public Long getUnallocated() { return unallocated; }
        /** People in post. */
        public long getStaff() { return staff; }
        /** Posts reserved by usage slips. */
        public long getReserved() { return reserved; }
        /** allocated − staff − reserved (空编). */
        public long getVacant() { return vacant; }
    }

    private final String jurisdiction;
    private final LocalDate asOf;
    private final Map<Branch, Figures> figures = new EnumMap<>(Branch.class);

    private LimitLedger(long lg) {
        jurisdiction = capi.bz_limit_ledger_jurisdiction(lg);
        asOf = Values.date(capi.bz_limit_ledger_as_of(lg));
        for (Branch b : Branch.values())
            figures.put(b, new Figures(lg, b.code()));
    }

    /** Copy the C object and free it. */
    static LimitLedger take(long lg) {
        try {
            return new LimitLedger(lg);
        } finally {
            capi.bz_limit_ledger_free(lg);
        }
    }

    /** Division code. */
    public String getJurisdiction() { return jurisdiction; }
    /** The ledger's date. */
    public LocalDate getAsOf() { return asOf; }
    /** The figures of a branch (TOTAL: the sum). */
    public Figures get(Branch b) { return figures.get(b); }
}
