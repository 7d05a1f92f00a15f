package bianzhi;

import java.util.Objects;

/**
 * One row of the library's rules table (R1 … R11, INTEGRITY): see
 * {@link Ledger#rules()}. A plain value.
 */
public final class RuleInfo {
    private final Rule rule;
    private final String code;
    private final String name;
    private final String seedClause;
    private final Severity severity;
    private final boolean exceptable;

    RuleInfo(Rule rule, String code, String name, String seedClause, Severity severity, boolean exceptable) {
        this.rule = rule;
        this.code = code;
        this.name = name;
        this.seedClause = seedClause;
        this.severity = severity;
        this.exceptable = exceptable;
    }

    /** The rule; null for a rule this binding does not know (newer library). */
    public Rule getRule() { return rule; }

    /** "R1" … "R11", "INTEGRITY". */
    public String getCode() { return code; }

    /** The rule's name: the Chinese term and an English gloss. */
    public String getName() { return name; }

    /** The clause of the seed document behind the rule. */
    public String getSeedClause() { return seedClause; }

    /** The rule's usual severity. */
    public Severity getSeverity() { return severity; }

    /** Whether a document may grant an exception to the rule ({@link Transaction#grantException}). */
    public boolean isExceptable() { return exceptable; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuleInfo))
            return false;
        RuleInfo r = (RuleInfo) o;
        return rule == r.rule && Objects.equals(code, r.code) && Objects.equals(name, r.name)
                && Objects.equals(seedClause, r.seedClause) && severity == r.severity && exceptable == r.exceptable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, code, name, seedClause, severity, exceptable);
    }

    @Override
    public String toString() {
        return "RuleInfo(" + code + ", " + name + ", " + severity + (exceptable ? ", exceptable)" : ")");
    }
}
