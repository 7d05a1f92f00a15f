package bianzhi;

/** The ledger was written by a newer library (BZ_ESCHEMA). */
public class SchemaTooNewException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public SchemaTooNewException(String message) {
        super(capiConstants.BZ_ESCHEMA, message);
    }
}
