package calm.kv.data;

import java.util.Objects;

/**
 * Everything that, with a seed, determines the key-value arithmetic datasets.
 *
 * @param numKeys N, the number of keys (the paper's is 25,000)
 * @param compositionFraction the share of keys that D_C uses, in (0, 1) (the paper's is 0.2)
 * @param expressions operand counts and operators
 * @param digitOrder how numbers are written in every split
 * @param sizes examples per split
 * @param scratchpad whether to add the scratchpad splits beside the paper-format ones
 * @param numberWidth 0 to write numbers with their natural digits (the paper's), or the fixed number
 *     of digits of every number, zero-filled; at least the digits of the largest result
 */
public record KvArithmeticSettings(int numKeys, double compositionFraction, ExpressionSettings expressions,
        DigitOrder digitOrder, DatasetSizes sizes, boolean scratchpad, int numberWidth) {

    /** Upper bound on {@code numberWidth}. */
    public static final int MAX_NUMBER_WIDTH = 18;

    /**
     * Checks the fields, naming any that is wrong.
     *
     * @param numKeys N, the number of keys (the paper's is 25,000)
     * @param compositionFraction the share of keys that D_C uses, in (0, 1) (the paper's is 0.2)
     * @param expressions operand counts and operators
     * @param digitOrder how numbers are written in every split
     * @param sizes examples per split
     * @param scratchpad whether to add the scratchpad splits beside the paper-format ones
     * @param numberWidth 0, or the fixed number of digits of every number
     */
    public KvArithmeticSettings {
        if (numKeys < 2 || numKeys > KeyValueStore.MAX_SIZE) {
            throw new IllegalArgumentException("numKeys must be in [2, " + KeyValueStore.MAX_SIZE + "], got " + numKeys);
        }
        if (!(compositionFraction > 0 && compositionFraction < 1)) {
            throw new IllegalArgumentException("compositionFraction must be in (0, 1), got " + compositionFraction);
        }
        Objects.requireNonNull(expressions, "expressions");
        Objects.requireNonNull(digitOrder, "digitOrder");
        Objects.requireNonNull(sizes, "sizes");
        long largest = (long) expressions.maxOperands() * numKeys;
        int needed = Long.toString(largest).length();
        if (numberWidth != 0 && (numberWidth < needed || numberWidth > MAX_NUMBER_WIDTH)) {
            throw new IllegalArgumentException("numberWidth must be 0 (natural widths) or in [" + needed + ", "
                    + MAX_NUMBER_WIDTH + "]: " + needed + " digits hold the largest result, " + expressions.maxOperands()
                    + " operands x " + numKeys + " = " + largest + "; got " + numberWidth);
        }
    }

    /**
     * Settings that write numbers with their natural digits.
     *
     * @param numKeys N, the number of keys
     * @param compositionFraction the share of keys that D_C uses, in (0, 1)
     * @param expressions operand counts and operators
     * @param digitOrder how numbers are written in every split
     * @param sizes examples per split
     * @param scratchpad whether to add the scratchpad splits beside the paper-format ones
     */
    public KvArithmeticSettings(int numKeys, double compositionFraction, ExpressionSettings expressions,
            DigitOrder digitOrder, DatasetSizes sizes, boolean scratchpad) {
        this(numKeys, compositionFraction, expressions, digitOrder, sizes, scratchpad, 0);
    }

    /**
     * Returns the defaults: 1,000 keys, 20% for D_C, 3 to 6 operands with + and -, numbers written
     * most-significant digit first with natural widths, {@link DatasetSizes#defaults()}, no scratchpad.
     *
     * @return the default settings
     */
    public static KvArithmeticSettings defaults() {
        return new KvArithmeticSettings(1_000, 0.2, ExpressionSettings.defaults(),
                DigitOrder.MOST_SIGNIFICANT_FIRST, DatasetSizes.defaults(), false, 0);
    }

    /**
     * Returns these settings with another number of keys.
     *
     * @param n the number of keys
     * @return the changed copy
     */
    public KvArithmeticSettings withNumKeys(int n) {
        return new KvArithmeticSettings(n, compositionFraction, expressions, digitOrder, sizes, scratchpad, numberWidth);
    }

    /**
     * Returns these settings with another digit order.
     *
     * @param order how numbers are written
     * @return the changed copy
     */
    public KvArithmeticSettings withDigitOrder(DigitOrder order) {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, order, sizes, scratchpad, numberWidth);
    }

    /**
     * Returns these settings with another number width.
     *
     * @param width 0, or the fixed number of digits of every number
     * @return the changed copy
     */
    public KvArithmeticSettings withNumberWidth(int width) {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, digitOrder, sizes, scratchpad, width);
    }

    /**
     * Returns these settings with other split sizes.
     *
     * @param newSizes examples per split
     * @return the changed copy
     */
    public KvArithmeticSettings withSizes(DatasetSizes newSizes) {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, digitOrder, newSizes, scratchpad, numberWidth);
    }

    /**
     * Returns these settings with the scratchpad splits on or off.
     *
     * @param on whether to add the scratchpad splits
     * @return the changed copy
     */
    public KvArithmeticSettings withScratchpad(boolean on) {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, digitOrder, sizes, on, numberWidth);
    }
}
