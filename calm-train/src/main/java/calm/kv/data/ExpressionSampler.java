package calm.kv.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random expressions: an operand count uniform in the settings' range, operands uniform
 * (with replacement), then each operator uniform among the settings' operators.
 */
public final class ExpressionSampler {

    private final ExpressionSettings settings;
    private final SplittableRandom random;

    /**
     * Creates a sampler.
     *
     * @param settings operand counts and operators
     * @param seed the seed; the same seed gives the same sequence of expressions
     */
    public ExpressionSampler(ExpressionSettings settings, long seed) {
        this.settings = settings;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Draws an expression over keys.
     *
     * @param pool the keys to draw from, non-empty
     * @return the next expression
     */
    public KeyExpression sampleKeys(List<String> pool) {
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("cannot draw keys from an empty pool");
        }
        int count = operandCount();
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(pool.get(random.nextInt(pool.size())));
        }
        return new KeyExpression(keys, operators(count));
    }

    /**
     * Draws an expression over numbers.
     *
     * @param maxValue operands are uniform in [1, maxValue]; for Numeric-Arithmetic this is N, so
     *     the operands are distributed as the values of a uniformly drawn key expression
     * @return the next expression
     */
    public NumericExpression sampleNumbers(int maxValue) {
        if (maxValue < 1) {
            throw new IllegalArgumentException("maxValue must be at least 1, got " + maxValue);
        }
        int count = operandCount();
        List<Integer> operands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            operands.add(random.nextInt(1, maxValue + 1));
        }
        return new NumericExpression(operands, operators(count));
    }

    private int operandCount() {
        return random.nextInt(settings.minOperands(), settings.maxOperands() + 1);
    }

    private List<Operator> operators(int operandCount) {
        List<Operator> choices = settings.operators();
        List<Operator> operators = new ArrayList<>(operandCount - 1);
        for (int i = 1; i < operandCount; i++) {
            operators.add(choices.get(random.nextInt(choices.size())));
        }
        return operators;
    }
}
