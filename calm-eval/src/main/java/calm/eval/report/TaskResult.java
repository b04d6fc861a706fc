package calm.eval.report;

import java.util.Map;

/**
 * One system's scores on one task.
 *
 * @param task a {@link TaskInfo#name()}
 * @param system a {@link SystemInfo#name()}
 * @param metrics metric name to score, in display order; holds at least the task's headline metric
 *     when the report is assembled by {@link Results}
 */
public record TaskResult(String task, String system, Map<String, Score> metrics) {

    /** Validates the names and that at least one metric is given. */
    public TaskResult {
        FieldChecks.text("task", task);
        FieldChecks.text("system", system);
        metrics = FieldChecks.map("metrics", metrics);
        if (metrics.isEmpty()) {
            throw new InvalidFieldException("metrics", "must hold at least one metric, got none");
        }
    }
}
