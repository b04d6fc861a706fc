package calm.train.config;

/**
 * How {@code calm eval} and {@code calm run} score the systems.
 *
 * @param examples examples of each held-out split scored (0 = all of them)
 * @param batchSize prompts generated together
 * @param bootstrapResamples resamples behind every interval and paired comparison
 * @param bootstrapSeed the seed of the resampling
 * @param confidenceLevel the coverage of every interval
 */
public record EvaluationConfig(int examples, int batchSize, int bootstrapResamples, long bootstrapSeed,
        double confidenceLevel) {

    /** Checks the fields. */
    public EvaluationConfig {
        if (examples < 0 || examples > 10_000_000) {
            throw new IllegalArgumentException("examples must be in [0, 10000000] (0 = the whole split), got " + examples);
        }
        if (batchSize < 1 || batchSize > 65_536) {
            throw new IllegalArgumentException("batchSize must be in [1, 65536], got " + batchSize);
        }
        if (bootstrapResamples < 1 || bootstrapResamples > 1_000_000) {
            throw new IllegalArgumentException("bootstrapResamples must be in [1, 1000000], got " + bootstrapResamples);
        }
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("confidenceLevel must be in (0, 1), got " + confidenceLevel);
        }
    }

    /** @return every example, batches of 64, 1,000 resamples with seed 12345, 95% intervals */
    public static EvaluationConfig defaults() {
        return new EvaluationConfig(0, 64, 1000, 12345, 0.95);
    }
}
