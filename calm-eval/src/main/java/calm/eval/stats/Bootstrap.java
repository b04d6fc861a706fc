package calm.eval.stats;

import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Bootstrap resampling over examples: each resample draws {@code size()} example indices with
 * replacement and recomputes the corpus metric on them.
 *
 * <p>Intervals are percentile intervals; percentiles interpolate linearly between order
 * statistics ({@link EstimationType#R_7}, numpy's default, which rouge-score's
 * BootstrapAggregator uses). Resamples come from a Mersenne Twister seeded with {@link #seed}, so
 * a report is reproducible from its configuration; they are not numpy's, so intervals agree with
 * sacrebleu's in distribution, not digit for digit.
 *
 * @param resamples the number of bootstrap resamples, at least 1
 * @param seed the random seed
 * @param level the coverage of intervals, in (0, 1)
 */
public record Bootstrap(int resamples, long seed, double level) {

    /** 1000 resamples (as sacrebleu), seed 12345 (sacrebleu's SACREBLEU_SEED default), 95%. */
    public static final Bootstrap DEFAULT = new Bootstrap(1000, 12345L, 0.95);

    /** Validates the number of resamples and the level. */
    public Bootstrap {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must lie in (0, 1), got " + level);
        }
    }

    /** Returns this configuration with another number of resamples. */
    public Bootstrap withResamples(int resamples) {
        return new Bootstrap(resamples, seed, level);
    }

    /** Returns this configuration with another seed. */
    public Bootstrap withSeed(long seed) {
        return new Bootstrap(resamples, seed, level);
    }

    /**
     * Returns the percentile bootstrap interval of a metric.
     *
     * @param metric the metric, per-example or corpus-level
     * @return the metric on all examples with its interval
     */
    public ConfidenceInterval interval(IndexedMetric metric) {
        double[] scores = new double[resamples];
        RandomGenerator random = new MersenneTwister(seed);
        for (int b = 0; b < resamples; b++) {
            scores[b] = metric.score(resample(metric.size(), random));
        }
        return percentileInterval(metric.score(), scores);
    }

    /**
     * Compares system X with system Y on the same examples by paired bootstrap resampling, as
     * sacrebleu's {@code --paired-bs} and Moses' bootstrap-hypothesis-difference-significance.pl
     * (Koehn 2004; p-value after Riezler and Maxwell 2005).
     *
     * <p>Both systems are scored on the same resamples. The p-value shifts the resampled absolute
     * differences to mean zero, as a stand-in for the null distribution, and counts how often they
     * reach the observed absolute difference: {@code p = (#{|d_b| - mean|d| >= |d|} + 1) / (B +
     * 1)}. The +1s are sacrebleu's; the {@code >=} is Moses'. sacrebleu counts with {@code >},
     * which differs only on exact ties but gives two identical systems {@code p = 1 / (B + 1)}
     * instead of 1.
     *
     * @param x the metric of system X
     * @param y the metric of system Y, on the same examples in the same order
     * @return the difference X minus Y, its interval and the p-value
     */
    public PairedComparison compare(IndexedMetric x, IndexedMetric y) {
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("x and y must score the same examples, got sizes "
                    + x.size() + " and " + y.size());
        }
        double observed = x.score() - y.score();
        double[] differences = new double[resamples];
        RandomGenerator random = new MersenneTwister(seed);
        for (int b = 0; b < resamples; b++) {
            int[] indices = resample(x.size(), random);
            differences[b] = x.score(indices) - y.score(indices);
        }
        double[] absolute = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            absolute[b] = Math.abs(differences[b]);
        }
        double meanAbsolute = StatUtils.mean(absolute);
        int atLeastObserved = 0;
        for (double d : absolute) {
            if (d - meanAbsolute >= Math.abs(observed)) {
                atLeastObserved++;
            }
        }
        double pValue = (atLeastObserved + 1.0) / (resamples + 1.0);
        return new PairedComparison(observed, StatUtils.mean(differences),
                percentileInterval(observed, differences), pValue);
    }

    private static int[] resample(int size, RandomGenerator random) {
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = random.nextInt(size);
        }
        return indices;
    }

    private ConfidenceInterval percentileInterval(double estimate, double[] scores) {
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
        percentile.setData(scores);
        double tail = 100 * (1 - level) / 2;
        return new ConfidenceInterval(estimate, percentile.evaluate(tail),
                percentile.evaluate(100 - tail), level, resamples);
    }
}
