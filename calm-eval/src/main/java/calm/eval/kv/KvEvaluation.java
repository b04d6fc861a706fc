package calm.eval.kv;

import ai.djl.ndarray.NDManager;
import calm.eval.report.Results;
import calm.eval.report.Score;
import calm.eval.report.Summary;
import calm.eval.report.SystemInfo;
import calm.eval.report.TableKind;
import calm.eval.report.TableSpec;
import calm.eval.report.TaskInfo;
import calm.eval.run.EvalSystem;
import calm.eval.run.EvaluationKind;
import calm.eval.run.ExperimentEvaluation;
import calm.eval.run.SelectionSummary;
import calm.eval.run.TaskOutputs;
import calm.eval.stats.Bootstrap;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskExample;
import calm.kv.CalmRow;
import calm.kv.KvArithmetic;
import calm.kv.KvExperiment;
import calm.train.config.CompositionConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The evaluation of a key-value arithmetic experiment: its systems ({@link KvSystems}) on its tasks
 * ({@link KvTasks}).
 *
 * <p>The report's tables: the paper's Table 1 (every task against m_A, m_B and CALM), the
 * baselines and ablations against CALM, and with {@code merging} the training-free combinations
 * (merges and an ensemble of two fine-tuned copies of one base) against CALM. CALM is compared with
 * every other system on every task.
 */
public final class KvEvaluation implements ExperimentEvaluation {

    /** The id of the Table-1-style table. */
    public static final String MAIN_TABLE = "main";
    /** The id of the baselines-and-ablations table. */
    public static final String ABLATION_TABLE = "ablations";
    /** The id of the training-free combinations' table. */
    public static final String MERGING_TABLE = "merging";

    private final KvExperiment experiment;

    /** @param experiment the experiment whose systems are evaluated */
    public KvEvaluation(KvExperiment experiment) {
        this.experiment = experiment;
    }

    /** Finds this evaluation by the kind's name. */
    public static final class Kind implements EvaluationKind {
        @Override
        public String experiment() {
            return KvArithmetic.NAME;
        }

        @Override
        public ExperimentEvaluation of(Experiment experiment) {
            return new KvEvaluation((KvExperiment) experiment);
        }
    }

    @Override
    public Experiment experiment() {
        return experiment;
    }

    @Override
    public List<EvalTask> tasks() {
        return KvTasks.of(experiment.dataConfig().scratchpad());
    }

    @Override
    public List<TaskExample> examples(EvalTask task) throws IOException {
        LoadedConfig loaded = experiment.config();
        List<TaskExample> chosen = KvTasks.examples(task, experiment.data(), loaded.config().evaluation().examples());
        if (chosen.isEmpty()) {
            throw loaded.error("data.sizes.evalPerSplit", "must be at least 1 for an evaluation: " + task.split()
                    + " has no examples");
        }
        return chosen;
    }

    @Override
    public List<EvalSystem> systems(NDManager manager, Consumer<String> warn) throws IOException {
        return KvSystems.load(experiment, manager, warn);
    }

    @Override
    public boolean answers(EvalSystem system, EvalTask task) {
        return KvSystems.answers(system, task);
    }

    /** @return CALM as the config composes it (its primary seed), and the scratchpad composition */
    @Override
    public List<String> references() {
        return List.of(calm(), KvSystems.CALM_SCRATCHPAD);
    }

    /** @return false for CALM's further seeds, which add to their row's mean ({@link #summaries}) */
    @Override
    public boolean compared(String system) {
        return rows().stream().noneMatch(row -> !row.primary() && name(row).equals(system));
    }

    private String calm() {
        return KvSystems.calm(experiment.config().config());
    }

    private List<CalmRow> rows() {
        return experiment.calmRows();
    }

    private String name(CalmRow row) {
        return KvSystems.name(row, experiment.config().config());
    }

    @Override
    public String summaryTable() {
        return MAIN_TABLE;
    }

    /**
     * Table 1 (tasks by m_A, m_B, CALM, and the scratchpad composition when there is one) and, when
     * there are any, the baselines and ablations on the paper's tasks.
     */
    @Override
    public List<TableSpec> tables(List<EvalSystem> systems, List<EvalTask> tasks) {
        List<String> taskNames = tasks.stream().map(EvalTask::name).toList();
        List<String> main = new ArrayList<>(List.of(KvSystems.M_A, KvSystems.M_B, calm()));
        if (systems.stream().anyMatch(system -> system.name().equals(KvSystems.CALM_LAYER_OUTPUTS))) {
            main.add(KvSystems.CALM_LAYER_OUTPUTS);
        }
        boolean scratchpad = systems.stream().anyMatch(system -> system.name().equals(KvSystems.CALM_SCRATCHPAD));
        if (scratchpad) {
            main.add(KvSystems.CALM_SCRATCHPAD);
        }
        List<TableSpec> tables = new ArrayList<>();
        tables.add(new TableSpec(MAIN_TABLE, TableKind.MAIN, "Table 1: m_A, m_B and their composition (accuracy, %)",
                taskNames, main));
        List<String> others = systems.stream().map(EvalSystem::name)
                .filter(name -> !main.contains(name) && compared(name) && !KvMergingSystems.isOne(name)).toList();
        List<String> paperTasks = tasks.stream().filter(task -> !KvTasks.scratchpad(task)).map(EvalTask::name).toList();
        if (!others.isEmpty()) {
            List<String> rows = new ArrayList<>();
            rows.add(calm());
            rows.addAll(others);
            tables.add(new TableSpec(ABLATION_TABLE, TableKind.ABLATION, "Table 2: CALM against baselines and ablations "
                    + "(accuracy, %)", rows, paperTasks));
        }
        List<String> combinations = systems.stream().map(EvalSystem::name).filter(KvMergingSystems::isOne).toList();
        if (!combinations.isEmpty()) {
            List<String> rows = new ArrayList<>(List.of(calm(), KvSystems.M_A, KvSystems.M_B));
            rows.addAll(combinations);
            tables.add(new TableSpec(MERGING_TABLE, TableKind.ABLATION, "Table " + (tables.size() + 1) + ": training-free "
                    + "combinations of two copies of one base, fine-tuned on KV-Substitution and on Numeric-Arithmetic, against "
                    + "CALM (accuracy, %)", rows, paperTasks));
        }
        return tables;
    }

    /**
     * Every CALM row's score with each seed, their mean and their range, on each task the row
     * answers: one seed is one draw of the connections' initialisation and of D_C's order, and
     * seeds of the shipped run differed by up to 15 points on keys outside D_C.
     */
    @Override
    public List<Summary> summaries(Results results, Map<String, Map<String, TaskOutputs>> outputs, Bootstrap bootstrap)
            throws IOException {
        List<Summary> summaries = new ArrayList<>();
        Summary seeds = seeds(results);
        if (seeds != null) {
            summaries.add(seeds);
        }
        Map<String, Path> calmRows = new LinkedHashMap<>();
        rows().forEach(row -> calmRows.put(name(row), experiment.compositionFolder(row.job())));
        Summary selection = SelectionSummary.of(experiment, "D_C's validation split (KV-Arithmetic over D_C keys, in "
                + "neither D_C nor any evaluated split; data.sizes.compositionValidation)", calmRows);
        if (selection != null) {
            summaries.add(selection);
        }
        Summary merging = KvMergingSystems.settings(experiment);
        if (merging != null) {
            summaries.add(merging);
        }
        return summaries;
    }

    /** @return the seeds table, or null with one seed */
    private Summary seeds(Results results) {
        Map<Boolean, List<CalmRow>> byReading = byReading();
        List<Long> seeds = byReading.values().iterator().next().stream().map(CalmRow::seed).toList();
        if (seeds.size() < 2) {
            return null;
        }
        List<String> header = new ArrayList<>(List.of("System", "Task"));
        seeds.forEach(seed -> header.add("seed " + seed));
        header.add("mean");
        header.add("range");
        List<List<String>> cells = new ArrayList<>();
        for (List<CalmRow> reading : byReading.values()) {
            for (TaskInfo task : results.tasks()) {
                List<Double> scores = scores(results, reading, task);
                if (scores.isEmpty()) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(name(reading.get(0)), task.name()));
                scores.forEach(score -> row.add(format(score)));
                row.add(format(mean(scores)));
                row.add(format(Collections.min(scores)) + " to " + format(Collections.max(scores)));
                cells.add(row);
            }
        }
        return new Summary("seeds", "CALM with each seed (" + results.tasks().get(0).metric() + ", %)", header, cells,
                "Each seed trains the same composition on the same D_C with its own initialisation of the connections and "
                        + "its own order of D_C (variants.seeds beside training.seed " + seeds.get(0) + "). The tables "
                        + "above and the paired comparisons show seed " + seeds.get(0) + "; the headline is the mean.");
    }

    /** @return KV-Arithmetic over keys outside D_C, the composed task the headline reads, where it is scored */
    @Override
    public List<String> composedTasks(Results results) {
        return results.tasks().stream().map(TaskInfo::name).filter(KvTasks.KV_ARITHMETIC_OTHER_KEYS.name()::equals).toList();
    }

    /**
     * The report's first lines: the composition's score on keys outside D_C (the mean over its
     * seeds when there are several), which reading of m_A it uses, and what the other reading
     * scored.
     */
    @Override
    public List<String> headline(Results results) {
        TaskInfo other = results.tasks().stream().filter(task -> task.name().equals(KvTasks.KV_ARITHMETIC_OTHER_KEYS.name()))
                .findFirst().orElse(null);
        if (other == null) {
            return List.of();
        }
        List<String> sentences = new ArrayList<>();
        for (Map.Entry<Boolean, List<CalmRow>> reading : byReading().entrySet()) {
            List<Double> scores = scores(results, reading.getValue(), other);
            if (scores.isEmpty()) {
                continue;
            }
            String score = scores.size() == 1
                    ? format(scores.get(0)) + "% on " + other.name() + " (one seed, " + reading.getValue().get(0).seed() + ")"
                    : format(mean(scores)) + "% on " + other.name() + ", the mean of " + scores.size() + " seeds ("
                            + format(Collections.min(scores)) + " to " + format(Collections.max(scores)) + ")";
            String name = name(reading.getValue().get(0));
            if (reading.getKey()) {
                sentences.add(name + ", the paper's reading of m_A (its layer outputs), scores " + score + ".");
            } else if (experiment.config().config().composition().reads() == CompositionConfig.Reads.PREDICTIONS) {
                sentences.add(name + " scores " + score + ". Its connections read what m_A predicts, not m_A's layer "
                        + "outputs as the paper's do.");
            } else {
                sentences.add(name + " scores " + score + ".");
            }
        }
        results.systems().stream().map(SystemInfo::name).filter(KvMergingSystems::isOne)
                .flatMap(name -> results.score(other.name(), name, other.metric()).map(score -> Map.entry(name, score.value())).stream())
                .max(Map.Entry.comparingByValue())
                .ifPresent(best -> sentences.add("The best training-free combination (merges and an ensemble of two models "
                        + "fine-tuned from one base), " + best.getKey() + ", scores " + format(best.getValue()) + "% there."));
        return sentences;
    }

    /** @return the CALM rows by reading: the config's first, then the paper's layer outputs beside it */
    private Map<Boolean, List<CalmRow>> byReading() {
        Map<Boolean, List<CalmRow>> byReading = new LinkedHashMap<>();
        for (CalmRow row : rows()) {
            byReading.computeIfAbsent(row.layerOutputs(), key -> new ArrayList<>()).add(row);
        }
        return byReading;
    }

    /** @return each seed's headline score of a reading on a task, in seed order; empty when a seed has none */
    private List<Double> scores(Results results, List<CalmRow> reading, TaskInfo task) {
        List<Double> scores = new ArrayList<>();
        for (CalmRow row : reading) {
            Optional<Score> score = results.score(task.name(), name(row), task.metric());
            if (score.isEmpty()) {
                return List.of();
            }
            scores.add(score.get().value());
        }
        return scores;
    }

    private static double mean(List<Double> scores) {
        return scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static String format(double score) {
        return String.format(Locale.ROOT, "%.1f", score);
    }
}
