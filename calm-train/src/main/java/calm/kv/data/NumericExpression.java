package calm.kv.data;

import java.util.List;

/**
 * An arithmetic expression over non-negative integers, such as {@code 10+22-24}.
 *
 * @param operands the numbers, left to right, each at least 0 (a negative operand would read as a
 *     second operator)
 * @param operators the operators between consecutive operands, one fewer than the operands
 */
public record NumericExpression(List<Integer> operands, List<Operator> operators) {

    /**
     * Copies the lists and checks them.
     *
     * @param operands the numbers, left to right, each at least 0 (a negative operand would read as a
     *     second operator)
     * @param operators the operators between consecutive operands, one fewer than the operands
     */
    public NumericExpression {
        operands = List.copyOf(operands);
        operators = List.copyOf(operators);
        if (operands.isEmpty() || operators.size() != operands.size() - 1) {
            throw new IllegalArgumentException("an expression of " + operands.size() + " operands needs "
                    + Math.max(0, operands.size() - 1) + " operators, got " + operators.size());
        }
        for (int operand : operands) {
            if (operand < 0) {
                throw new IllegalArgumentException("operands must be at least 0, got " + operand);
            }
        }
    }

    /**
     * Computes the value, left to right (+ and - have the same precedence).
     *
     * @return the result, which may be negative
     */
    public long evaluate() {
        long result = operands.get(0);
        for (int i = 0; i < operators.size(); i++) {
            result = operators.get(i).apply(result, operands.get(i + 1));
        }
        return result;
    }

    /**
     * Writes the expression without spaces, each number in the given digit order.
     *
     * @param order how numbers are written
     * @return e.g. {@code 10+22-24}, or {@code 01+22-42} least-significant first
     */
    public String render(DigitOrder order) {
        return render(order, 0);
    }

    /**
     * Writes the expression without spaces, each number in the given digit order and width.
     *
     * @param order how numbers are written
     * @param width the fewest digits of each number ({@link DigitOrder#write(long, int)}), 0 for none added
     * @return e.g. {@code 010+022-024} in width 3
     */
    public String render(DigitOrder order, int width) {
        StringBuilder text = new StringBuilder(order.write(operands.get(0), width));
        for (int i = 0; i < operators.size(); i++) {
            text.append(operators.get(i).symbol()).append(order.write(operands.get(i + 1), width));
        }
        return text.toString();
    }
}
