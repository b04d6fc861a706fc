package calm.eval.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import calm.eval.stats.Bootstrap;
import calm.eval.stats.IndexedMetric;
import calm.eval.stats.MacroAverage;
import calm.eval.stats.PairedComparison;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task metrics against values worked out by hand from their definitions. */
class TaskMetricsTest {

    private static final boolean[] STOPPED = {true, true};

    /**
     * chrF (sacrebleu: character n-grams up to 6, whitespace dropped, beta 2, precision and recall
     * averaged over the orders where both sides have n-grams). "ab" against "abc": 1-grams 2
     * hypothesis, 3 reference, 2 matched; 2-grams 1, 2, 1; 3-grams 0, 1, 0. Precision averages
     * (1 + 1) / 2 = 1, recall (2/3 + 1/2) / 2 = 7/12; chrF = 5 * 1 * 7/12 / (4 + 7/12) = 35/55.
     * With "xy" against "xy" the sums are 4, 5, 4 and 2, 3, 2: recall (4/5 + 2/3) / 2 = 11/15,
     * chrF = 5 * 11/15 / (4 + 11/15) = 55/71.
     */
    @Test
    void corpusChrfSumsStatisticsBeforeTheScore() {
        IndexedMetric one = CorpusMetric.CHRF.score(List.of("ab"), List.of("abc"), new boolean[] {true});
        assertEquals(100 * 35.0 / 55, one.score(), 1e-9);
        IndexedMetric two = CorpusMetric.CHRF.score(List.of("ab", "xy"), List.of("abc", "xy"), STOPPED);
        assertEquals(100 * 55.0 / 71, two.score(), 1e-9);
        assertEquals(100.0, two.score(new int[] {1, 1}), 1e-9, "a resample of the perfect sentence alone");
    }

    /**
     * BLEU: "the cat sat on the mat" against "the cat sat on a mat": clipped n-gram matches 5/6,
     * 3/5, 2/4, 1/3, equal lengths (no brevity penalty), so BLEU = (5/6 * 3/5 * 1/2 * 1/3)^(1/4).
     */
    @Test
    void corpusBleuIsTheGeometricMeanOfTheClippedPrecisions() {
        IndexedMetric bleu = CorpusMetric.BLEU.score(List.of("the cat sat on the mat"), List.of("the cat sat on a mat"),
                new boolean[] {true});
        assertEquals(100 * Math.pow(5.0 / 6 * 3.0 / 5 * 1.0 / 2 * 1.0 / 3, 0.25), bleu.score(), 1e-9);
    }

    @Test
    void accuracyNeedsTheExactTextAndTheStopToken() {
        IndexedMetric accuracy = Accuracy.INSTANCE.score(List.of("12", "12", "13"), List.of("12", "12", "12"),
                new boolean[] {true, false, true});
        assertEquals(1.0 / 3, accuracy.score(), 1e-12);
        assertEquals(100, Accuracy.INSTANCE.scale());
        assertEquals(1, CorpusMetric.CHRF.scale());
    }

    /**
     * A system that writes every reference exactly against one that writes nothing: every resample
     * differs by exactly 100 chrF, so the interval is [100, 100] and no shifted resample reaches the
     * observed difference, p = 1 / (B + 1).
     */
    @Test
    void thePairedBootstrapOfAPerfectAgainstAnEmptySystem() {
        List<String> references = List.of("the will of the people", "everyone has the right", "no one shall be held");
        boolean[] stopped = {true, true, true};
        IndexedMetric perfect = CorpusMetric.CHRF.score(references, references, stopped);
        IndexedMetric empty = CorpusMetric.CHRF.score(List.of("", "", ""), references, stopped);
        PairedComparison paired = new Bootstrap(200, 7, 0.95).compare(perfect, empty);
        assertEquals(100, paired.observedDifference(), 1e-9);
        assertEquals(100, paired.difference().lower(), 1e-9);
        assertEquals(100, paired.difference().upper(), 1e-9);
        assertEquals(1.0 / 201, paired.pValue(), 1e-12);
    }

    /** The macro average of two languages' corpus chrF: (35/55 + 100) / 2 on all examples. */
    @Test
    void aMacroAverageTakesEachGroupOnce() {
        IndexedMetric first = CorpusMetric.CHRF.score(List.of("ab"), List.of("abc"), new boolean[] {true});
        IndexedMetric second = CorpusMetric.CHRF.score(List.of("xy", "xy"), List.of("xy", "xy"), STOPPED);
        MacroAverage macro = new MacroAverage(List.of(first, second));
        assertEquals(3, macro.size());
        assertEquals((100 * 35.0 / 55 + 100) / 2, macro.score(), 1e-9);
        assertEquals(100, macro.score(new int[] {1, 2, 2}), 1e-9, "a resample without the first group averages the second");
    }
}
