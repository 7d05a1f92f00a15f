package bianzhi;

/** The file is not a libbianzhi ledger (BZ_ENOTLEDGER). */
public class NotALedgerException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public NotALedgerException(String message) {
        super(capiConstants.BZ_ENOTLEDGER, message);
    }
}
