package bianzhi;

/**
 * Base of every exception of libbianzhi: a negative status of the C library.
 * {@link #getCode()} is the C status (BZ_E…); the subclasses name each kind.
 */
public class BianzhiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    /** An exception for status code with a message. */
    public BianzhiException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The C status code (a negative BZ_E… value). */
    public int getCode() {
        return code;
    }

    /** The exception class for a status code. */
    static BianzhiException of(int code, String message) {
        switch (code) {
        case capiConstants.BZ_EINVAL: return new InvalidArgumentException(message);
        case capiConstants.BZ_ENOTFOUND: return new NotFoundException(message);
        case capiConstants.BZ_EEXISTS: return new ExistsException(message);
        case capiConstants.BZ_EBUSY: return new BusyException(message);
        case capiConstants.BZ_EIO: return new LedgerIOException(message);
        case capiConstants.BZ_ENOMEM: return new NoMemoryException(message);
        case capiConstants.BZ_EMISUSE: return new MisuseException(message);
        case capiConstants.BZ_ENOTLEDGER: return new NotALedgerException(message);
        case capiConstants.BZ_ESCHEMA: return new SchemaTooNewException(message);
        case capiConstants.BZ_ECORRUPT: return new CorruptException(message);
        default: return new BianzhiException(code, message);
        }
    }

    /** Throw for a negative status (message from the ledger if still open); return rc otherwise. */
    static int check(int rc, Ledger.State ledger) {
        if (rc >= 0)
            return rc;
        String msg = null;
        if (ledger != null && ledger.ptr != 0)
            msg = capi.bz_ledger_errmsg(ledger.ptr);
        if (msg == null || msg.equals("not an error"))
            msg = capi.bz_strerror(rc);
        throw of(rc, msg);
    }
}
