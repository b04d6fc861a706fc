package calm.eval.metric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BLEU (Papineni et al. 2002) exactly as sacrebleu 2.x's {@code BLEU} computes it.
 *
 * <p>Each segment is right-stripped, optionally lowercased and tokenized ({@link BleuTokenizer});
 * tokens are the whitespace-separated pieces. Per example: the hypothesis length, the length of
 * the reference closest to it (the shorter on ties), and for each order n the clipped n-gram
 * matches (counts clipped by the maximum count over the references) and the hypothesis n-gram
 * total. A corpus score sums these first, then takes the brevity penalty times the geometric mean
 * of the smoothed precisions. With {@link #effectiveOrder} the mean runs only over orders that
 * have hypothesis n-grams, which is what makes short sentences scorable.
 *
 * <p>Statistics layout: {@code [hyp_len, ref_len, correct_1..correct_N, total_1..total_N]}.
 *
 * @param tokenizer the tokenizer
 * @param smoothing the smoothing method
 * @param smoothValue the value for {@link BleuSmoothing#FLOOR} and {@link BleuSmoothing#ADD_K}
 * @param maxOrder the highest n-gram order, at least 1
 * @param effectiveOrder whether to stop at the highest order that has hypothesis n-grams
 * @param lowercase whether to lowercase before tokenizing
 */
public record Bleu(BleuTokenizer tokenizer, BleuSmoothing smoothing, double smoothValue,
        int maxOrder, boolean effectiveOrder, boolean lowercase) implements AdditiveMetric {

    /** sacrebleu's corpus BLEU defaults: 13a, exp smoothing, 4-grams, no effective order. */
    public static final Bleu CORPUS = new Bleu(BleuTokenizer.MTEVAL_13A, BleuSmoothing.EXP,
            BleuSmoothing.EXP.defaultValue(), 4, false, false);

    /** sacrebleu's {@code sentence_bleu} defaults: as {@link #CORPUS} with effective order. */
    public static final Bleu SENTENCE = CORPUS.withEffectiveOrder(true);

    /** sacrebleu floors log(0) to this rather than negative infinity. */
    private static final double LOG_ZERO = -9999999999.0;

    /** Validates the order and the smoothing value. */
    public Bleu {
        if (maxOrder < 1) {
            throw new IllegalArgumentException("maxOrder must be >= 1, got " + maxOrder);
        }
        if (!(smoothValue >= 0)) {
            throw new IllegalArgumentException("smoothValue must be >= 0, got " + smoothValue);
        }
    }

    /** Returns this configuration with another tokenizer. */
    public Bleu withTokenizer(BleuTokenizer tokenizer) {
        return new Bleu(tokenizer, smoothing, smoothValue, maxOrder, effectiveOrder, lowercase);
    }

    /** Returns this configuration with another smoothing method at its default value. */
    public Bleu withSmoothing(BleuSmoothing smoothing) {
        return withSmoothing(smoothing, smoothing.defaultValue());
    }

    /** Returns this configuration with another smoothing method and value. */
    public Bleu withSmoothing(BleuSmoothing smoothing, double smoothValue) {
        return new Bleu(tokenizer, smoothing, smoothValue, maxOrder, effectiveOrder, lowercase);
    }

    /** Returns this configuration with another maximum order. */
    public Bleu withMaxOrder(int maxOrder) {
        return new Bleu(tokenizer, smoothing, smoothValue, maxOrder, effectiveOrder, lowercase);
    }

    /** Returns this configuration with or without effective order. */
    public Bleu withEffectiveOrder(boolean effectiveOrder) {
        return new Bleu(tokenizer, smoothing, smoothValue, maxOrder, effectiveOrder, lowercase);
    }

    /** Returns this configuration with or without lowercasing. */
    public Bleu withLowercase(boolean lowercase) {
        return new Bleu(tokenizer, smoothing, smoothValue, maxOrder, effectiveOrder, lowercase);
    }

    @Override
    public int[] statistics(String hypothesis, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("references must hold at least one reference");
        }
        List<Map<String, Integer>> maxRefCounts = new ArrayList<>();
        for (int n = 0; n < maxOrder; n++) {
            maxRefCounts.add(new HashMap<>());
        }
        int[] refLengths = new int[references.size()];
        for (int r = 0; r < refLengths.length; r++) {
            List<String> tokens = tokens(references.get(r));
            refLengths[r] = tokens.size();
            List<Map<String, Integer>> counts = ngrams(tokens);
            for (int n = 0; n < maxOrder; n++) {
                Map<String, Integer> maxCounts = maxRefCounts.get(n);
                counts.get(n).forEach((ngram, count) -> maxCounts.merge(ngram, count, Math::max));
            }
        }
        List<String> hypTokens = tokens(hypothesis);
        List<Map<String, Integer>> hypCounts = ngrams(hypTokens);
        int[] stats = new int[2 + 2 * maxOrder];
        stats[0] = hypTokens.size();
        stats[1] = closestLength(hypTokens.size(), refLengths);
        for (int n = 0; n < maxOrder; n++) {
            Map<String, Integer> refCounts = maxRefCounts.get(n);
            for (Map.Entry<String, Integer> entry : hypCounts.get(n).entrySet()) {
                int clip = refCounts.getOrDefault(entry.getKey(), 0);
                stats[2 + n] += Math.min(entry.getValue(), clip);
                stats[2 + maxOrder + n] += entry.getValue();
            }
        }
        return stats;
    }

    @Override
    public double value(int[] summed) {
        return score(summed).score();
    }

    /**
     * Computes BLEU from summed statistics, as sacrebleu's {@code BLEU.compute_bleu}.
     *
     * @param summed statistics in this metric's layout, summed over the corpus
     * @return the score and its parts
     */
    public BleuScore score(int[] summed) {
        int hypLength = summed[0];
        int refLength = summed[1];
        double[] correct = new double[maxOrder];
        double[] total = new double[maxOrder];
        boolean anyMatch = false;
        for (int n = 0; n < maxOrder; n++) {
            correct[n] = summed[2 + n];
            total[n] = summed[2 + maxOrder + n];
            anyMatch |= correct[n] > 0;
        }
        double brevityPenalty = 1.0;
        if (hypLength < refLength) {
            brevityPenalty = hypLength > 0 ? Math.exp(1 - (double) refLength / hypLength) : 0.0;
        }
        double[] precisions = new double[maxOrder];
        if (!anyMatch) {
            return result(0.0, precisions, brevityPenalty, hypLength, refLength);
        }
        double expSmoothing = 1;
        int order = maxOrder;
        for (int n = 0; n < maxOrder; n++) {
            if (smoothing == BleuSmoothing.ADD_K && n > 0) {
                correct[n] += smoothValue;
                total[n] += smoothValue;
            }
            if (total[n] == 0) {
                break;
            }
            if (effectiveOrder) {
                order = n + 1;
            }
            if (correct[n] > 0) {
                precisions[n] = 100 * correct[n] / total[n];
            } else if (smoothing == BleuSmoothing.EXP) {
                expSmoothing *= 2;
                precisions[n] = 100 / (expSmoothing * total[n]);
            } else if (smoothing == BleuSmoothing.FLOOR) {
                precisions[n] = 100 * smoothValue / total[n];
            }
        }
        double logSum = 0;
        for (int n = 0; n < order; n++) {
            logSum += precisions[n] == 0 ? LOG_ZERO : Math.log(precisions[n]);
        }
        double score = brevityPenalty * Math.exp(logSum / order);
        return result(score, precisions, brevityPenalty, hypLength, refLength);
    }

    /**
     * Scores one sentence with its parts; use {@link #SENTENCE} for sacrebleu's sentence_bleu.
     *
     * @param hypothesis the system output
     * @param references one or more references
     * @return the sentence-level score and its parts
     */
    public BleuScore sentenceBleu(String hypothesis, List<String> references) {
        return score(statistics(hypothesis, references));
    }

    /**
     * Scores a corpus with its parts.
     *
     * @param hypotheses the system outputs
     * @param references for each hypothesis, its references
     * @return the corpus-level score and its parts
     */
    public BleuScore corpusBleu(List<String> hypotheses, List<List<String>> references) {
        return score(corpus(hypotheses, references).total());
    }

    private List<String> tokens(String segment) {
        String text = lowercase ? segment.toLowerCase(Locale.ROOT) : segment;
        return PythonWhitespace.split(tokenizer.tokenize(PythonWhitespace.stripTrailing(text)));
    }

    private List<Map<String, Integer>> ngrams(List<String> tokens) {
        List<Map<String, Integer>> byOrder = new ArrayList<>(maxOrder);
        for (int n = 1; n <= maxOrder; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
            }
            byOrder.add(counts);
        }
        return byOrder;
    }

    /** The reference length closest to the hypothesis length, the shorter one on ties. */
    private static int closestLength(int hypLength, int[] refLengths) {
        int best = refLengths[0];
        for (int length : refLengths) {
            int diff = Math.abs(hypLength - length);
            int bestDiff = Math.abs(hypLength - best);
            if (diff < bestDiff || (diff == bestDiff && length < best)) {
                best = length;
            }
        }
        return best;
    }

    private static BleuScore result(double score, double[] precisions, double brevityPenalty,
            int hypLength, int refLength) {
        List<Double> boxed = new ArrayList<>(precisions.length);
        for (double p : precisions) {
            boxed.add(p);
        }
        return new BleuScore(score, boxed, brevityPenalty, hypLength, refLength);
    }
}
