package calm.eval.kv;

import ai.djl.ndarray.NDManager;
import calm.eval.report.TableKind;
import calm.eval.report.TableSpec;
import calm.eval.run.EvalSystem;
import calm.eval.run.EvaluationKind;
import calm.eval.run.ExperimentEvaluation;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskExample;
import calm.kv.KvArithmetic;
import calm.kv.KvExperiment;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The evaluation of a key-value arithmetic experiment: its systems ({@link KvSystems}) on its tasks
 * ({@link KvTasks}).
 *
 * <p>The report's tables: the paper's Table 1 (every task against m_A, m_B and CALM), and the
 * baselines and ablations against CALM. CALM is compared with every other system on every task.
 */
public final class KvEvaluation implements ExperimentEvaluation {

    /** The id of the Table-1-style table. */
    public static final String MAIN_TABLE = "main";
    /** The id of the baselines-and-ablations table. */
    public static final String ABLATION_TABLE = "ablations";

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

    @Override
    public List<String> references() {
        return List.of(KvSystems.CALM, KvSystems.CALM_SCRATCHPAD);
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
}
