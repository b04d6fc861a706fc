package calm.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ROUGE-L against published values from rouge-score's rouge/rouge_scorer_test.py
 * (github.com/google-research/google-research, rouge/), whose "ground truth" comes from manual runs
 * of ROUGE-1.5.5. Note that rouge-score's {@code score(target, prediction)} takes the target first;
 * {@link RougeL#score} takes the prediction first.
 */
class RougeLTest {

    /** assertAlmostEqual(..., places=5) passes when the difference rounds to 0 at 5 places. */
    private static final double FIVE_PLACES = 5e-6;

    /** assertAlmostEqual's default: 7 places. */
    private static final double SEVEN_PLACES = 5e-8;

    /**
     * rouge/testdata/target.txt and prediction.txt (commit 10bf941), lines 1 and 2; the test reads
     * them with readlines(), so each keeps its newline.
     */
    private static final List<String> TARGETS = List.of(
            "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing"
                    + " Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer"
                    + " tKM L\n",
            "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing"
                    + " sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing"
                    + " tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw"
                    + " p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n");
    private static final List<String> PREDICTIONS = List.of(
            "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl"
                    + " jB-RPP'iyOIcUxi\n",
            "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed"
                    + " HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer"
                    + " tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n");

    @Test
    void consecutiveSubsequenceMatchesRougeScore() {
        assertScore(RougeL.score("testing one", "testing one two"), 1, 2.0 / 3, 4.0 / 5,
                SEVEN_PLACES);
    }

    @Test
    void nonConsecutiveSubsequenceMatchesRougeScore() {
        assertScore(RougeL.score("testing two", "testing one two"), 1, 2.0 / 3, 4.0 / 5,
                SEVEN_PLACES);
    }

    @Test
    void emptyPredictionScoresZero() {
        assertScore(RougeL.score("", "testing one two"), 0, 0, 0, SEVEN_PLACES);
    }

    @Test
    void firstExampleMatchesRouge155() {
        assertScore(RougeL.score(PREDICTIONS.get(0), TARGETS.get(0)), 0.68750, 0.40741, 0.51163,
                FIVE_PLACES);
    }

    @Test
    void secondExampleMatchesRouge155() {
        assertScore(RougeL.score(PREDICTIONS.get(1), TARGETS.get(1)), 0.65385, 0.40476, 0.50000,
                FIVE_PLACES);
    }

    @Test
    void corpusFMeasureIsTheMeanOfExampleFMeasures() {
        double mean = RougeL.fmeasure(PREDICTIONS, TARGETS).score();
        assertEquals((0.51163 + 0.50000) / 2, mean, FIVE_PLACES);
    }

    private static void assertScore(RougeScore score, double precision, double recall,
            double fmeasure, double tolerance) {
        assertEquals(precision, score.precision(), tolerance, "precision");
        assertEquals(recall, score.recall(), tolerance, "recall");
        assertEquals(fmeasure, score.fmeasure(), tolerance, "fmeasure");
    }
}
