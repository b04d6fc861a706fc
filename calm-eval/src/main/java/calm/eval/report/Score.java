package calm.eval.report;

import calm.eval.stats.ConfidenceInterval;

/**
 * A metric's value with its bootstrap confidence interval, on the report's 0-100 scale (accuracy
 * and exact match in percent, chrF, BLEU and ROUGE-L as sacrebleu and rouge-score print them).
 *
 * <p>The interval's coverage and resampling are the report's {@link Results#bootstrap()}.
 *
 * @param value the metric on all examples
 * @param low the interval's lower bound
 * @param high the interval's upper bound
 */
public record Score(double value, double low, double high) {

    /** Validates that the numbers are finite and {@code low <= high}. */
    public Score {
        FieldChecks.finite("value", value);
        FieldChecks.finite("low", low);
        FieldChecks.finite("high", high);
        if (low > high) {
            throw new InvalidFieldException("low", "must be <= high, got low=" + low
                    + " and high=" + high);
        }
    }

    /**
     * Converts a bootstrap interval to the report's scale.
     *
     * @param interval the metric with its interval, from {@link calm.eval.stats.Bootstrap}
     * @param scale 100 for a metric computed as a fraction (exact-match accuracy), 1 for one
     *     already on a 0-100 scale (chrF, BLEU)
     * @return the scaled score
     */
    public static Score of(ConfidenceInterval interval, double scale) {
        return new Score(scale * interval.estimate(), scale * interval.lower(),
                scale * interval.upper());
    }
}
