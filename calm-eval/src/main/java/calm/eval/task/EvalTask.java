package calm.eval.task;

import java.util.List;
import java.util.Objects;

/**
 * An evaluation task: a named held-out split, its prompt format, greedy decoding up to the stop
 * token, and its metrics, the first of which is its headline (exact-match accuracy unless the task
 * names others).
 *
 * @param name the label in reports, e.g. {@code KV-Arithmetic over other keys}
 * @param id a file-name-safe identifier, e.g. {@code kv-arithmetic-other-keys}
 * @param split the data split scored, e.g. {@code eval-kv-arithmetic-other-keys}
 * @param description what a score on it shows
 * @param format how prompts are encoded and outputs decoded
 * @param extraTokens new tokens allowed beyond the longest expected answer of the examples (the
 *     stop token takes one); an output longer than that cannot be right, so generation stops there
 * @param metrics how outputs score, the headline first
 */
public record EvalTask(String name, String id, String split, String description, PromptFormat format, int extraTokens,
        List<TaskMetric> metrics) {

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
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("a task needs at least one metric");
        }
        metrics = List.copyOf(metrics);
    }

    /** A task scored by exact-match accuracy. */
    public EvalTask(String name, String id, String split, String description, PromptFormat format, int extraTokens) {
        this(name, id, split, description, format, extraTokens, List.of(Accuracy.INSTANCE));
    }

    /** @return the name of the task's headline metric */
    public String metric() {
        return metrics.get(0).name();
    }

    /** @return the headline metric */
    public TaskMetric headline() {
        return metrics.get(0);
    }
}
