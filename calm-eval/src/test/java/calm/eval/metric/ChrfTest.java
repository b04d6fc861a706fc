package calm.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * chrF against published values. Unless noted, cases and expected scores are copied from
 * sacrebleu's test/test_chrf.py (github.com/mjpost/sacrebleu, commit f615c72), which checks them
 * to within 1e-4.
 */
class ChrfTest {

    private static final double SACREBLEU_EPSILON = 1e-4;

    /** test_chrf.py, {@code test_cases}: corpus_chrf(beta=3, eps_smoothing=True). */
    static Stream<Arguments> epsSmoothingBeta3() {
        return Stream.of(
                Arguments.of(List.of("abcdefg"), List.of("hijklmnop"), 0.0),
                Arguments.of(List.of("a"), List.of("b"), 0.0),
                Arguments.of(List.of(""), List.of("b"), 0.0),
                Arguments.of(List.of(""), List.of("ref"), 0.0),
                Arguments.of(List.of(""), List.of("reference"), 0.0),
                Arguments.of(List.of("aa"), List.of("ab"), 8.3333),
                Arguments.of(List.of("a", "b"), List.of("a", "c"), 8.3333),
                Arguments.of(List.of("a"), List.of("a"), 16.6667),
                Arguments.of(List.of("a b c"), List.of("a b c"), 50.0),
                Arguments.of(List.of("a b c"), List.of("abc"), 50.0),
                Arguments.of(
                        List.of(" risk assessment must be made of those who are qualified and"
                                + " expertise in the sector - these are the scientists ."),
                        List.of("risk assessment has to be undertaken by those who are qualified"
                                + " and expert in that area - that is the scientists ."),
                        63.361730),
                Arguments.of(
                        List.of(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade"
                                + "  freundlich. "),
                        List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade"
                                + " freundschaftlich."),
                        64.1302698),
                Arguments.of(List.of("Niemand hat die Absicht, eine Mauer zu errichten"),
                        List.of("Niemand hat die Absicht, eine Mauer zu errichten"), 100.0));
    }

    @ParameterizedTest
    @MethodSource("epsSmoothingBeta3")
    void epsilonSmoothedCorpusChrfMatchesSacrebleu(List<String> hyps, List<String> refs,
            double expected) {
        Chrf chrf = Chrf.DEFAULT.withBeta(3).withEpsSmoothing(true);
        assertEquals(expected, chrf.corpusScore(hyps, singleReferences(refs)), SACREBLEU_EPSILON);
    }

    /** test_chrf.py, {@code test_cases_effective_order}: corpus_chrf(beta=3). */
    static Stream<Arguments> effectiveOrderBeta3() {
        return Stream.of(
                Arguments.of(List.of("a"), List.of("a"), 100.0),
                Arguments.of(List.of(""), List.of("reference"), 0.0),
                Arguments.of(List.of("a b c"), List.of("a b c"), 100.0),
                Arguments.of(List.of("a b c"), List.of("abc"), 100.0),
                Arguments.of(List.of(""), List.of("c"), 0.0),
                Arguments.of(List.of("a", "b"), List.of("a", "c"), 50.0),
                Arguments.of(List.of("aa"), List.of("ab"), 25.0));
    }

    @ParameterizedTest
    @MethodSource("effectiveOrderBeta3")
    void effectiveOrderCorpusChrfMatchesSacrebleu(List<String> hyps, List<String> refs,
            double expected) {
        Chrf chrf = Chrf.DEFAULT.withBeta(3);
        assertEquals(expected, chrf.corpusScore(hyps, singleReferences(refs)), SACREBLEU_EPSILON);
    }

    /**
     * test_chrf.py, {@code test_cases_keep_whitespace}: corpus_chrf(beta=3,
     * remove_whitespace=False).
     */
    static Stream<Arguments> keepWhitespaceBeta3() {
        return Stream.of(
                Arguments.of(
                        "Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
                        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade"
                                + " freundschaftlich.",
                        67.3481606),
                Arguments.of(
                        "risk assessment must be made of those who are qualified and expertise in"
                                + " the sector - these are the scientists .",
                        "risk assessment has to be undertaken by those who are qualified and expert"
                                + " in that area - that is the scientists .",
                        65.2414427));
    }

    @ParameterizedTest
    @MethodSource("keepWhitespaceBeta3")
    void whitespaceKeepingChrfMatchesSacrebleu(String hyp, String ref, double expected) {
        Chrf chrf = Chrf.DEFAULT.withBeta(3).withWhitespace(true);
        assertEquals(expected, chrf.corpusScore(List.of(hyp), List.of(List.of(ref))),
                SACREBLEU_EPSILON);
    }

    /** test_chrf.py, {@code test_sentence_level_chrf}: sentence_chrf(eps_smoothing=True). */
    static Stream<Arguments> sentenceLevel() {
        return Stream.of(
                Arguments.of(
                        "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo"
                                + " zemře.",
                        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo"
                                + " zemře.",
                        39.14078509),
                Arguments.of(
                        "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
                        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali"
                                + " lékaři.",
                        31.22557079),
                Arguments.of(
                        "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
                        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl"
                                + " začít, připomněli.",
                        57.15704367));
    }

    @ParameterizedTest
    @MethodSource("sentenceLevel")
    void sentenceChrfMatchesSacrebleu(String hyp, String ref, double expected) {
        Chrf chrf = Chrf.DEFAULT.withEpsSmoothing(true);
        assertEquals(expected, chrf.sentenceScore(hyp, List.of(ref)), SACREBLEU_EPSILON);
    }

    /**
     * sacrebleu's default chrF2 (beta 2, effective order) on a two-sentence corpus. Expected value
     * from Hugging Face evaluate's metrics/chrf/chrf.py docstring
     * (github.com/huggingface/evaluate), which calls sacrebleu's CHRF().corpus_score.
     */
    @Test
    void defaultCorpusChrfMatchesHuggingFaceEvaluateExample() {
        List<String> hyps = List.of(
                "The relationship between cats and dogs is not exactly friendly.",
                "a good bookshop is just a genteel black hole that knows how to read.");
        List<List<String>> refs = List.of(
                List.of("The relationship between dogs and cats is not exactly friendly."),
                List.of("A good bookshop is just a genteel Black Hole that knows how to read."));
        assertEquals(84.64214891738334, Chrf.DEFAULT.corpusScore(hyps, refs), 1e-9);
    }

    /**
     * sacrebleu's README.md, "Using SacreBLEU from Python": {@code CHRF().corpus_score(sys, refs)}
     * on the two-reference example prints {@code chrF2 = 59.73}.
     */
    @Test
    void defaultChrfWithTwoReferencesMatchesSacrebleuReadme() {
        List<String> hyps = List.of(
                "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
        List<List<String>> refs = List.of(
                List.of("The dog bit the man.", "The dog had bit the man."),
                List.of("It was not unexpected.", "No one was surprised."),
                List.of("The man bit him first.", "The man had bitten the dog."));
        assertEquals("59.73",
                String.format(Locale.ROOT, "%.2f", Chrf.DEFAULT.corpusScore(hyps, refs)));
    }

    private static List<List<String>> singleReferences(List<String> refs) {
        return refs.stream().map(List::of).toList();
    }
}
