package calm.io;

/**
 * A saved file that is not what was written: truncated, changed or missing since. It is a
 * failure at run time (the command and its config are right; the data on disk is not), so every
 * command exits 1 on it, and its message names the file and, where the folder says, how to make
 * it again.
 */
public final class DamagedFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message names the file and what is wrong with it */
    public DamagedFileException(String message) {
        super(message);
    }

    /**
     * @param message names the file and what is wrong with it
     * @param cause what the reader met
     */
    public DamagedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
