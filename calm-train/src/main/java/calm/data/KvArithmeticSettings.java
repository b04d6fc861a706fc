package calm.data;

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
 */
public record KvArithmeticSettings(int numKeys, double compositionFraction, ExpressionSettings expressions,
        DigitOrder digitOrder, DatasetSizes sizes, boolean scratchpad) {

    /**
     * Checks the fields, naming any that is wrong.
     *
     * @param numKeys N, the number of keys (the paper's is 25,000)
     * @param compositionFraction the share of keys that D_C uses, in (0, 1) (the paper's is 0.2)
     * @param expressions operand counts and operators
     * @param digitOrder how numbers are written in every split
     * @param sizes examples per split
     * @param scratchpad whether to add the scratchpad splits beside the paper-format ones
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
    }

    /**
     * Returns the defaults: 1,000 keys, 20% for D_C, 3 to 6 operands with + and -, numbers written
     * most-significant digit first, {@link DatasetSizes#defaults()}, no scratchpad.
     *
     * @return the default settings
     */
    public static KvArithmeticSettings defaults() {
        return new KvArithmeticSettings(1_000, 0.2, ExpressionSettings.defaults(),
                DigitOrder.MOST_SIGNIFICANT_FIRST, DatasetSizes.defaults(), false);
    }

    /**
     * Returns these settings with another number of keys.
     *
     * @param n the number of keys
     * @return the changed copy
     */
    public KvArithmeticSettings withNumKeys(int n) {
        return new KvArithmeticSettings(n, compositionFraction, expressions, digitOrder, sizes, scratchpad);
    }

    /**
     * Returns these settings with another digit order.
     *
     * @param order how numbers are written
     * @return the changed copy
     */
    public KvArithmeticSettings withDigitOrder(DigitOrder order) {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, order, sizes, scratchpad);
    }

    /**
     * Returns these settings with other split sizes.
     *
     * @param newSizes examples per split
     * @return the changed copy
     */
    public KvArithmeticSettings withSizes(DatasetSizes newSizes) {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, digitOrder, newSizes, scratchpad);
    }

    /**
     * Returns these settings with the scratchpad splits on or off.
     *
     * @param on whether to add the scratchpad splits
     * @return the changed copy
     */
    public KvArithmeticSettings withScratchpad(boolean on) {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, digitOrder, sizes, on);
    }
}
