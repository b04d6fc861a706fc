package calm.eval.metric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF (Popović 2015) exactly as sacrebleu 2.x's {@code CHRF} computes it, without word n-grams.
 *
 * <p>Character n-grams of orders 1 to {@link #charOrder} are taken over Unicode code points, after
 * removing all whitespace unless {@link #whitespace} is set. Each example contributes, per order,
 * the hypothesis n-gram count, the reference n-gram count and the clipped match count; with
 * several references the one with the best sentence score is kept (the first on ties). A corpus
 * score sums these counts over examples first.
 *
 * <p>The default, like sacrebleu's ({@code eps_smoothing=False}), averages precision and recall
 * over the "effective" orders, those where both hypothesis and reference have n-grams, and takes
 * one F-beta of the two averages. With {@link #epsSmoothing} it instead averages the per-order
 * F-beta scores, using 1e-16 for undefined precisions, recalls and F-scores, as chrF++.py,
 * Moses and NLTK do.
 *
 * <p>Statistics layout: {@code [hyp_1, ref_1, match_1, hyp_2, ref_2, match_2, ...]}.
 *
 * @param charOrder the highest character n-gram order, at least 1
 * @param beta the weight of recall relative to precision, at least 1
 * @param whitespace whether whitespace characters stay in the n-grams
 * @param epsSmoothing whether to average per-order F-scores with epsilon smoothing
 */
public record Chrf(int charOrder, int beta, boolean whitespace, boolean epsSmoothing)
        implements AdditiveMetric {

    /** sacrebleu's default chrF2: orders 1 to 6, beta 2, whitespace removed, effective order. */
    public static final Chrf DEFAULT = new Chrf(6, 2, false, false);

    private static final double EPSILON = 1e-16;

    /** Validates the order and beta. */
    public Chrf {
        if (charOrder < 1) {
            throw new IllegalArgumentException("charOrder must be >= 1, got " + charOrder);
        }
        if (beta < 1) {
            throw new IllegalArgumentException("beta must be >= 1, got " + beta);
        }
    }

    /** Returns this configuration with another beta. */
    public Chrf withBeta(int beta) {
        return new Chrf(charOrder, beta, whitespace, epsSmoothing);
    }

    /** Returns this configuration keeping or removing whitespace. */
    public Chrf withWhitespace(boolean whitespace) {
        return new Chrf(charOrder, beta, whitespace, epsSmoothing);
    }

    /** Returns this configuration with or without epsilon smoothing. */
    public Chrf withEpsSmoothing(boolean epsSmoothing) {
        return new Chrf(charOrder, beta, whitespace, epsSmoothing);
    }

    @Override
    public int[] statistics(String hypothesis, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("references must hold at least one reference");
        }
        List<Map<String, Integer>> hypNgrams = ngrams(hypothesis);
        int[] best = null;
        double bestScore = -1;
        for (String reference : references) {
            List<Map<String, Integer>> refNgrams = ngrams(reference);
            int[] stats = new int[3 * charOrder];
            for (int n = 0; n < charOrder; n++) {
                matchStatistics(hypNgrams.get(n), refNgrams.get(n), stats, 3 * n);
            }
            double score = value(stats);
            if (score > bestScore) {
                bestScore = score;
                best = stats;
            }
        }
        return best;
    }

    @Override
    public double value(int[] summed) {
        double factor = (double) beta * beta;
        double fSum = 0;
        double precisionSum = 0;
        double recallSum = 0;
        int effectiveOrder = 0;
        for (int n = 0; n < charOrder; n++) {
            int hyp = summed[3 * n];
            int ref = summed[3 * n + 1];
            int match = summed[3 * n + 2];
            double precision = hyp > 0 ? (double) match / hyp : EPSILON;
            double recall = ref > 0 ? (double) match / ref : EPSILON;
            double denominator = factor * precision + recall;
            fSum += denominator > 0 ? (1 + factor) * precision * recall / denominator : EPSILON;
            if (hyp > 0 && ref > 0) {
                precisionSum += precision;
                recallSum += recall;
                effectiveOrder++;
            }
        }
        if (epsSmoothing) {
            return 100 * fSum / charOrder;
        }
        if (effectiveOrder == 0) {
            return 0.0;
        }
        double precision = precisionSum / effectiveOrder;
        double recall = recallSum / effectiveOrder;
        if (precision + recall == 0) {
            return 0.0;
        }
        return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
    }

    private List<Map<String, Integer>> ngrams(String text) {
        int[] codePoints = (whitespace ? text : String.join("", PythonWhitespace.split(text)))
                .codePoints().toArray();
        List<Map<String, Integer>> byOrder = new ArrayList<>(charOrder);
        for (int n = 1; n <= charOrder; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= codePoints.length; i++) {
                counts.merge(new String(codePoints, i, n), 1, Integer::sum);
            }
            byOrder.add(counts);
        }
        return byOrder;
    }

    /** Writes [hyp, ref, match] at {@code offset}; hyp is 0 when the reference has no n-grams. */
    private static void matchStatistics(Map<String, Integer> hyp, Map<String, Integer> ref,
            int[] stats, int offset) {
        int hypCount = 0;
        int matchCount = 0;
        for (Map.Entry<String, Integer> entry : hyp.entrySet()) {
            hypCount += entry.getValue();
            matchCount += Math.min(entry.getValue(), ref.getOrDefault(entry.getKey(), 0));
        }
        int refCount = 0;
        for (int count : ref.values()) {
            refCount += count;
        }
        stats[offset] = ref.isEmpty() ? 0 : hypCount;
        stats[offset + 1] = refCount;
        stats[offset + 2] = matchCount;
    }
}
