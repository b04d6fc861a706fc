package calm.eval.metric;

import calm.eval.stats.IndexedMetric;
import java.util.stream.IntStream;

/**
 * The per-example sufficient statistics of one system on one corpus. Scoring a multiset of
 * examples sums their statistics and applies the metric, so a bootstrap resample costs one pass
 * over the sampled rows rather than re-reading any text.
 */
public final class CorpusStatistics implements IndexedMetric {

    private final AdditiveMetric metric;
    private final int[][] perExample;

    CorpusStatistics(AdditiveMetric metric, int[][] perExample) {
        if (perExample.length == 0) {
            throw new IllegalArgumentException("a corpus must hold at least one example, got none");
        }
        this.metric = metric;
        this.perExample = perExample;
    }

    @Override
    public int size() {
        return perExample.length;
    }

    @Override
    public double score(int[] exampleIndices) {
        return metric.value(sum(exampleIndices));
    }

    /** Returns the element-wise sum of every example's statistics. */
    public int[] total() {
        return sum(IntStream.range(0, perExample.length).toArray());
    }

    /**
     * Returns the element-wise sum of the statistics of the given examples.
     *
     * @param exampleIndices indices into the corpus; an index may repeat
     * @return the summed statistics, in the metric's layout
     */
    public int[] sum(int[] exampleIndices) {
        int[] total = new int[perExample[0].length];
        for (int i : exampleIndices) {
            int[] row = perExample[i];
            for (int k = 0; k < total.length; k++) {
                total[k] += row[k];
            }
        }
        return total;
    }
}
