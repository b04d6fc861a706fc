package calm.kv.data;

import java.util.List;
import java.util.Objects;

/**
 * One example: a model reads {@code prompt} and should continue with {@code target}.
 *
 * @param task the task it belongs to
 * @param prompt the input, ending in {@code '='}
 * @param target the expected continuation
 * @param keys the distinct keys of the prompt in order of first occurrence; empty for
 *     Numeric-Arithmetic
 */
public record KvExample(KvTask task, String prompt, String target, List<String> keys) {

    /**
     * Checks that nothing is missing and copies the keys.
     *
     * @param task the task it belongs to
     * @param prompt the input, ending in {@code '='}
     * @param target the expected continuation
     * @param keys the distinct keys of the prompt in order of first occurrence; empty for
     *     Numeric-Arithmetic
     */
    public KvExample {
        Objects.requireNonNull(task, "task");
        if (prompt == null || prompt.isEmpty() || target == null || target.isEmpty()) {
            throw new IllegalArgumentException("prompt and target must be non-empty, got prompt=\"" + prompt
                    + "\", target=\"" + target + "\"");
        }
        keys = List.copyOf(keys);
    }

    /**
     * Returns the whole sequence a model is trained on, before BOS and EOS are added.
     *
     * @return {@code prompt + target}
     */
    public String text() {
        return prompt + target;
    }
}
