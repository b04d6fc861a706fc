/**
 * Uncertainty and significance for evaluation results: percentile bootstrap confidence intervals,
 * the paired bootstrap test (as in sacrebleu's {@code --paired-bs}) and the exact McNemar test.
 *
 * <p>Every procedure works on an {@link calm.eval.stats.IndexedMetric}: a corpus-level metric that
 * can be recomputed on any multiset of example indices, which is what resampling needs.
 */
package calm.eval.stats;
