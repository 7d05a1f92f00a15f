package bianzhi;

/** The entity asked for does not exist (BZ_ENOTFOUND). */
public class NotFoundException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public NotFoundException(String message) {
        super(capiConstants.BZ_ENOTFOUND, message);
    }
}
