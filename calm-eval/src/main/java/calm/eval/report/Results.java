package calm.eval.report;

import calm.eval.stats.Bootstrap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything an evaluation report shows: the content of {@code results.json}
 * (docs/results-schema.md describes each field).
 *
 * <p>Besides each record's own checks, construction checks that the parts agree: names are unique,
 * and every result, comparison, curve and table names a listed task and system.
 *
 * @param schemaVersion the version of the file layout, {@link #SCHEMA_VERSION}
 * @param run where the numbers came from
 * @param bootstrap the resampling behind every interval: resamples, seed, coverage level
 * @param systems the systems scored, in the order tables and charts show them
 * @param tasks the tasks, in display order
 * @param results one entry per scored (task, system) pair
 * @param comparisons paired bootstrap comparisons; may be empty
 * @param mcnemar exact McNemar tests of pairs of systems on 0/1 metrics; may be empty
 * @param curves system name to training curve, for the systems that were trained; may be empty
 * @param tables the tables to render, in order
 * @param summaries tables of text the experiment computes from the scores, shown below the score
 *     tables; may be empty
 * @param charts bar charts of chosen systems by task, drawn below the summaries; may be empty
 * @param headline the sentences a report opens with: what the headline number is and how it
 *     was read (for the key-value experiment, which reading and how many seeds); may be empty
 * @param composedTasks the tasks the paper's claim is about (CALM beats each other system on the
 *     composed task), checked first in the reports against the comparisons; may be empty
 */
public record Results(int schemaVersion, RunMetadata run, Bootstrap bootstrap,
        List<SystemInfo> systems, List<TaskInfo> tasks, List<TaskResult> results,
        List<Comparison> comparisons, List<McNemarTest> mcnemar, Map<String, TrainingCurve> curves,
        List<TableSpec> tables, List<Summary> summaries, List<ChartSpec> charts, List<String> headline,
        List<String> composedTasks) {

    /** The layout this code writes and reads. */
    public static final int SCHEMA_VERSION = 5;

    /** Validates the parts and that they refer to each other consistently. */
    public Results {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new InvalidFieldException("schemaVersion",
                    "must be " + SCHEMA_VERSION + ", got " + schemaVersion);
        }
        if (run == null) {
            throw new InvalidFieldException("run", "must be an object, got null");
        }
        if (bootstrap == null) {
            throw new InvalidFieldException("bootstrap", "must be an object, got null");
        }
        systems = FieldChecks.list("systems", systems);
        tasks = FieldChecks.list("tasks", tasks);
        results = FieldChecks.list("results", results);
        comparisons = FieldChecks.list("comparisons", comparisons);
        mcnemar = FieldChecks.list("mcnemar", mcnemar);
        curves = FieldChecks.map("curves", curves);
        tables = FieldChecks.list("tables", tables);
        summaries = FieldChecks.list("summaries", summaries);
        unique("summaries", "id", summaries.stream().map(Summary::id).toList());
        charts = FieldChecks.list("charts", charts);
        headline = FieldChecks.list("headline", headline);
        composedTasks = FieldChecks.names("composedTasks", composedTasks);
        unique("charts", "id", charts.stream().map(ChartSpec::id).toList());

        Set<String> systemNames =
                unique("systems", "name", systems.stream().map(SystemInfo::name).toList());
        Set<String> taskNames =
                unique("tasks", "name", tasks.stream().map(TaskInfo::name).toList());
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
            TaskResult result = results.get(i);
            String field = "results[" + i + "]";
            known(field + ".task", result.task(), taskNames, "task");
            known(field + ".system", result.system(), systemNames, "system");
            if (!pairs.add(result.task() + "\n" + result.system())) {
                throw new InvalidFieldException(field, "repeats task \"" + result.task()
                        + "\" and system \"" + result.system() + "\"");
            }
        }
        for (int i = 0; i < comparisons.size(); i++) {
            Comparison comparison = comparisons.get(i);
            String field = "comparisons[" + i + "]";
            known(field + ".system", comparison.system(), systemNames, "system");
            known(field + ".baseline", comparison.baseline(), systemNames, "system");
            known(field + ".task", comparison.task(), taskNames, "task");
        }
        for (int i = 0; i < mcnemar.size(); i++) {
            McNemarTest test = mcnemar.get(i);
            String field = "mcnemar[" + i + "]";
            known(field + ".system", test.system(), systemNames, "system");
            known(field + ".baseline", test.baseline(), systemNames, "system");
            known(field + ".task", test.task(), taskNames, "task");
        }
        for (String system : curves.keySet()) {
            known("curves." + system, system, systemNames, "system");
        }
        unique("tables", "id", tables.stream().map(TableSpec::id).toList());
        for (int i = 0; i < tables.size(); i++) {
            TableSpec table = tables.get(i);
            boolean main = table.kind() == TableKind.MAIN;
            String field = "tables[" + i + "]";
            List<String> taskField = main ? table.rows() : table.columns();
            List<String> systemField = main ? table.columns() : table.rows();
            for (int j = 0; j < taskField.size(); j++) {
                known(field + (main ? ".rows[" : ".columns[") + j + "]", taskField.get(j),
                        taskNames, "task");
            }
            for (int j = 0; j < systemField.size(); j++) {
                known(field + (main ? ".columns[" : ".rows[") + j + "]", systemField.get(j),
                        systemNames, "system");
            }
        }
        for (int i = 0; i < composedTasks.size(); i++) {
            known("composedTasks[" + i + "]", composedTasks.get(i), taskNames, "task");
        }
        for (int i = 0; i < charts.size(); i++) {
            ChartSpec chart = charts.get(i);
            for (int j = 0; j < chart.tasks().size(); j++) {
                known("charts[" + i + "].tasks[" + j + "]", chart.tasks().get(j), taskNames, "task");
            }
            for (int j = 0; j < chart.systems().size(); j++) {
                known("charts[" + i + "].systems[" + j + "]", chart.systems().get(j), systemNames, "system");
            }
        }
    }

    /**
     * Assembles results in the current layout.
     *
     * @return the validated results, with {@code schemaVersion} {@link #SCHEMA_VERSION}
     */
    public static Results of(RunMetadata run, Bootstrap bootstrap, List<SystemInfo> systems,
            List<TaskInfo> tasks, List<TaskResult> results, List<Comparison> comparisons,
            List<McNemarTest> mcnemar, Map<String, TrainingCurve> curves, List<TableSpec> tables) {
        return new Results(SCHEMA_VERSION, run, bootstrap, systems, tasks, results, comparisons,
                mcnemar, curves, tables, List.of(), List.of(), List.of(), List.of());
    }

    /** @return the same results with these summaries */
    public Results withSummaries(List<Summary> more) {
        return new Results(schemaVersion, run, bootstrap, systems, tasks, results, comparisons, mcnemar, curves,
                tables, more, charts, headline, composedTasks);
    }

    /** @return the same results with these charts */
    public Results withCharts(List<ChartSpec> more) {
        return new Results(schemaVersion, run, bootstrap, systems, tasks, results, comparisons, mcnemar, curves,
                tables, summaries, more, headline, composedTasks);
    }

    /** @return the same results opening with these sentences */
    public Results withHeadline(List<String> sentences) {
        return new Results(schemaVersion, run, bootstrap, systems, tasks, results, comparisons, mcnemar, curves,
                tables, summaries, charts, sentences, composedTasks);
    }

    /** @return the same results with the paper's claim checked on these tasks */
    public Results withComposedTasks(List<String> composed) {
        return new Results(schemaVersion, run, bootstrap, systems, tasks, results, comparisons, mcnemar, curves,
                tables, summaries, charts, headline, composed);
    }

    /** Returns the task of that name. */
    public TaskInfo task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task named \"" + name + "\""));
    }

    /** Returns the system of that name. */
    public SystemInfo system(String name) {
        return systems.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no system named \"" + name + "\""));
    }

    /**
     * Looks up a score.
     *
     * @return the score of {@code system} on {@code task} for {@code metric}, if it was reported
     */
    public Optional<Score> score(String task, String system, String metric) {
        return results.stream()
                .filter(r -> r.task().equals(task) && r.system().equals(system))
                .map(r -> r.metrics().get(metric))
                .filter(s -> s != null)
                .findFirst();
    }

    /** Returns the headline score ({@link TaskInfo#metric()}) of a system on a task, if any. */
    public Optional<Score> headline(String task, String system) {
        return score(task, system, task(task).metric());
    }

    private static Set<String> unique(String list, String field, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw new InvalidFieldException(list + "[" + i + "]." + field,
                        "repeats the name \"" + names.get(i) + "\"");
            }
        }
        return seen;
    }

    private static void known(String field, String name, Set<String> names, String what) {
        if (!names.contains(name)) {
            throw new InvalidFieldException(field, "names an unknown " + what + " \"" + name
                    + "\"; known: " + names.stream().sorted().toList());
        }
    }
}
