package calm.eval.metric;

import java.util.List;

/**
 * A BLEU score with its parts, as sacrebleu's {@code BLEUScore} reports them.
 *
 * @param score BLEU, 0 to 100
 * @param precisions the (smoothed) n-gram precisions, 0 to 100, orders 1 up to the maximum
 * @param brevityPenalty the brevity penalty, 0 to 1
 * @param hypothesisLength the total hypothesis length in tokens
 * @param referenceLength the total length of the closest references in tokens
 */
public record BleuScore(double score, List<Double> precisions, double brevityPenalty,
        int hypothesisLength, int referenceLength) {

    /** Copies the precisions into an unmodifiable list. */
    public BleuScore {
        precisions = List.copyOf(precisions);
    }
}
