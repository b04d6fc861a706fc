package calm.eval.metric;

import java.util.List;

/**
 * A corpus metric computed, as sacrebleu computes BLEU and chrF, from per-example sufficient
 * statistics that are summed over the corpus before the score is taken. A sentence score is the
 * score of a one-example corpus.
 */
public interface AdditiveMetric {

    /**
     * Returns one example's sufficient statistics.
     *
     * @param hypothesis the system output
     * @param references one or more reference outputs for this example
     * @return counts that add up over examples; the layout is the metric's own
     */
    int[] statistics(String hypothesis, List<String> references);

    /**
     * Returns the score from statistics summed over a corpus.
     *
     * @param summed the element-wise sum of {@link #statistics} over the examples
     * @return the score, 0 to 100 as sacrebleu reports it
     */
    double value(int[] summed);

    /**
     * Returns the score of a single example.
     *
     * @param hypothesis the system output
     * @param references one or more reference outputs
     * @return the sentence-level score
     */
    default double sentenceScore(String hypothesis, List<String> references) {
        return value(statistics(hypothesis, references));
    }

    /**
     * Extracts every example's statistics, ready for corpus scores and bootstrap resampling.
     *
     * @param hypotheses the system outputs
     * @param references for each hypothesis, its references (not sacrebleu's transposed layout)
     * @return the corpus's statistics
     */
    default CorpusStatistics corpus(List<String> hypotheses, List<List<String>> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("references must have one entry per hypothesis, got "
                    + references.size() + " for " + hypotheses.size());
        }
        int[][] perExample = new int[hypotheses.size()][];
        for (int i = 0; i < perExample.length; i++) {
            perExample[i] = statistics(hypotheses.get(i), references.get(i));
        }
        return new CorpusStatistics(this, perExample);
    }

    /**
     * Returns the corpus-level score.
     *
     * @param hypotheses the system outputs
     * @param references for each hypothesis, its references
     * @return the score of the summed statistics
     */
    default double corpusScore(List<String> hypotheses, List<List<String>> references) {
        return corpus(hypotheses, references).score();
    }
}
