package bianzhi;

/** Out of memory (BZ_ENOMEM): the call changed nothing; the ledger stays usable. */
public class NoMemoryException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public NoMemoryException(String message) {
        super(capiConstants.BZ_ENOMEM, message);
    }
}
