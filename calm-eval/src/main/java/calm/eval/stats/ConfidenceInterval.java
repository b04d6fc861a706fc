package calm.eval.stats;

/**
 * A point estimate with a bootstrap confidence interval around it.
 *
 * @param estimate the value on the full (not resampled) set of examples
 * @param lower the lower percentile bound
 * @param upper the upper percentile bound
 * @param level the coverage, e.g. 0.95
 * @param resamples the number of bootstrap resamples behind the bounds
 */
public record ConfidenceInterval(double estimate, double lower, double upper, double level,
        int resamples) {

    /** Validates that the bounds are ordered and the level lies in (0, 1). */
    public ConfidenceInterval {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException(
                    "lower must be <= upper, got " + lower + " > " + upper);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must lie in (0, 1), got " + level);
        }
    }

    /** Returns {@code upper - lower}. */
    public double width() {
        return upper - lower;
    }

    /** Returns whether {@code value} lies within the closed interval. */
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }
}
