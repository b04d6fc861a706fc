package calm.kv;

import calm.kv.data.DatasetSizes;
import calm.kv.data.DigitOrder;
import calm.kv.data.ExpressionSettings;
import calm.kv.data.KvArithmeticSettings;
import calm.train.experiment.ExperimentData;

/**
 * The key-value arithmetic data: {@link KvArithmeticSettings} and the seed they are built with.
 *
 * @param seed the data seed; the same settings and seed give the same data
 * @param numKeys N, the number of keys
 * @param compositionFraction the share of keys D_C uses, in (0, 1)
 * @param expressions operand counts and operators
 * @param digitOrder how numbers are written
 * @param sizes examples per split
 * @param scratchpad whether to build the scratchpad splits too
 * @param numberWidth 0 for natural widths, or the fixed number of digits of every number
 */
public record KvDataConfig(long seed, int numKeys, double compositionFraction, ExpressionSettings expressions,
        DigitOrder digitOrder, DatasetSizes sizes, boolean scratchpad, int numberWidth) implements ExperimentData {

    /** Checks the fields by building the settings. */
    public KvDataConfig {
        new KvArithmeticSettings(numKeys, compositionFraction, expressions, digitOrder, sizes, scratchpad, numberWidth);
    }

    /** @return {@link KvArithmeticSettings#defaults()} with seed 2401 */
    public static KvDataConfig defaults() {
        KvArithmeticSettings settings = KvArithmeticSettings.defaults();
        return new KvDataConfig(2401, settings.numKeys(), settings.compositionFraction(), settings.expressions(),
                settings.digitOrder(), settings.sizes(), settings.scratchpad(), settings.numberWidth());
    }

    /** @return the settings the datasets are built from */
    public KvArithmeticSettings settings() {
        return new KvArithmeticSettings(numKeys, compositionFraction, expressions, digitOrder, sizes, scratchpad, numberWidth);
    }
}
