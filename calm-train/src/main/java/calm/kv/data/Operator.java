package calm.kv.data;

/**
 * The arithmetic operators of the expressions.
 *
 * <p>The paper also uses multiplication; it is left out here (see {@code datasets/README.md}).
 */
public enum Operator {
    /** Addition. */
    PLUS('+'),
    /** Subtraction. */
    MINUS('-');

    private final char symbol;

    Operator(char symbol) {
        this.symbol = symbol;
    }

    /**
     * Returns the character written for this operator.
     *
     * @return {@code '+'} or {@code '-'}
     */
    public char symbol() {
        return symbol;
    }

    /**
     * Applies the operator.
     *
     * @param left the left operand
     * @param right the right operand
     * @return {@code left + right} or {@code left - right}
     */
    public long apply(long left, long right) {
        return this == PLUS ? left + right : left - right;
    }
}
