package calm.eval.stats;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A corpus-level metric that can be recomputed on any multiset of its examples.
 *
 * <p>Bootstrap resampling draws example indices with replacement and asks the metric for its
 * value on that resample; a corpus metric such as BLEU recomputes from the summed per-example
 * statistics, a per-example metric such as exact match takes the mean.
 */
public interface IndexedMetric {

    /** Returns the number of examples, so valid indices are {@code 0 .. size() - 1}. */
    int size();

    /**
     * Returns the metric over the examples at the given indices; an index may repeat.
     *
     * @param exampleIndices indices into the examples, each in {@code [0, size())}
     * @return the corpus-level value on that multiset of examples
     */
    double score(int[] exampleIndices);

    /** Returns the metric over all examples, once each. */
    default double score() {
        return score(IntStream.range(0, size()).toArray());
    }

    /**
     * Returns the metric whose corpus value is the mean of per-example values (exact match, ROUGE-L
     * F-measure as rouge-score aggregates it).
     *
     * @param perExample one value per example; copied
     * @return the mean-of-examples metric
     */
    static IndexedMetric mean(double[] perExample) {
        if (perExample.length == 0) {
            throw new IllegalArgumentException("perExample must hold at least one value, got none");
        }
        double[] values = Arrays.copyOf(perExample, perExample.length);
        return new IndexedMetric() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public double score(int[] exampleIndices) {
                double sum = 0;
                for (int i : exampleIndices) {
                    sum += values[i];
                }
                return sum / exampleIndices.length;
            }
        };
    }
}
