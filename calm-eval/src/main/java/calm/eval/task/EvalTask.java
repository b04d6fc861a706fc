package calm.eval.task;

import java.util.Objects;

/**
 * An evaluation task: a named held-out split, its prompt format, greedy decoding up to the stop
 * token, and exact-match accuracy as its metric (an output scores when it is exactly the expected
 * text and generation stopped there).
 *
 * @param name the label in reports, e.g. {@code KV-Arithmetic over other keys}
 * @param id a file-name-safe identifier, e.g. {@code kv-arithmetic-other-keys}
 * @param split the data split scored, e.g. {@code eval-kv-arithmetic-other-keys}
 * @param description what a score on it shows
 * @param format how prompts are encoded and outputs decoded
 * @param extraTokens new tokens allowed beyond the longest expected answer of the examples (the
 *     stop token takes one); an output longer than that cannot be right, so generation stops there
 */
public record EvalTask(String name, String id, String split, String description, PromptFormat format, int extraTokens) {

    /** The metric of every task here. */
    public static final String METRIC = "accuracy";

    /** Checks the fields. */
    public EvalTask {
        Objects.requireNonNull(name, "name");
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a task id must be lower-case letters, digits and '-', got " + id);
        }
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(format, "format");
        if (extraTokens < 1) {
            throw new IllegalArgumentException("extraTokens must be at least 1 (the stop token), got " + extraTokens);
        }
    }

    /** @return the task's headline metric */
    public String metric() {
        return METRIC;
    }
}
