package calm.code;

import java.io.IOException;

/**
 * A library's sources jar could not be fetched or verified. The message names the library, what
 * went wrong and how to fetch it by hand; nothing of the failed attempt is left in the cache.
 */
public final class LibraryFetchException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole message, naming the library, the problem and the way to retry
     * @param cause the underlying failure, or null
     */
    public LibraryFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
