package calm.eval.metric;

/**
 * A ROUGE score, as rouge-score's {@code Score} tuple.
 *
 * @param precision matched tokens over prediction tokens, 0 to 1
 * @param recall matched tokens over target tokens, 0 to 1
 * @param fmeasure their harmonic mean, 0 when both are 0
 */
public record RougeScore(double precision, double recall, double fmeasure) {

    /** Builds the score from precision and recall, with rouge-score's F-measure. */
    static RougeScore of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }
}
