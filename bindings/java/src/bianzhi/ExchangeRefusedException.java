package bianzhi;

/**
 * An import of an exchange file (Ledger.importLedger) found conflicts with the ledger: nothing was written.
 * getResult() is the outcome with every conflict (record kind, identity, field, ours, theirs, line).
 */
public class ExchangeRefusedException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Exchange result;

    /** With the library's message and the outcome. */
    public ExchangeRefusedException(String message, Exchange result) {
        super(message);
        this.result = result;
    }

    /** The outcome: every conflict (getConflicts()). */
    public Exchange getResult() {
        return result;
    }
}
