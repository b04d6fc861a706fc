package calm.translation;

import java.io.IOException;

/**
 * A corpus could not be fetched, verified or unpacked. The message names the source
 * ({@code name@version}), what went wrong and the command that fetches it by hand; nothing of the
 * failed attempt is left in the cache.
 */
public final class CorpusFetchException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient CorpusSource source;

    /**
     * @param source the source that failed
     * @param message the whole message, naming the source, the problem and the way to retry
     * @param cause the underlying failure, or null
     */
    public CorpusFetchException(CorpusSource source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    /** @return the source that could not be fetched */
    public CorpusSource source() {
        return source;
    }
}
