package bianzhi;

/**
 * An import (Transaction.importUnits / importPeople) refused rows: nothing of the file was written.
 * getResult() is the import's outcome with every refused row (line, column, message).
 */
public class ImportRefusedException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Import result;

    /** With the library's message and the outcome. */
    public ImportRefusedException(String message, Import result) {
        super(message);
        this.result = result;
    }

    /** The outcome: the counts and every refused row (getProblems()). */
    public Import getResult() {
        return result;
    }
}
