package calm.eval.run;

import ai.djl.ndarray.NDManager;
import calm.data.KvArithmeticDatasets;
import calm.eval.report.ReportFiles;
import calm.eval.report.Results;
import calm.eval.report.RunMetadata;
import calm.eval.report.TableKind;
import calm.eval.report.TableSpec;
import calm.eval.stats.Bootstrap;
import calm.eval.task.EvalTask;
import calm.eval.task.KvTasks;
import calm.eval.task.TaskExample;
import calm.io.Folders;
import calm.train.Provenance;
import calm.train.config.EvaluationConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.KvExperiment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Evaluates the saved systems of a key-value arithmetic experiment ({@link KvSystems}) on its tasks
 * ({@link KvTasks}) and writes the report folder {@code OUTPUT/report/}: {@code results.json},
 * {@code report.md}, {@code report.html} and {@code outputs/<system>/<task>.jsonl}, every output.
 *
 * <p>The report's tables: the paper's Table 1 (every task against m_A, m_B and CALM), and the
 * baselines and ablations against CALM. CALM is compared with every other system on every task.
 */
public final class KvEvaluation {

    /** The report's folder under the experiment's output. */
    public static final String REPORT = "report";
    /** The outputs' folder in the report's. */
    public static final String OUTPUTS = "outputs";
    /** The id of the Table-1-style table. */
    public static final String MAIN_TABLE = "main";
    /** The id of the baselines-and-ablations table. */
    public static final String ABLATION_TABLE = "ablations";

    private static final Logger LOG = LogManager.getLogger(KvEvaluation.class);

    private final KvExperiment experiment;

    /** @param experiment the experiment whose systems are evaluated */
    public KvEvaluation(KvExperiment experiment) {
        this.experiment = experiment;
    }

    /** @return where the report is written */
    public Path reportFolder() {
        return experiment.output().resolve(REPORT);
    }

    /** @return where a system's outputs on a task are written */
    public Path outputsFile(String systemId, String taskId) {
        return reportFolder().resolve(OUTPUTS).resolve(systemId).resolve(taskId + ".jsonl");
    }

    /**
     * Evaluates every saved system on every task and writes the report.
     *
     * @param phases wall times of earlier phases (e.g. training jobs), recorded in the report before
     *     the evaluation's own
     * @return the results written
     */
    public Results run(Map<String, Double> phases, NDManager manager) throws IOException {
        long start = System.nanoTime();
        LoadedConfig loaded = experiment.config();
        EvaluationConfig settings = loaded.config().evaluation();
        KvArithmeticDatasets data = experiment.data();
        List<EvalTask> tasks = KvTasks.of(loaded.config().data().scratchpad());
        Map<EvalTask, List<TaskExample>> examples = new LinkedHashMap<>();
        for (EvalTask task : tasks) {
            List<TaskExample> chosen = KvTasks.examples(task, data, settings.examples());
            if (chosen.isEmpty()) {
                throw loaded.error("data.sizes.evalPerSplit", "must be at least 1 for an evaluation: " + task.split()
                        + " has no examples");
            }
            examples.put(task, chosen);
        }
        Folders.deleteTree(reportFolder().resolve(OUTPUTS));
        Map<String, Map<String, TaskOutputs>> outputs = new LinkedHashMap<>();
        List<EvalSystem> systems;
        try (NDManager models = manager.newSubManager()) {
            systems = KvSystems.load(experiment, models, LOG::warn);
            long total = 0;
            for (EvalSystem system : systems) {
                for (EvalTask task : tasks) {
                    total += KvSystems.answers(system, task) ? examples.get(task).size() : 0;
                }
            }
            try (EvalProgress progress = EvalProgress.forEnvironment(total)) {
                for (EvalSystem system : systems) {
                    for (EvalTask task : tasks) {
                        if (!KvSystems.answers(system, task)) {
                            continue;
                        }
                        progress.started(system.name(), task.name());
                        TaskOutputs done;
                        try (NDManager scope = models.newSubManager()) {
                            done = Evaluator.run(system, task, examples.get(task), settings.batchSize(), scope,
                                    progress::advanced);
                        }
                        OutputsFile.write(outputsFile(system.id(), task.id()), done.examples());
                        outputs.computeIfAbsent(task.name(), name -> new LinkedHashMap<>()).put(system.name(), done);
                        progress.finished(done);
                    }
                }
            }
        }
        Map<String, Double> seconds = new LinkedHashMap<>(phases);
        seconds.put("evaluate", (System.nanoTime() - start) / 1e9);
        Bootstrap bootstrap = new Bootstrap(settings.bootstrapResamples(), settings.bootstrapSeed(), settings.confidenceLevel());
        Results results = Scoring.results(metadata(seconds), bootstrap, systems, tasks, outputs,
                List.of(KvSystems.CALM, KvSystems.CALM_SCRATCHPAD), tables(systems, tasks));
        ReportFiles.write(results, reportFolder());
        LOG.info("evaluate: wrote {}", reportFolder());
        return results;
    }

    /**
     * Table 1 (tasks by m_A, m_B, CALM, and the scratchpad composition when there is one) and, when
     * there are any, the baselines and ablations on the paper's tasks.
     */
    private static List<TableSpec> tables(List<EvalSystem> systems, List<EvalTask> tasks) {
        List<String> taskNames = tasks.stream().map(EvalTask::name).toList();
        List<String> main = new ArrayList<>(List.of(KvSystems.M_A, KvSystems.M_B, KvSystems.CALM));
        boolean scratchpad = systems.stream().anyMatch(system -> system.name().equals(KvSystems.CALM_SCRATCHPAD));
        if (scratchpad) {
            main.add(KvSystems.CALM_SCRATCHPAD);
        }
        List<TableSpec> tables = new ArrayList<>();
        tables.add(new TableSpec(MAIN_TABLE, TableKind.MAIN, "Table 1: m_A, m_B and their composition (accuracy, %)",
                taskNames, main));
        List<String> others = systems.stream().map(EvalSystem::name).filter(name -> !main.contains(name)).toList();
        if (!others.isEmpty()) {
            List<String> rows = new ArrayList<>();
            rows.add(KvSystems.CALM);
            rows.addAll(others);
            List<String> paperTasks = tasks.stream().filter(task -> !KvTasks.scratchpad(task)).map(EvalTask::name).toList();
            tables.add(new TableSpec(ABLATION_TABLE, TableKind.ABLATION, "Table 2: CALM against baselines and ablations "
                    + "(accuracy, %)", rows, paperTasks));
        }
        return tables;
    }

    private RunMetadata metadata(Map<String, Double> seconds) {
        LoadedConfig loaded = experiment.config();
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
