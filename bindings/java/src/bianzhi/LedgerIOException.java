package bianzhi;

/** The ledger file could not be read or written, or is read-only (BZ_EIO). */
public class LedgerIOException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public LedgerIOException(String message) {
        super(capiConstants.BZ_EIO, message);
    }
}
