package calm.eval.task;

import calm.eval.stats.IndexedMetric;
import java.util.List;

/**
 * A task's metric: how a system's outputs on the task's examples score, as a metric that bootstrap
 * resampling can recompute on any multiset of examples (per-example means and corpus metrics such
 * as chrF and BLEU alike).
 */
public interface TaskMetric {

    /** @return its name in reports and results.json, e.g. {@code accuracy} or {@code chrF} */
    String name();

    /**
     * @return the factor to the report's 0-100 scale: 100 for a fraction (accuracy), 1 for a
     *     metric already on that scale (chrF, BLEU)
     */
    double scale();

    /**
     * @return whether each example scores 0 or 1 (so McNemar's exact test compares two systems);
     *     false for graded and corpus metrics, compared by the paired bootstrap alone
     */
    boolean binary();

    /**
     * @param outputs each example's output, in example order
     * @param expected each example's expected text
     * @param stopped whether each output ended with the stop token (else it ran out of budget)
     * @return the metric over these examples
     */
    IndexedMetric score(List<String> outputs, List<String> expected, boolean[] stopped);
}
