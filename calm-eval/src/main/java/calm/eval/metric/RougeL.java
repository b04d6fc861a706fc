package calm.eval.metric;

import calm.eval.stats.IndexedMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * ROUGE-L (Lin 2004) as Google's rouge-score package computes {@code rougeL}: the longest common
 * subsequence of the token sequences, over the prediction's length (precision) and the target's
 * (recall), combined into F1.
 *
 * <p>Tokens come from rouge-score's default tokenizer without stemming: lowercase, replace every
 * run of characters other than {@code a-z0-9} by a space, split on spaces. Non-ASCII letters are
 * therefore dropped, as in the reference. A corpus score is the mean of the per-example scores,
 * as rouge-score's aggregator reports it.
 */
public final class RougeL {

    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

    private RougeL() {
    }

    /**
     * Scores one prediction against its target. Note the order: rouge-score's
     * {@code score(target, prediction)} takes the target first.
     *
     * @param prediction the system output
     * @param target the reference text
     * @return precision, recall and F-measure; all 0 when either side has no tokens
     */
    public static RougeScore score(String prediction, String target) {
        List<String> predictionTokens = tokenize(prediction);
        List<String> targetTokens = tokenize(target);
        if (predictionTokens.isEmpty() || targetTokens.isEmpty()) {
            return new RougeScore(0, 0, 0);
        }
        int lcs = lcsLength(targetTokens, predictionTokens);
        return RougeScore.of((double) lcs / predictionTokens.size(),
                (double) lcs / targetTokens.size());
    }

    /**
     * Scores every example.
     *
     * @param predictions the system outputs
     * @param targets the reference texts, one per prediction
     * @return the score of each example
     */
    public static List<RougeScore> perExample(List<String> predictions, List<String> targets) {
        if (predictions.size() != targets.size()) {
            throw new IllegalArgumentException("targets must have one entry per prediction, got "
                    + targets.size() + " for " + predictions.size());
        }
        List<RougeScore> scores = new ArrayList<>(predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            scores.add(score(predictions.get(i), targets.get(i)));
        }
        return scores;
    }

    /**
     * Returns the mean ROUGE-L F-measure as a resamplable metric.
     *
     * @param predictions the system outputs
     * @param targets the reference texts, one per prediction
     * @return the mean F-measure over these examples, 0 to 1
     */
    public static IndexedMetric fmeasure(List<String> predictions, List<String> targets) {
        return IndexedMetric.mean(perExample(predictions, targets).stream()
                .mapToDouble(RougeScore::fmeasure).toArray());
    }

    /** rouge-score's default tokenizer without stemming. */
    static List<String> tokenize(String text) {
        String spaced = NON_ALPHANUMERIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        List<String> tokens = new ArrayList<>();
        for (String piece : spaced.split(" ")) {
            if (!piece.isEmpty()) {
                tokens.add(piece);
            }
        }
        return tokens;
    }

    /** The LCS length by dynamic programming, keeping one row of the table. */
    private static int lcsLength(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String tokenA : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = tokenA.equals(b.get(j - 1))
                        ? previous[j - 1] + 1
                        : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
