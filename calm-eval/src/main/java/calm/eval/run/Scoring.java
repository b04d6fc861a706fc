package calm.eval.run;

import calm.eval.report.Comparison;
import calm.eval.report.McNemarTest;
import calm.eval.report.MetricsLog;
import calm.eval.report.Results;
import calm.eval.report.RunMetadata;
import calm.eval.report.Score;
import calm.eval.report.SystemInfo;
import calm.eval.report.TableSpec;
import calm.eval.report.TaskInfo;
import calm.eval.report.TaskResult;
import calm.eval.report.TrainingCurve;
import calm.eval.stats.Bootstrap;
import calm.eval.stats.McNemar;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns outputs into a report's results: each system's score on each metric of each task it answers
 * with its bootstrap interval, and the reference systems (CALM) compared with every other system on
 * the same examples on the task's headline metric, by the paired bootstrap and, for a pass/fail
 * metric, by McNemar's exact test. Training curves come from each system's
 * metrics log.
 */
public final class Scoring {

    private Scoring() {}

    /**
     * @param outputs by task name, then by system name; a system that does not answer a task has
     *     no entry there
     * @param references the systems compared with every other system that answers the same task,
     *     where they answer it (none present: no comparisons)
     * @param compared whether a system other than the references is compared with them
     * @param tables the tables the report renders
     */
    public static Results results(RunMetadata run, Bootstrap bootstrap, List<EvalSystem> systems, List<EvalTask> tasks,
            Map<String, Map<String, TaskOutputs>> outputs, List<String> references, Predicate<String> compared,
            List<TableSpec> tables) throws IOException {
        List<SystemInfo> systemInfos = systems.stream().map(system -> new SystemInfo(system.name(), system.role(),
                system.totalParameters(), system.trainableParameters(), system.formula())).toList();
        List<TaskInfo> taskInfos = new ArrayList<>();
        List<TaskResult> scores = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        List<McNemarTest> mcnemar = new ArrayList<>();
        for (EvalTask task : tasks) {
            Map<String, TaskOutputs> byTask = outputs.get(task.name());
            int examples = byTask.values().iterator().next().examples().size();
            taskInfos.add(new TaskInfo(task.name(), task.split(), examples, task.metric()));
            for (EvalSystem system : systems) {
                if (byTask.containsKey(system.name())) {
                    Map<String, Score> byMetric = new LinkedHashMap<>();
                    for (TaskMetric metric : task.metrics()) {
                        byMetric.put(metric.name(), Score.of(bootstrap.interval(byTask.get(system.name()).score(metric)),
                                metric.scale()));
                    }
                    scores.add(new TaskResult(task.name(), system.name(), byMetric));
                }
            }
            TaskMetric headline = task.headline();
            for (String reference : references) {
                if (!byTask.containsKey(reference)) {
                    continue;
                }
                TaskOutputs referenceOutputs = byTask.get(reference);
                for (EvalSystem system : systems) {
                    if (references.contains(system.name()) || !compared.test(system.name())
                            || !byTask.containsKey(system.name())) {
                        continue;
                    }
                    TaskOutputs other = byTask.get(system.name());
                    comparisons.add(Comparison.of(reference, system.name(), task.name(), task.metric(),
                            bootstrap.compare(referenceOutputs.score(headline), other.score(headline)), headline.scale()));
                    if (headline.binary()) {
                        mcnemar.add(McNemarTest.of(reference, system.name(), task.name(), task.metric(),
                                McNemar.exact(referenceOutputs.outcomes(), other.outcomes())));
                    }
                }
            }
        }
        Map<String, TrainingCurve> curves = new LinkedHashMap<>();
        for (EvalSystem system : systems) {
            List<Path> logs = system.metricsLogs().stream().filter(Files::isRegularFile).toList();
            if (!logs.isEmpty()) {
                curves.put(system.name(), MetricsLog.readStages(logs));
            }
        }
        return Results.of(run, bootstrap, systemInfos, taskInfos, scores, comparisons, mcnemar, curves, tables);
    }
}
