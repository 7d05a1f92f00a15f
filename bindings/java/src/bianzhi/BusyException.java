package bianzhi;

/** The ledger file is locked by another connection (BZ_EBUSY). */
public class BusyException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public BusyException(String message) {
        super(capiConstants.BZ_EBUSY, message);
    }
}
