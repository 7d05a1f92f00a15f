package bianzhi;

/** An invalid argument: null where a value is required, a malformed date, ID number, code (BZ_EINVAL). */
public class InvalidArgumentException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public InvalidArgumentException(String message) {
        super(capiConstants.BZ_EINVAL, message);
    }
}
