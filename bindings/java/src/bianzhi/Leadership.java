package bianzhi;

import java.time.LocalDate;

/** The leadership quota (领导职数) of a unit or sub-unit at a date, with leaders in post; copied. */
public final class Leadership {
    private final String subject;
    private final LocalDate asOf;
    private final int principalQuota, deputyQuota, principals, deputies;
    private final Rank level;

    private Leadership(long q) {
        subject = capi.bz_leadership_subject(q);
        asOf = Values.date(capi.bz_leadership_as_of(q));
        principalQuota = capi.bz_leadership_principal_quota(q);
        deputyQuota = capi.bz_leadership_deputy_quota(q);
        level = Rank.of(capi.bz_leadership_level(q));
        principals = capi.bz_leadership_principals(q);
        deputies = capi.bz_leadership_deputies(q);
    }

    /** Copy the C object and free it. */
    static Leadership take(long q) {
        try {
            return new Leadership(q);
        } finally {
            capi.bz_leadership_free(q);
        }
    }

    /** UUID of the unit or sub-unit. */
    public String getSubject() { return subject; }
    /** The date. */
    public LocalDate getAsOf() { return asOf; }
    /** Principal (正职) posts. */
    public int getPrincipalQuota() { return principalQuota; }
    /** Deputy (副职) posts. */
    public int getDeputyQuota() { return deputyQuota; }
    /** Rank level of the principal post. */
    public Rank getLevel() { return level; }
    /** Principals in post. */
    public int getPrincipals() { return principals; }
    /** Deputies in post. */
    public int getDeputies() { return deputies; }
}
