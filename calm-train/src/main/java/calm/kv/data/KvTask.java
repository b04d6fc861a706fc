package calm.kv.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The tasks of the key-value arithmetic experiment, with the example each makes of {@code ab+cd-ef}
 * when ab=10, cd=22, ef=24.
 */
public enum KvTask {
    /** The paper's D_KV-SUBS, m_A's training task: {@code ab+cd-ef=} to {@code 10+22-24}. */
    KV_SUBSTITUTION("kv-substitution"),
    /** The paper's D_NUM-MATH, m_B's training task: {@code 10+22-24=} to {@code 8}. */
    NUMERIC_ARITHMETIC("numeric-arithmetic"),
    /**
     * A key's value, the key ending an expression's first operands: {@code ab+cd} to {@code 22}. Not
     * in the paper; mixed into m_A's training set so that m_A holds a value where its key ends.
     */
    KV_LOOKUP("kv-lookup"),
    /** The paper's D_KV-MATH, the composition task: {@code ab+cd-ef=} to {@code 8}. */
    KV_ARITHMETIC("kv-arithmetic"),
    /** KV-Arithmetic with the substituted expression written first: {@code ab+cd-ef=} to {@code 10+22-24=8}. */
    KV_ARITHMETIC_SCRATCHPAD("kv-arithmetic-scratchpad");

    private final String id;

    KvTask(String id) {
        this.id = id;
    }

    /**
     * Returns the name used in files.
     *
     * @return e.g. {@code kv-arithmetic}
     */
    public String id() {
        return id;
    }

    /**
     * Finds a task by its file name.
     *
     * @param id a value of {@link #id()}
     * @return the task
     * @throws IllegalArgumentException listing the known ids if there is none such
     */
    public static KvTask fromId(String id) {
        for (KvTask task : values()) {
            if (task.id.equals(id)) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task '" + id + "'; known: "
                + Arrays.stream(values()).map(KvTask::id).collect(Collectors.joining(", ")));
    }
}
