package calm.eval.stats;

/**
 * The result of a paired bootstrap comparison of system X against system Y on the same examples.
 *
 * <p>X beats Y at level alpha when {@code observedDifference > 0} and {@code pValue < alpha}.
 *
 * @param observedDifference X's score minus Y's score on the full set of examples
 * @param meanDifference the mean of X minus Y over the bootstrap resamples
 * @param difference the percentile interval of X minus Y over the resamples; its estimate is
 *     {@code observedDifference}
 * @param pValue the probability, under "both systems are the same", of a difference at least as
 *     large in absolute value as the one observed
 */
public record PairedComparison(double observedDifference, double meanDifference,
        ConfidenceInterval difference, double pValue) {
}
