package calm.eval.kv;

import calm.data.CharVocabulary;
import calm.eval.task.EvalTask;
import calm.eval.task.PromptFormat;
import calm.eval.task.TaskExample;
import calm.eval.task.VocabularyFormat;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The key-value arithmetic tasks (datasets/README.md): the paper's Table 1 rows, with
 * KV-Arithmetic reported apart by where its keys lie, and the scratchpad format's extra rows.
 *
 * <p>Prompts are BOS followed by the prompt's characters; the answer is the target's characters,
 * ended by EOS (exactly as the models are trained, {@code KvExperiment.encode}).
 */
public final class KvTasks {

    /** The character vocabulary's prompt format. */
    public static final PromptFormat FORMAT = new VocabularyFormat(CharVocabulary.standard());

    /** m_A's skill: {@code ab+cd-ef=} to {@code 10+22-24}. */
    public static final EvalTask KV_SUBSTITUTION = task("KV-Substitution", KvSplit.EVAL_KV_SUBSTITUTION,
            "m_A's skill: write the values of the keys of an expression");
    /** m_B's skill: {@code 10+22-24=} to {@code 8}. */
    public static final EvalTask NUMERIC_ARITHMETIC = task("Numeric-Arithmetic", KvSplit.EVAL_NUMERIC_ARITHMETIC,
            "m_B's skill: evaluate an expression over numbers");
    /** The composed skill over the keys D_C uses. */
    public static final EvalTask KV_ARITHMETIC_DC_KEYS = task("KV-Arithmetic over D_C keys", KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS,
            "both skills: new expressions over the keys D_C uses");
    /** The composed skill over keys D_C never uses. */
    public static final EvalTask KV_ARITHMETIC_OTHER_KEYS = task("KV-Arithmetic over other keys",
            KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS, "both skills: expressions over keys D_C never uses, known only to m_A");
    /** The composed skill over a mix of both kinds of keys. */
    public static final EvalTask KV_ARITHMETIC_MIXED_KEYS = task("KV-Arithmetic over mixed keys",
            KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS, "both skills: expressions with keys of both kinds");

    /** The extra row: the composed skill over D_C keys, answered with a scratchpad ({@code ab+cd=} to {@code 010+220=230}). */
    public static final EvalTask KV_ARITHMETIC_DC_KEYS_SCRATCHPAD = task("KV-Arithmetic over D_C keys, scratchpad",
            KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS_SCRATCHPAD,
            "the same expressions over D_C keys, answered as the substituted expression, then the result");
    /** The extra row over keys D_C never uses. */
    public static final EvalTask KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD = task("KV-Arithmetic over other keys, scratchpad",
            KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD,
            "the same expressions over other keys, answered as the substituted expression, then the result");
    /** The extra row over mixed keys. */
    public static final EvalTask KV_ARITHMETIC_MIXED_KEYS_SCRATCHPAD = task("KV-Arithmetic over mixed keys, scratchpad",
            KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS_SCRATCHPAD,
            "the same expressions over mixed keys, answered as the substituted expression, then the result");

    private static final List<EvalTask> PAPER = List.of(KV_SUBSTITUTION, NUMERIC_ARITHMETIC, KV_ARITHMETIC_DC_KEYS,
            KV_ARITHMETIC_OTHER_KEYS, KV_ARITHMETIC_MIXED_KEYS);
    private static final List<EvalTask> SCRATCHPAD = List.of(KV_ARITHMETIC_DC_KEYS_SCRATCHPAD,
            KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD, KV_ARITHMETIC_MIXED_KEYS_SCRATCHPAD);
    private static final List<EvalTask> ALL = Stream.concat(PAPER.stream(), SCRATCHPAD.stream()).toList();

    private KvTasks() {}

    /** @return the paper's tasks, in report order */
    public static List<EvalTask> paper() {
        return PAPER;
    }

    /**
     * @param scratchpad whether the data has the scratchpad splits
     * @return the tasks of an experiment, in report order: the paper's, then the scratchpad rows if asked for
     */
    public static List<EvalTask> of(boolean scratchpad) {
        return scratchpad ? ALL : PAPER;
    }

    /** @return whether the task is one of the scratchpad rows */
    public static boolean scratchpad(EvalTask task) {
        return SCRATCHPAD.contains(task);
    }

    /**
     * @param id a task's {@link EvalTask#id()}
     * @throws IllegalArgumentException naming the known ids when there is no such task
     */
    public static EvalTask byId(String id) {
        return ALL.stream().filter(task -> task.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no task '" + id + "'; known: " + ALL.stream().map(EvalTask::id).collect(Collectors.joining(", "))));
    }

    /**
     * The examples a task scores.
     *
     * @param limit the most examples, the split's first ones (0 = all)
     */
    public static List<TaskExample> examples(EvalTask task, KvArithmeticDatasets data, int limit) {
        KvSplit split = Arrays.stream(KvSplit.values()).filter(s -> s.id().equals(task.split())).findFirst().orElseThrow(
                () -> new IllegalArgumentException("task " + task.name() + " reads an unknown split " + task.split()));
        List<KvExample> all = data.get(split);
        List<KvExample> chosen = limit == 0 ? all : all.subList(0, Math.min(limit, all.size()));
        return chosen.stream().map(example -> new TaskExample(example.prompt(), example.target())).toList();
    }

    private static EvalTask task(String name, KvSplit split, String description) {
        return new EvalTask(name, split.id().replaceFirst("^eval-", ""), split.id(), description, FORMAT, 1);
    }
}
