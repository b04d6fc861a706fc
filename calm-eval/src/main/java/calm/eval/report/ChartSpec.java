package calm.eval.report;

import java.util.List;

/**
 * A chart the report draws below the tables: the headline scores of a few systems, as bars grouped
 * by task, in the order given (for translation: chrF of m_B and CALM by language, sorted).
 *
 * @param id a short identifier, unique in a report
 * @param title the chart's title
 * @param tasks task names, in the order drawn; at least one
 * @param systems system names, one bar each per task; at least one
 */
public record ChartSpec(String id, String title, List<String> tasks, List<String> systems) {

    /** Validates the fields. */
    public ChartSpec {
        FieldChecks.text("id", id);
        FieldChecks.text("title", title);
        tasks = FieldChecks.names("tasks", tasks);
        systems = FieldChecks.names("systems", systems);
        if (tasks.isEmpty() || systems.isEmpty()) {
            throw new InvalidFieldException(tasks.isEmpty() ? "tasks" : "systems", "must name at least one entry, got none");
        }
    }
}
