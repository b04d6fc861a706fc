package calm.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.testing.Tiny;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputEnsembleTest {

    @Test
    void itsDistributionIsTheWeightedMeanOfTheMembers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM a = Tiny.gpt(manager, 24, 16, 2, 2, 11);
            DecoderLM b = Tiny.llama(manager, 24, 16, 2, 2, 1, false, 12);
            OutputEnsemble ensemble = new OutputEnsemble(List.of(a, b), List.of(1.0, 3.0));
            NDArray tokens = Tiny.tokens(manager, 24, 2, 7, 5);
            float[] mixed = ensemble.logits(Batch.of(tokens)).softmax(-1).toFloatArray();
            float[] pa = a.logits(Batch.of(tokens)).toFloatArray();
            float[] pb = b.logits(Batch.of(tokens)).toFloatArray();
            // Softmax of each row of 24 logits, by hand in double precision, then 1/4 p_a + 3/4 p_b.
            for (int row = 0; row < 2 * 7; row++) {
                double[] qa = softmax(pa, row * 24, 24);
                double[] qb = softmax(pb, row * 24, 24);
                for (int v = 0; v < 24; v++) {
                    assertEquals(0.25 * qa[v] + 0.75 * qb[v], mixed[row * 24 + v], 1e-6, "row " + row + " token " + v);
                }
            }
        }
    }

    @Test
    void cachedDecodingEqualsTheFullForwardPass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM a = Tiny.gpt(manager, 24, 16, 2, 2, 11);
            DecoderLM b = Tiny.gpt(manager, 24, 16, 2, 2, 13);
            OutputEnsemble ensemble = new OutputEnsemble(List.of(a, b), List.of(0.5, 0.5));
            NDArray tokens = Tiny.tokens(manager, 24, 2, 9, 6);
            Tiny.assertCachedMatchesFull(ensemble, tokens, 3, ensemble.logits(Batch.of(tokens)));
        }
    }

    @Test
    void aZeroWeightLeavesTheOtherModelAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM a = Tiny.gpt(manager, 24, 16, 2, 2, 11);
            DecoderLM b = Tiny.gpt(manager, 24, 16, 2, 2, 13);
            NDArray tokens = Tiny.tokens(manager, 24, 1, 5, 6);
            NDArray alone = a.logits(Batch.of(tokens)).logSoftmax(-1);
            NDArray ensemble = new OutputEnsemble(List.of(a, b), List.of(2.0, 0.0)).logits(Batch.of(tokens));
            assertTrue(Tiny.maxDifference(alone, ensemble) < 1e-5f);
        }
    }

    @Test
    void refusesModelsWithDifferentVocabulariesAndBadWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM a = Tiny.gpt(manager, 24, 16, 2, 2, 11);
            DecoderLM c = Tiny.gpt(manager, 30, 16, 2, 2, 11);
            IllegalArgumentException vocabulary = assertThrows(IllegalArgumentException.class,
                    () -> new OutputEnsemble(List.of(a, c), List.of(1.0, 1.0)));
            assertEquals("ensemble model 2 has 30 tokens, model 1 has 24: an output ensemble needs one vocabulary", vocabulary.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new OutputEnsemble(List.of(a, a), List.of(1.0, -1.0)));
            assertThrows(IllegalArgumentException.class, () -> new OutputEnsemble(List.of(a, a), List.of(0.0, 0.0)));
            assertThrows(IllegalArgumentException.class, () -> new OutputEnsemble(List.of(a, a), List.of(1.0)));
        }
    }

    private static double[] softmax(float[] logits, int from, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double sum = 0;
        double[] p = new double[length];
        for (int i = 0; i < length; i++) {
            p[i] = Math.exp(logits[from + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
