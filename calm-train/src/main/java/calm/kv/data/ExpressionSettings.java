package calm.kv.data;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The shape of sampled expressions.
 *
 * @param minOperands fewest operands, at least 1; the paper's is 3
 * @param maxOperands most operands, at most {@value #MAX_OPERANDS}; the paper's is 6
 * @param operators the operators drawn uniformly between operands, non-empty, no repeats
 * @param results which results are kept: {@link ResultRange#ANY} (the paper's) or only
 *     non-negative ones, the others drawn again
 */
public record ExpressionSettings(int minOperands, int maxOperands, List<Operator> operators, ResultRange results) {

    /** Upper bound on {@code maxOperands}, to keep sequences short enough for small models. */
    public static final int MAX_OPERANDS = 32;

    /**
     * Checks the ranges, naming the field that is wrong.
     *
     * @param minOperands fewest operands, at least 1; the paper's is 3
     * @param maxOperands most operands, at most {@value #MAX_OPERANDS}; the paper's is 6
     * @param operators the operators drawn uniformly between operands, non-empty, no repeats
     * @param results which results are kept, not null
     */
    public ExpressionSettings {
        if (minOperands < 1 || minOperands > maxOperands || maxOperands > MAX_OPERANDS) {
            throw new IllegalArgumentException("operand counts need 1 <= minOperands <= maxOperands <= "
                    + MAX_OPERANDS + ", got minOperands=" + minOperands + ", maxOperands=" + maxOperands);
        }
        if (operators == null || operators.isEmpty()) {
            throw new IllegalArgumentException("operators must name at least one of " + EnumSet.allOf(Operator.class));
        }
        operators = List.copyOf(operators);
        Objects.requireNonNull(results, "results");
        if (EnumSet.copyOf(operators).size() != operators.size()) {
            throw new IllegalArgumentException("operators must not repeat, got " + operators);
        }
    }

    /**
     * Settings that keep every result.
     *
     * @param minOperands fewest operands, at least 1
     * @param maxOperands most operands, at most {@value #MAX_OPERANDS}
     * @param operators the operators drawn uniformly between operands, non-empty, no repeats
     */
    public ExpressionSettings(int minOperands, int maxOperands, List<Operator> operators) {
        this(minOperands, maxOperands, operators, ResultRange.ANY);
    }

    /**
     * Returns the defaults: 3 to 6 operands, + and -, any result.
     *
     * @return the default settings
     */
    public static ExpressionSettings defaults() {
        return new ExpressionSettings(3, 6, List.of(Operator.PLUS, Operator.MINUS));
    }
}
