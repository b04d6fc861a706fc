package calm.kv.data;

/**
 * How numbers are written: most-significant digit first (the usual way, the paper's) or
 * least-significant digit first.
 *
 * <p>Least-significant-first lets a left-to-right model produce each digit of a sum after the digits
 * it depends on (the carries come from the right), which small transformers learn far more easily.
 * The sign is written first in both orders: {@code -123} is {@code "-123"} or {@code "-321"}.
 */
public enum DigitOrder {
    /** {@code 120} is written {@code "120"}. */
    MOST_SIGNIFICANT_FIRST,
    /** {@code 120} is written {@code "021"}. */
    LEAST_SIGNIFICANT_FIRST;

    /**
     * Writes a number in this order.
     *
     * @param value any number
     * @return its digits in this order, after a {@code '-'} if negative
     */
    public String write(long value) {
        return write(value, 0);
    }

    /**
     * Writes a number in this order with at least {@code width} digits, zeros filling the most
     * significant places: 7 in width 3 is {@code "007"}, or {@code "700"} least-significant first.
     *
     * @param value any number
     * @param width the fewest digits, 0 for none added
     * @return its digits in this order, after a {@code '-'} if negative
     */
    public String write(long value, int width) {
        String decimal = Long.toString(value);
        boolean negative = decimal.startsWith("-");
        String digits = negative ? decimal.substring(1) : decimal;
        if (digits.length() < width) {
            digits = "0".repeat(width - digits.length()) + digits;
        }
        if (this == LEAST_SIGNIFICANT_FIRST) {
            digits = new StringBuilder(digits).reverse().toString();
        }
        return negative ? "-" + digits : digits;
    }

    /**
     * Reads a number written by {@link #write}; only that canonical form is accepted.
     *
     * @param text an optional {@code '-'} then digits, with no zero at the most significant end
     *     (except the number 0 itself) and no {@code "-0"}
     * @return the number
     * @throws IllegalArgumentException if the text is not a canonical number in this order
     */
    public long read(String text) {
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + text + "\" is not a number: expected an optional '-' then digits");
        }
        if (this == LEAST_SIGNIFICANT_FIRST) {
            digits = new StringBuilder(digits).reverse().toString();
        }
        if ((digits.length() > 1 && digits.charAt(0) == '0') || (negative && digits.equals("0"))) {
            throw new IllegalArgumentException("\"" + text + "\" is not in canonical " + this + " form");
        }
        try {
            return Long.parseLong(negative ? "-" + digits : digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is out of range for a long", e);
        }
    }
}
