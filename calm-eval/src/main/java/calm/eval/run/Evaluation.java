package calm.eval.run;

import ai.djl.ndarray.NDManager;
import calm.eval.report.ReportFiles;
import calm.eval.report.Results;
import calm.eval.report.RunMetadata;
import calm.eval.stats.Bootstrap;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskExample;
import calm.io.Folders;
import calm.train.Provenance;
import calm.train.config.EvaluationConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.stop.StopRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Evaluates the saved systems of any experiment on its tasks ({@link ExperimentEvaluation}) and
 * writes the report folder {@code OUTPUT/report/}: {@code results.json}, {@code report.md},
 * {@code report.html} and {@code outputs/<system>/<task>.jsonl}, every output.
 */
public final class Evaluation {

    /** The report's folder under the experiment's output. */
    public static final String REPORT = "report";
    /** The outputs' folder in the report's. */
    public static final String OUTPUTS = "outputs";
    /** Where the outputs of an evaluation under way are written, in the report's folder. */
    private static final String OUTPUTS_WRITING = ".outputs-writing";

    private static final Logger LOG = LogManager.getLogger(Evaluation.class);

    private Evaluation() {}

    /**
     * @return the evaluation of an experiment, by its kind's name
     * @throws IllegalStateException when no {@link EvaluationKind} on the class path evaluates that kind
     */
    public static ExperimentEvaluation of(Experiment experiment) {
        String kind = experiment.config().config().experiment();
        List<String> known = new ArrayList<>();
        for (EvaluationKind evaluation : ServiceLoader.load(EvaluationKind.class, Evaluation.class.getClassLoader())) {
            if (evaluation.experiment().equals(kind)) {
                return evaluation.of(experiment);
            }
            known.add(evaluation.experiment());
        }
        throw new IllegalStateException("no evaluation of '" + kind + "' experiments on the class path (there are: "
                + String.join(", ", known) + ")");
    }

    /** @return where an experiment's report is written */
    public static Path reportFolder(Experiment experiment) {
        return experiment.output().resolve(REPORT);
    }

    /** @return where a system's outputs on a task are written */
    public static Path outputsFile(Experiment experiment, String systemId, String taskId) {
        return reportFolder(experiment).resolve(OUTPUTS).resolve(systemId).resolve(taskId + ".jsonl");
    }

    /**
     * Evaluates every saved system on every task it answers and writes the report.
     *
     * @param phases wall times of earlier phases (e.g. training jobs), recorded in the report before
     *     the evaluation's own
     * @return the results written
     */
    public static Results run(ExperimentEvaluation plan, Map<String, Double> phases, NDManager manager) throws IOException {
        long start = System.nanoTime();
        Experiment experiment = plan.experiment();
        EvaluationConfig settings = experiment.config().config().evaluation();
        List<EvalTask> tasks = plan.tasks();
        // Outputs are written beside the last complete report's and replace them with the report, so
        // that an evaluation stopped or failing part-way leaves that report and its outputs as they were.
        Path writing = reportFolder(experiment).resolve(OUTPUTS_WRITING);
        Folders.deleteTree(writing);
        try {
            Map<String, Map<String, TaskOutputs>> outputs = new LinkedHashMap<>();
            List<EvalSystem> systems;
            try (NDManager models = manager.newSubManager()) {
                systems = plan.systems(models, LOG::warn);
                answerAll(plan, systems, settings.batchSize(), writing, outputs, models);
            }
            Map<String, Double> seconds = new LinkedHashMap<>(phases);
            seconds.put("evaluate", (System.nanoTime() - start) / 1e9);
            Bootstrap bootstrap = new Bootstrap(settings.bootstrapResamples(), settings.bootstrapSeed(), settings.confidenceLevel());
            Results results = Scoring.results(metadata(experiment.config(), seconds), bootstrap, systems, tasks, outputs,
                    plan.references(), plan::compared, plan.tables(systems, tasks));
            results = results.withSummaries(plan.summaries(results, outputs, bootstrap));
            results = results.withCharts(plan.charts(results));
            results = results.withHeadline(plan.headline(results));
            results = results.withComposedTasks(plan.composedTasks(results));
            Files.createDirectories(writing);
            ReportFiles.write(results, reportFolder(experiment));
            Folders.replace(reportFolder(experiment).resolve(OUTPUTS), writing);
            LOG.info("evaluate: wrote {}", reportFolder(experiment));
            return results;
        } finally {
            Folders.deleteTree(writing); // what a stop or a failure left; gone after the replace
        }
    }

    /**
     * Runs every system on every task it answers, writing each one's outputs into {@code writing}
     * and collecting them by task and system. A stop request ends it between batches.
     */
    private static void answerAll(ExperimentEvaluation plan, List<EvalSystem> systems, int batchSize, Path writing,
            Map<String, Map<String, TaskOutputs>> outputs, NDManager models) throws IOException {
        List<EvalTask> tasks = plan.tasks();
        Map<EvalTask, List<TaskExample>> examples = new LinkedHashMap<>();
        long total = 0;
        for (EvalTask task : tasks) {
            examples.put(task, plan.examples(task));
            for (EvalSystem system : systems) {
                total += plan.answers(system, task) ? examples.get(task).size() : 0;
            }
        }
        try (EvalProgress progress = EvalProgress.forEnvironment(total); StopRequest.SafePoints safe = StopRequest.safePoint()) {
            for (EvalSystem system : systems) {
                for (EvalTask task : tasks) {
                    if (!plan.answers(system, task)) {
                        continue;
                    }
                    progress.started(system.name(), task.name());
                    String stopped = "the evaluation stopped in " + system.name() + " on " + task.name() + "; the trained "
                            + "models are kept, and the next calm run or calm eval evaluates every system again (the "
                            + "last complete report and its outputs stay as they were)";
                    TaskOutputs done;
                    try (NDManager scope = models.newSubManager()) {
                        done = Evaluator.run(system, task, examples.get(task), batchSize, scope, n -> {
                            progress.advanced(n);
                            safe.check(stopped);
                        });
                    }
                    OutputsFile.write(writing.resolve(system.id()).resolve(task.id() + ".jsonl"), done.examples());
                    outputs.computeIfAbsent(task.name(), name -> new LinkedHashMap<>()).put(system.name(), done);
                    progress.finished(done);
                }
            }
        }
    }

    private static RunMetadata metadata(LoadedConfig loaded, Map<String, Double> seconds) {
        Map<String, String> versions = new LinkedHashMap<>(Provenance.versions());
        return new RunMetadata(loaded.name(), loaded.source(), loaded.sha256(), loaded.config().training().seed(),
                gitCommit(), versions, RunMetadata.describeMachine(), seconds);
    }

    /** The commit, with {@code -dirty} when tracked files have uncommitted changes. */
    private static String gitCommit() {
        String commit = Provenance.gitCommit();
        if (commit.equals("unknown")) {
            return commit;
        }
        try {
            Process git = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true)
                    .start();
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return commit;
            }
            String changes = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.exitValue() == 0 && !changes.isEmpty() ? commit + "-dirty" : commit;
        } catch (IOException e) {
            return commit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return commit;
        }
    }
}
