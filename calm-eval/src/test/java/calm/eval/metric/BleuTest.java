package calm.eval.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BLEU against published values, copied from sacrebleu's test/test_bleu.py and
 * test/test_sentence_bleu.py (github.com/mjpost/sacrebleu, commit f615c72). Tolerances are the
 * ones those files use.
 */
class BleuTest {

    /** test_bleu.py's EPSILON. */
    private static final double CORPUS_EPSILON = 1e-8;

    /** test_sentence_bleu.py's EPSILON. */
    private static final double SENTENCE_EPSILON = 1e-3;

    /** test_bleu.py's README example; references per hypothesis (sacrebleu's lists transposed). */
    private static final List<String> HYPS = List.of(
            "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
    private static final List<List<String>> REFS = List.of(
            List.of("The dog bit the man.", "The dog had bit the man."),
            List.of("It was not unexpected.", "No one was surprised."),
            List.of("The man bit him first.", "The man had bitten the dog."));

    /**
     * sacrebleu.compat.raw_corpus_bleu: tokenize 'none', floor smoothing, effective order. The
     * test divides the score by 100.
     */
    private static Bleu raw(double floor) {
        return Bleu.CORPUS.withTokenizer(BleuTokenizer.NONE)
                .withSmoothing(BleuSmoothing.FLOOR, floor).withEffectiveOrder(true);
    }

    @Test
    void defaultCorpusBleuMatchesSacrebleu() {
        assertEquals(48.530827, Bleu.CORPUS.corpusScore(HYPS, REFS), CORPUS_EPSILON);
    }

    @Test
    void emptyHypothesesScoreZero() {
        assertEquals(0.0, Bleu.CORPUS.corpusScore(List.of("", "", ""), REFS), CORPUS_EPSILON);
    }

    @Test
    void untokenizedCorpusBleuMatchesSacrebleu() {
        assertEquals(49.1919566, Bleu.CORPUS.withTokenizer(BleuTokenizer.NONE)
                .corpusScore(HYPS, REFS), CORPUS_EPSILON);
    }

    @Test
    void unsmoothedCorpusBleuMatchesSacrebleu() {
        assertEquals(48.530827, Bleu.CORPUS.withSmoothing(BleuSmoothing.NONE)
                .corpusScore(HYPS, REFS), CORPUS_EPSILON);
    }

    /** test_bleu.py, {@code test_bleu_max_order}: the score formatted with two decimals. */
    @ParameterizedTest
    @MethodSource("maxOrderCases")
    void maxOrderChangesScoreAsSacrebleu(int order, String expected) {
        double score = Bleu.CORPUS.withMaxOrder(order).corpusScore(HYPS, REFS);
        assertEquals(expected, String.format(Locale.ROOT, "%.2f", score));
    }

    static Stream<Arguments> maxOrderCases() {
        return Stream.of(Arguments.of(1, "77.65"), Arguments.of(2, "60.50"),
                Arguments.of(3, "53.93"), Arguments.of(4, "48.53"), Arguments.of(5, "46.14"),
                Arguments.of(6, "43.28"));
    }

    /** test_bleu.py, {@code test_raw_bleu_cases} and {@code test_case_effective_order}. */
    static Stream<Arguments> rawCases() {
        return Stream.of(
                Arguments.of(List.of("this is a test", "another test"),
                        List.of("ref1", "ref2"), 0.0),
                Arguments.of(List.of("this is a test"), List.of("this is a test"), 1.0),
                Arguments.of(List.of("this is a fest"), List.of("this is a test"),
                        0.223606797749979),
                Arguments.of(List.of("test"), List.of("a test"), 0.3678794411714425),
                Arguments.of(List.of("a test"), List.of("a test"), 1.0),
                Arguments.of(List.of("a little test"), List.of("a test"), 0.03218297948685433));
    }

    @ParameterizedTest
    @MethodSource("rawCases")
    void rawCorpusBleuMatchesSacrebleu(List<String> hyps, List<String> refs, double expected) {
        List<List<String>> perHyp = refs.stream().map(List::of).toList();
        assertEquals(expected, raw(0.01).corpusScore(hyps, perHyp) / 100, CORPUS_EPSILON);
    }

    /** test_bleu.py, {@code test_case_statistics}: counts [4, 2, 1, 0], totals [6, 5, 4, 3]. */
    @Test
    void statisticsMatchSacrebleuCountsAndTotals() {
        int[] stats = raw(0.01).statistics("am I am a character sequence",
                List.of("I am a symbol string sequence a a"));
        int[] countsAndTotals = Arrays.copyOfRange(stats, 2, 10);
        assertArrayEquals(new int[] {4, 2, 1, 0, 6, 5, 4, 3}, countsAndTotals);
    }

    /** test_bleu.py, {@code test_case_offset}: floor 0 gives 0, the default floor 0.1 more. */
    @Test
    void floorSmoothingMatchesSacrebleu() {
        String hyp = "am I am a character sequence";
        List<List<String>> refs = List.of(List.of("I am a symbol string sequence a a"));
        assertEquals(0.0, raw(0.0).corpusScore(List.of(hyp), refs) / 100, CORPUS_EPSILON);
        Bleu defaultFloor = raw(0.0).withSmoothing(BleuSmoothing.FLOOR);
        assertEquals(0.1555722182, defaultFloor.corpusScore(List.of(hyp), refs) / 100,
                CORPUS_EPSILON);
    }

    /** test_bleu.py, {@code test_case_scoring}: compute_bleu([9,7,5,3], [10,8,6,4], 11, 11). */
    @Test
    void scoreFromStatisticsMatchesSacrebleu() {
        Bleu unsmoothed = Bleu.CORPUS.withSmoothing(BleuSmoothing.NONE);
        int[] stats = {11, 11, 9, 7, 5, 3, 10, 8, 6, 4};
        assertEquals(0.8375922397, unsmoothed.score(stats).score() / 100, CORPUS_EPSILON);
    }

    /** test_bleu.py, {@code test_case_degenerate_stats}: exactly 0 with floor smoothing. */
    static Stream<Arguments> degenerateCases() {
        return Stream.of(
                Arguments.of(new int[] {0, 1, 0, 0, 0, 0, 4, 4, 2, 1}, 0.0),
                Arguments.of(new int[] {14, 10, 0, 0, 0, 0, 10, 11, 12, 0}, 0.0),
                Arguments.of(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0.0),
                Arguments.of(new int[] {6, 6, 6, 5, 4, 0, 6, 5, 4, 3}, 0.0),
                Arguments.of(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0.1),
                Arguments.of(new int[] {1, 5, 0, 0, 0, 0, 0, 0, 0, 0}, 0.01));
    }

    @ParameterizedTest
    @MethodSource("degenerateCases")
    void degenerateStatisticsScoreZero(int[] stats, double floor) {
        Bleu bleu = Bleu.CORPUS.withSmoothing(BleuSmoothing.FLOOR, floor);
        assertEquals(0.0, bleu.score(stats).score());
    }

    private static final String SENTENCE_REF = "producţia de zahăr brut se exprimă în zahăr alb;";
    private static final String SENTENCE_SYS =
            "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

    /** test_sentence_bleu.py, {@code test_cases}: sentence BLEU with effective order. */
    static Stream<Arguments> sentenceCases() {
        return Stream.of(
                Arguments.of(Bleu.SENTENCE, 8.493),
                Arguments.of(Bleu.SENTENCE.withSmoothing(BleuSmoothing.NONE), 0.0),
                Arguments.of(Bleu.SENTENCE.withSmoothing(BleuSmoothing.FLOOR), 4.51688),
                Arguments.of(Bleu.SENTENCE.withSmoothing(BleuSmoothing.FLOOR, 0.1), 4.51688),
                Arguments.of(Bleu.SENTENCE.withSmoothing(BleuSmoothing.FLOOR, 0.5), 10.10),
                Arguments.of(Bleu.SENTENCE.withSmoothing(BleuSmoothing.ADD_K), 14.882),
                Arguments.of(Bleu.SENTENCE.withSmoothing(BleuSmoothing.ADD_K, 1), 14.882),
                Arguments.of(Bleu.SENTENCE.withSmoothing(BleuSmoothing.ADD_K, 2), 21.389),
                Arguments.of(Bleu.SENTENCE.withTokenizer(BleuTokenizer.NONE), 7.347),
                Arguments.of(Bleu.SENTENCE.withTokenizer(BleuTokenizer.CHAR), 40.8759),
                Arguments.of(Bleu.SENTENCE.withTokenizer(BleuTokenizer.CHAR).withLowercase(true),
                        42.0267));
    }

    @ParameterizedTest
    @MethodSource("sentenceCases")
    void sentenceBleuMatchesSacrebleu(Bleu bleu, double expected) {
        assertEquals(expected, bleu.sentenceScore(SENTENCE_SYS, List.of(SENTENCE_REF)),
                SENTENCE_EPSILON);
    }

    /** test_sentence_bleu.py, {@code test_cases_zero_bleu}: no matching n-gram gives 0. */
    @ParameterizedTest
    @MethodSource("zeroCases")
    void sentenceWithoutMatchesScoresZero(Bleu bleu) {
        assertEquals(0.0, bleu.sentenceScore("this is a cat", List.of("okay thanks")),
                SENTENCE_EPSILON);
    }

    static Stream<Bleu> zeroCases() {
        return Stream.of(Bleu.SENTENCE, Bleu.SENTENCE.withSmoothing(BleuSmoothing.NONE),
                Bleu.SENTENCE.withSmoothing(BleuSmoothing.FLOOR),
                Bleu.SENTENCE.withSmoothing(BleuSmoothing.ADD_K));
    }

    /**
     * sacrebleu's README.md, "Using SacreBLEU from Python": {@code BLEU = 48.53
     * 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)}.
     */
    @Test
    void corpusBleuPartsMatchSacrebleuReadme() {
        BleuScore score = Bleu.CORPUS.corpusBleu(HYPS, REFS);
        assertEquals("48.53 82.4/50.0/45.5/37.5 BP=0.943 17 18", describe(score));
    }

    /**
     * sacrebleu's README.md, "Variable Number of References": the first sentence's first reference
     * is '', giving {@code BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ... hyp_len = 17 ref_len =
     * 19)}.
     */
    @Test
    void emptyReferenceCountsAsAReferenceAsInSacrebleuReadme() {
        List<List<String>> refs = List.of(
                List.of("", "The dog had bit the man."),
                REFS.get(1),
                REFS.get(2));
        assertEquals("29.44 82.4/42.9/27.3/12.5 BP=0.889 17 19",
                describe(Bleu.CORPUS.corpusBleu(HYPS, refs)));
    }

    private static String describe(BleuScore score) {
        String precisions = score.precisions().stream()
                .map(p -> String.format(Locale.ROOT, "%.1f", p))
                .collect(Collectors.joining("/"));
        return String.format(Locale.ROOT, "%.2f %s BP=%.3f %d %d", score.score(), precisions,
                score.brevityPenalty(), score.hypothesisLength(), score.referenceLength());
    }
}
