package calm.eval.report;

/**
 * An evaluation task.
 *
 * @param name the label used in tables and charts, unique in a report, e.g.
 *     {@code "KV-Arithmetic"}
 * @param split the data split scored, e.g. {@code "test"}
 * @param examples how many examples were scored
 * @param metric the task's headline metric, the one tables and charts show, e.g.
 *     {@code "accuracy"} or {@code "chrF"}
 */
public record TaskInfo(String name, String split, int examples, String metric) {

    /** Validates names and that at least one example was scored. */
    public TaskInfo {
        FieldChecks.text("name", name);
        FieldChecks.text("split", split);
        if (examples < 1) {
            throw new InvalidFieldException("examples", "must be >= 1, got " + examples);
        }
        FieldChecks.text("metric", metric);
    }
}
