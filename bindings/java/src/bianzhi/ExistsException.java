package bianzhi;

/** An entity with that unique key already exists, or a name is ambiguous (BZ_EEXISTS). */
public class ExistsException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public ExistsException(String message) {
        super(capiConstants.BZ_EEXISTS, message);
    }
}
