package calm.kv.data;

/**
 * Which expression results a dataset keeps. The paper does not restrict them; keeping only
 * non-negative ones lets every answer be written without a sign, so that with
 * {@link DigitOrder#LEAST_SIGNIFICANT_FIRST} each answer digit follows from the operands' digits at
 * the same place and the carry, with nothing to decide before the first digit.
 */
public enum ResultRange {
    /** Every drawn expression is kept; results may be negative. */
    ANY,
    /** An expression whose result is negative is drawn again. */
    NON_NEGATIVE;

    /**
     * @param result an expression's value
     * @return whether an expression with this value is kept
     */
    public boolean admits(long result) {
        return this == ANY || result >= 0;
    }
}
