package bianzhi;

import java.util.List;
import java.util.stream.Collectors;

/** The rules refused a commit (BZ_ECONSTRAINT); nothing was written. */
public class ConstraintViolationException extends BianzhiException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    /** With every violation found. */
    public ConstraintViolationException(List<Violation> violations) {
        super(capiConstants.BZ_ECONSTRAINT, Values.report("commit refused", violations));
        this.violations = violations;
    }

    /** Every violation found (errors and warnings). */
    public List<Violation> getViolations() {
        return violations;
    }

    /** The error-severity ones. */
    public List<Violation> getErrors() {
        return violations.stream().filter(v -> v.getSeverity() == Severity.ERROR).collect(Collectors.toList());
    }
}
