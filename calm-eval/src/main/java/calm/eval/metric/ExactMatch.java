package calm.eval.metric;

import calm.eval.stats.IndexedMetric;
import java.util.List;

/**
 * Exact-match accuracy: an example scores 1 when the prediction equals the reference, else 0.
 *
 * <p>The only normalisation is that trailing whitespace is removed from both strings first
 * ({@link String#stripTrailing()}: spaces, tabs, line breaks), so a generation that ends in a
 * newline or stop-padding still matches. Case, inner and leading whitespace and punctuation count.
 */
public final class ExactMatch {

    private ExactMatch() {
    }

    /**
     * Scores one example.
     *
     * @param prediction the system output
     * @param reference the expected output
     * @return 1 if they match after trailing whitespace is removed, else 0
     */
    public static double score(String prediction, String reference) {
        return prediction.stripTrailing().equals(reference.stripTrailing()) ? 1.0 : 0.0;
    }

    /**
     * Scores every example.
     *
     * @param predictions the system outputs
     * @param references the expected outputs, one per prediction
     * @return the 0/1 outcome of each example, for accuracy, intervals and McNemar's test
     */
    public static double[] perExample(List<String> predictions, List<String> references) {
        if (predictions.size() != references.size()) {
            throw new IllegalArgumentException("references must have one entry per prediction, got "
                    + references.size() + " for " + predictions.size());
        }
        double[] outcomes = new double[predictions.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = score(predictions.get(i), references.get(i));
        }
        return outcomes;
    }

    /**
     * Returns accuracy as a resamplable metric: the mean of the per-example outcomes.
     *
     * @param predictions the system outputs
     * @param references the expected outputs, one per prediction
     * @return the accuracy metric over these examples
     */
    public static IndexedMetric accuracy(List<String> predictions, List<String> references) {
        return IndexedMetric.mean(perExample(predictions, references));
    }
}
