package calm.kv.data;

import java.util.List;

/**
 * Renders expressions as examples of each task: the prompt is the expression followed by
 * {@code '='}, the target is what the task asks for, and every number is written in one digit order.
 *
 * @param store the store that gives the keys their values
 * @param digitOrder how numbers are written
 * @param width the fewest digits of every number, zeros filling the most significant places; 0 for
 *     none added (the paper's)
 */
public record KvExampleFormat(KeyValueStore store, DigitOrder digitOrder, int width) {

    /**
     * A format that writes numbers with their natural number of digits.
     *
     * @param store the store that gives the keys their values
     * @param digitOrder how numbers are written
     */
    public KvExampleFormat(KeyValueStore store, DigitOrder digitOrder) {
        this(store, digitOrder, 0);
    }

    /** Ends every prompt. */
    public static final String EQUALS = "=";

    /**
     * Makes a KV-Substitution example: {@code ab+cd-ef=} to {@code 10+22-24}.
     *
     * @param expression an expression over keys of the store
     * @return the example
     */
    public KvExample kvSubstitution(KeyExpression expression) {
        return keyExample(KvTask.KV_SUBSTITUTION, expression, expression.substitute(store).render(digitOrder, width));
    }

    /**
     * Makes a KV-Lookup example: {@code ab+cd} to {@code 22}. The prompt has no {@code '='}: the
     * value follows the last key's last letter, the place where the key ends in every other task's
     * prompt too.
     *
     * @param expression an expression over keys of the store; its last key is looked up
     * @return the example
     */
    public KvExample kvLookup(KeyExpression expression) {
        String last = expression.keys().get(expression.keys().size() - 1);
        return new KvExample(KvTask.KV_LOOKUP, expression.render(), digitOrder.write(store.value(last), width),
                expression.distinctKeys());
    }

    /**
     * Makes a KV-Arithmetic example, the paper's format: {@code ab+cd-ef=} to {@code 8}.
     *
     * @param expression an expression over keys of the store
     * @return the example
     */
    public KvExample kvArithmetic(KeyExpression expression) {
        return keyExample(KvTask.KV_ARITHMETIC, expression,
                digitOrder.write(expression.substitute(store).evaluate(), width));
    }

    /**
     * Makes a KV-Arithmetic example with a scratchpad: {@code ab+cd-ef=} to {@code 10+22-24=8}.
     *
     * @param expression an expression over keys of the store
     * @return the example
     */
    public KvExample kvArithmeticScratchpad(KeyExpression expression) {
        NumericExpression numbers = expression.substitute(store);
        return keyExample(KvTask.KV_ARITHMETIC_SCRATCHPAD, expression,
                numbers.render(digitOrder, width) + EQUALS + digitOrder.write(numbers.evaluate(), width));
    }

    /**
     * Makes a Numeric-Arithmetic example: {@code 10+22-24=} to {@code 8}.
     *
     * @param expression an expression over numbers
     * @return the example
     */
    public KvExample numericArithmetic(NumericExpression expression) {
        return new KvExample(KvTask.NUMERIC_ARITHMETIC, expression.render(digitOrder, width) + EQUALS,
                digitOrder.write(expression.evaluate(), width), List.of());
    }

    private KvExample keyExample(KvTask task, KeyExpression expression, String target) {
        return new KvExample(task, expression.render() + EQUALS, target, expression.distinctKeys());
    }
}
