package calm.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class McNemarTest {

    @Test
    void pValuesEqualTheBinomialTailsByHand() {
        // 9 discordant pairs, 8 favouring X; for B ~ Bin(9, 1/2),
        // P(B <= 1) = P(B >= 8) = (1 + 9) / 2^9 = 10 / 512.
        McNemarResult result = McNemar.exact(8, 1);
        assertEquals(20.0 / 512, result.pValue(), 1e-15);
        assertEquals(10.0 / 512, result.pValueXBetter(), 1e-15);
    }

    @Test
    void countsDiscordantPairsFromOutcomes() {
        double[] x = {1, 1, 1, 0, 0, 1};
        double[] y = {1, 0, 0, 0, 1, 1};
        McNemarResult result = McNemar.exact(x, y);
        assertEquals(2, result.onlyX());
        assertEquals(1, result.onlyY());
        // Bin(3, 1/2): two-sided 2 P(B <= 1) = 2 * 4/8 = 1; one-sided P(B >= 2) = 4/8.
        assertEquals(1.0, result.pValue(), 1e-15);
        assertEquals(0.5, result.pValueXBetter(), 1e-15);
    }

    @Test
    void noDiscordantPairsGivePValueOne() {
        McNemarResult result = McNemar.exact(new double[] {1, 0, 1}, new double[] {1, 0, 1});
        assertEquals(1.0, result.pValue());
        assertEquals(1.0, result.pValueXBetter());
    }
}
