package bianzhi;

/** The ledger file is damaged (BZ_ECORRUPT). */
public class CorruptException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public CorruptException(String message) {
        super(capiConstants.BZ_ECORRUPT, message);
    }
}
