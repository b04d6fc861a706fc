package calm.kv.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An arithmetic expression over keys, such as {@code ab+cde-fg}: the paper's D_KV-EXP.
 *
 * @param keys the operands, left to right; a key may occur more than once
 * @param operators the operators between consecutive operands, one fewer than the keys
 */
public record KeyExpression(List<String> keys, List<Operator> operators) {

    /**
     * Copies the lists and checks their lengths agree.
     *
     * @param keys the operands, left to right; a key may occur more than once
     * @param operators the operators between consecutive operands, one fewer than the keys
     */
    public KeyExpression {
        keys = List.copyOf(keys);
        operators = List.copyOf(operators);
        if (keys.isEmpty() || operators.size() != keys.size() - 1) {
            throw new IllegalArgumentException("an expression of " + keys.size() + " keys needs "
                    + Math.max(0, keys.size() - 1) + " operators, got " + operators.size());
        }
    }

    /**
     * Writes the expression without spaces, e.g. {@code ab+cde-fg}.
     *
     * @return the expression as text
     */
    public String render() {
        StringBuilder text = new StringBuilder(keys.get(0));
        for (int i = 0; i < operators.size(); i++) {
            text.append(operators.get(i).symbol()).append(keys.get(i + 1));
        }
        return text.toString();
    }

    /**
     * Replaces every key by its value.
     *
     * @param store the store holding every key of this expression
     * @return the numeric expression with the same operators
     */
    public NumericExpression substitute(KeyValueStore store) {
        List<Integer> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(store.value(key));
        }
        return new NumericExpression(values, operators);
    }

    /**
     * Returns the expression's first operands with the operators between them.
     *
     * @param operands how many operands to keep, from 1 to the expression's
     * @return e.g. {@code ab+cde} for {@code ab+cde-fg} and 2
     */
    public KeyExpression prefix(int operands) {
        if (operands < 1 || operands > keys.size()) {
            throw new IllegalArgumentException("a prefix of an expression of " + keys.size()
                    + " keys has 1 to " + keys.size() + " operands, got " + operands);
        }
        return new KeyExpression(keys.subList(0, operands), operators.subList(0, operands - 1));
    }

    /**
     * Returns the keys used, each once, in order of first occurrence.
     *
     * @return the distinct keys
     */
    public List<String> distinctKeys() {
        return List.copyOf(new LinkedHashSet<>(keys));
    }
}
