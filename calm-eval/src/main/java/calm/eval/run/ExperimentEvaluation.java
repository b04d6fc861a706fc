package calm.eval.run;

import ai.djl.ndarray.NDManager;
import calm.eval.report.ChartSpec;
import calm.eval.report.Results;
import calm.eval.report.Summary;
import calm.eval.report.TableSpec;
import calm.eval.report.TaskInfo;
import calm.eval.stats.Bootstrap;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskExample;
import calm.train.experiment.Experiment;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an experiment's evaluation is ({@link EvaluationKind#of}): its tasks and their examples, its
 * saved systems, which system answers which task, which systems every other is compared with, and
 * the report's tables. {@link Evaluation#run} does the rest the same way for every experiment:
 * generation, scoring with intervals, paired comparisons, the report files.
 */
public interface ExperimentEvaluation {

    /** @return the experiment evaluated */
    Experiment experiment();

    /** @return the tasks, in report order */
    List<EvalTask> tasks() throws IOException;

    /**
     * @return the examples a task is scored on, in order
     * @throws calm.train.config.ConfigException when the config leaves a task no examples
     */
    List<TaskExample> examples(EvalTask task) throws IOException;

    /**
     * Loads every saved system, ready to generate.
     *
     * @param warn told of each system the config enables that has not been trained
     * @throws IllegalStateException when a system every report needs (m_A, m_B, CALM) is missing
     */
    List<EvalSystem> systems(NDManager manager, Consumer<String> warn) throws IOException;

    /** @return whether a system is scored on a task (every system answers every task unless the kind says otherwise) */
    default boolean answers(EvalSystem system, EvalTask task) {
        return true;
    }

    /** @return the systems compared with every other system that answers the same task (CALM) */
    List<String> references();

    /** @return the report's tables over the loaded systems and the tasks */
    List<TableSpec> tables(List<EvalSystem> systems, List<EvalTask> tasks);

    /**
     * Tables of text computed from the scores, shown below the score tables (none unless the kind
     * has some).
     *
     * @param results the scores, comparisons and tables
     * @param outputs every output by task name, then by system name
     * @param bootstrap the resampling of the report, for further paired comparisons
     */
    default List<Summary> summaries(Results results, Map<String, Map<String, TaskOutputs>> outputs, Bootstrap bootstrap)
            throws IOException {
        return List.of();
    }

    /** @return bar charts of chosen systems by task, drawn below the summaries (none unless the kind has some) */
    default List<ChartSpec> charts(Results results) {
        return List.of();
    }

    /**
     * @return whether a system other than the references is compared with them (every system by
     *     default; the key-value experiment's further seeds of CALM add to its mean instead)
     */
    default boolean compared(String system) {
        return true;
    }

    /**
     * @param results the scores, tables and summaries
     * @return the sentences the report opens with (none unless the kind has some)
     */
    default List<String> headline(Results results) {
        return List.of();
    }

    /**
     * @param results the scores and comparisons
     * @return the tasks the paper's claim is about, checked first in the report: CALM beats each other
     *     system there (every task unless the kind names its composed task)
     */
    default List<String> composedTasks(Results results) {
        return results.tasks().stream().map(TaskInfo::name).toList();
    }

    /** @return the id of the table {@code calm run} and {@code calm eval} print when they finish */
    String summaryTable();
}
