package calm.eval.metric;

/**
 * sacrebleu's BLEU smoothing methods, from Chen and Cherry (2014), "A Systematic Comparison of
 * Smoothing Techniques for Sentence-Level BLEU".
 */
public enum BleuSmoothing {

    /** No smoothing: an order without matches makes the score 0. */
    NONE(0),

    /** Method 1: an order without matches gets precision {@code value / total}; default 0.1. */
    FLOOR(0.1),

    /** Method 2: add {@code value} to matches and totals of orders 2 and up; default 1. */
    ADD_K(1),

    /** Method 3, NIST's (mteval-v13a): the k-th order without matches gets 1 / (2^k total). */
    EXP(0);

    private final double defaultValue;

    BleuSmoothing(double defaultValue) {
        this.defaultValue = defaultValue;
    }

    /** Returns sacrebleu's default smoothing value for this method (unused by NONE and EXP). */
    public double defaultValue() {
        return defaultValue;
    }
}
