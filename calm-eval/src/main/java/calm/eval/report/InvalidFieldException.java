package calm.eval.report;

/**
 * A report record was given a value its field does not allow. The field is named relative to the
 * record that rejected it ({@code "low"}, {@code "results[3].system"}), so a reader of a
 * results file can prefix the path to the record.
 */
public final class InvalidFieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param field the offending field, relative to the record that checks it
     * @param problem what is wrong with the value, e.g. {@code "must be >= 0, got -3"}
     */
    public InvalidFieldException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** Returns the offending field, relative to the record that checks it. */
    public String field() {
        return field;
    }

    /** Returns what is wrong with the value, without the field's name. */
    public String problem() {
        return problem;
    }
}
