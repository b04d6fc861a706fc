package calm.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.eval.metric.Bleu;
import calm.eval.metric.CorpusStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    /** 0/1 outcomes with the given count of ones, spread evenly over n examples. */
    private static double[] outcomes(int n, int ones) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = (long) (i + 1) * ones / n - (long) i * ones / n;
        }
        return values;
    }

    @Test
    void intervalContainsTheEstimate() {
        ConfidenceInterval interval =
                Bootstrap.DEFAULT.interval(IndexedMetric.mean(outcomes(100, 70)));
        assertEquals(0.70, interval.estimate(), 1e-12);
        assertTrue(interval.contains(0.70), interval.toString());
        assertTrue(interval.lower() < 0.70 && interval.upper() > 0.70, interval.toString());
    }

    @Test
    void intervalShrinksWithMoreExamples() {
        ConfidenceInterval small = Bootstrap.DEFAULT.interval(IndexedMetric.mean(outcomes(50, 35)));
        ConfidenceInterval large =
                Bootstrap.DEFAULT.interval(IndexedMetric.mean(outcomes(800, 560)));
        assertTrue(large.width() < small.width() / 2, small + " vs " + large);
    }

    @Test
    void intervalWidthIsCloseToTheNormalApproximation() {
        // For a proportion p over n examples, the 95% interval is about 2 * 1.96 * sqrt(p(1-p)/n).
        ConfidenceInterval interval =
                Bootstrap.DEFAULT.interval(IndexedMetric.mean(outcomes(400, 200)));
        double expected = 2 * 1.96 * Math.sqrt(0.25 / 400);
        assertEquals(expected, interval.width(), 0.15 * expected);
    }

    @Test
    void sameSeedGivesTheSameInterval() {
        IndexedMetric metric = IndexedMetric.mean(outcomes(60, 20));
        assertEquals(Bootstrap.DEFAULT.interval(metric), Bootstrap.DEFAULT.interval(metric));
    }

    @Test
    void corpusBleuIntervalContainsTheCorpusScore() {
        List<String> hyps = List.of("the cat sat on the mat", "a dog barked at night",
                "it rained all day long", "she read the old book", "we walked to the river");
        List<List<String>> refs = List.of(List.of("the cat sat on a mat"),
                List.of("a dog barked in the night"), List.of("it rained the whole day"),
                List.of("she read an old book"), List.of("we walked down to the river"));
        CorpusStatistics bleu = Bleu.CORPUS.corpus(hyps, refs);
        ConfidenceInterval interval = Bootstrap.DEFAULT.withResamples(200).interval(bleu);
        assertEquals(Bleu.CORPUS.corpusScore(hyps, refs), interval.estimate(), 1e-12);
        assertTrue(interval.contains(interval.estimate()), interval.toString());
        assertTrue(interval.width() > 0, interval.toString());
    }

    @Test
    void identicalSystemsDifferByZeroWithPValueOne() {
        IndexedMetric system = IndexedMetric.mean(outcomes(200, 120));
        PairedComparison comparison = Bootstrap.DEFAULT.compare(system, system);
        assertEquals(0.0, comparison.observedDifference());
        assertEquals(0.0, comparison.meanDifference());
        assertEquals(1.0, comparison.pValue());
    }

    @Test
    void clearlyBetterSystemIsSignificant() {
        // X is right on 180 of 200 examples, Y on 100; X is right wherever Y is.
        double[] x = new double[200];
        double[] y = new double[200];
        for (int i = 0; i < 200; i++) {
            x[i] = i < 180 ? 1 : 0;
            y[i] = i < 100 ? 1 : 0;
        }
        PairedComparison comparison =
                Bootstrap.DEFAULT.compare(IndexedMetric.mean(x), IndexedMetric.mean(y));
        assertEquals(0.40, comparison.observedDifference(), 1e-12);
        assertTrue(comparison.pValue() < 0.05, comparison.toString());
        assertTrue(comparison.difference().lower() > 0, comparison.toString());
        assertEquals(0.40, comparison.meanDifference(), 0.01);
    }

    @Test
    void smallNoisyDifferenceIsNotSignificant() {
        // X and Y disagree on 20 of 200 examples, 11 in X's favour and 9 in Y's.
        double[] x = new double[200];
        double[] y = new double[200];
        for (int i = 0; i < 200; i++) {
            x[i] = i < 100 || (i >= 180 && i < 191) ? 1 : 0;
            y[i] = i < 100 || i >= 191 ? 1 : 0;
        }
        PairedComparison comparison =
                Bootstrap.DEFAULT.compare(IndexedMetric.mean(x), IndexedMetric.mean(y));
        assertEquals(0.01, comparison.observedDifference(), 1e-12);
        // The shifted-|d| p-value (Moses, sacrebleu) runs smaller than McNemar's 0.82 here, but
        // stays well above 0.05.
        assertTrue(comparison.pValue() > 0.1, comparison.toString());
        assertTrue(comparison.difference().contains(0.0), comparison.toString());
    }
}
