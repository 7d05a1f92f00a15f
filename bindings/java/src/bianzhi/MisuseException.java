package bianzhi;

/** A call out of sequence: a closed ledger or handle, a second or finished transaction (BZ_EMISUSE). */
public class MisuseException extends BianzhiException {
    private static final long serialVersionUID = 1L;

    /** With the library's message. */
    public MisuseException(String message) {
        super(capiConstants.BZ_EMISUSE, message);
    }
}
