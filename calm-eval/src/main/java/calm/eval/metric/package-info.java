/**
 * Text metrics that reproduce their reference implementations: exact match, chrF and BLEU as
 * sacrebleu 2.x computes them, and ROUGE-L as Google's rouge-score package computes it.
 *
 * <p>Corpus metrics built from per-example statistics ({@link calm.eval.metric.AdditiveMetric})
 * and per-example metrics both become {@link calm.eval.stats.IndexedMetric}s, so the bootstrap
 * in {@code calm.eval.stats} can resample them.
 */
package calm.eval.metric;
