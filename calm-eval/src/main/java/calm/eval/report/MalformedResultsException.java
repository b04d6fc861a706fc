package calm.eval.report;

import java.io.IOException;
import java.nio.file.Path;

/** A results file that is not valid JSON or does not follow docs/results-schema.md. */
public final class MalformedResultsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String field;

    /**
     * Creates the exception.
     *
     * @param file the file read
     * @param field the offending field as a path from the top, e.g.
     *     {@code "results[2].metrics.accuracy.low"}; empty when the file as a whole is wrong
     * @param problem what is wrong
     * @param cause the underlying error, or null
     */
    public MalformedResultsException(Path file, String field, String problem, Throwable cause) {
        super(file + ": " + (field.isEmpty() ? "" : "field " + field + ": ") + problem, cause);
        this.file = file;
        this.field = field;
    }

    /** Returns the file read. */
    public Path file() {
        return file;
    }

    /** Returns the offending field's path from the top, empty when the whole file is wrong. */
    public String field() {
        return field;
    }
}
