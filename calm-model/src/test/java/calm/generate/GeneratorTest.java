package calm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.Wiring;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class GeneratorTest {

    private static final int VOCAB = 31;
    @Managed
    private NDManager manager;
    private DecoderLM anchor;
    private ComposedModel composed;

    @BeforeEach
    void setUp() {
        anchor = Tiny.gpt(manager, VOCAB, 32, 2, 4, 31);
        DecoderLM augmenting = Tiny.gpt(manager, VOCAB, 16, 4, 2, 32);
        Engine.getInstance().setRandomSeed(3);
        composed = ComposedModel.builder(anchor)
                .augment(augmenting, Wiring.everyFourth(4, 2), Augmentation.Mode.LOCKSTEP)
                .zeroInitOutput(false)
                .build(manager);
    }

    /** Greedy decoding by recomputing the whole sequence for every new token: the reference. */
    private int[] greedyByRecomputation(LanguageModel model, int[] prompt, int steps) {
        List<Integer> sequence = new ArrayList<>();
        for (int id : prompt) {
            sequence.add(id);
        }
        int[] out = new int[steps];
        for (int step = 0; step < steps; step++) {
            long[] ids = sequence.stream().mapToLong(Integer::longValue).toArray();
            NDArray logits = model.logits(Batch.of(manager.create(ids, new Shape(1, ids.length))));
            out[step] = (int) logits.get(new NDIndex("0, -1, :")).argMax().getLong();
            sequence.add(out[step]);
        }
        return out;
    }

    @Test
    void greedyGenerationEqualsRecomputingTheSequence() {
        int[] prompt = {3, 5, 7, 11};
        for (LanguageModel model : List.of(anchor, composed)) {
            List<Generator.Output> outputs = Generator.generate(model, List.of(prompt), DecodingConfig.greedy(40, -1), manager);
            assertArrayEquals(greedyByRecomputation(model, prompt, 40), outputs.get(0).tokens());
            assertFalse(outputs.get(0).stopped());
        }
    }

    @Test
    void batchedPromptsOfDifferentLengthsGiveTheirOwnResults() {
        List<int[]> prompts = List.of(new int[] {2, 4}, new int[] {9, 8, 7, 6, 5, 4}, new int[] {1});
        for (LanguageModel model : List.of(anchor, composed)) {
            List<Generator.Output> batched = Generator.generate(model, prompts, DecodingConfig.greedy(12, -1), manager);
            for (int row = 0; row < prompts.size(); row++) {
                List<Generator.Output> alone = Generator.generate(model, List.of(prompts.get(row)), DecodingConfig.greedy(12, -1), manager);
                assertArrayEquals(alone.get(0).tokens(), batched.get(row).tokens(), "row " + row);
            }
        }
    }

    @Test
    void generationEndsAtTheStopToken() {
        int[] prompt = {3, 5, 7, 11};
        int[] free = Generator.generate(anchor, List.of(prompt), DecodingConfig.greedy(20, -1), manager).get(0).tokens();
        int stop = free[5];
        int firstStop = 0;
        while (free[firstStop] != stop) {
            firstStop++;
        }
        Generator.Output stopped = Generator.generate(anchor, List.of(prompt), DecodingConfig.greedy(20, stop), manager).get(0);
        assertTrue(stopped.stopped());
        assertEquals(firstStop, stopped.tokens().length);
        for (int i = 0; i < firstStop; i++) {
            assertEquals(free[i], stopped.tokens()[i]);
        }
    }

    @Test
    void samplingIsReproducibleForASeedAndVariesAcrossSeeds() {
        int[] prompt = {3, 5, 7, 11};
        DecodingConfig first = new DecodingConfig(30, 1.5, 0, 1.0, 42, -1);
        int[] a = Generator.generate(composed, List.of(prompt), first, manager).get(0).tokens();
        int[] b = Generator.generate(composed, List.of(prompt), first, manager).get(0).tokens();
        int[] c = Generator.generate(composed, List.of(prompt), new DecodingConfig(30, 1.5, 0, 1.0, 43, -1), manager).get(0).tokens();
        assertArrayEquals(a, b);
        assertNotEquals(List.of(a), List.of(c));
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void topKOfOneIsGreedy() {
        int[] prompt = {3, 5, 7, 11};
        int[] greedy = Generator.generate(anchor, List.of(prompt), DecodingConfig.greedy(15, -1), manager).get(0).tokens();
        int[] topOne = Generator.generate(anchor, List.of(prompt), new DecodingConfig(15, 1.0, 1, 1.0, 7, -1), manager).get(0).tokens();
        assertArrayEquals(greedy, topOne);
        int[] tinyP = Generator.generate(anchor, List.of(prompt), new DecodingConfig(15, 1.0, 0, 1e-6, 7, -1), manager).get(0).tokens();
        assertArrayEquals(greedy, tinyP);
    }

    @Test
    void samplerKeepsOnlyTheTopTokens() {
        float[] probabilities = {0.05f, 0.5f, 0.3f, 0.15f};
        Sampler topTwo = new Sampler(new DecodingConfig(1, 1.0, 2, 1.0, 1, -1));
        Sampler nucleus = new Sampler(new DecodingConfig(1, 1.0, 0, 0.75, 1, -1));
        int[] counts = new int[4];
        int[] nucleusCounts = new int[4];
        for (int i = 0; i < 4000; i++) {
            counts[topTwo.sample(probabilities)]++;
            nucleusCounts[nucleus.sample(probabilities)]++;
        }
        assertEquals(0, counts[0] + counts[3]);
        assertEquals(0, nucleusCounts[0] + nucleusCounts[3]);
        // Renormalised over {1, 2}: 0.5 / 0.8 = 0.625.
        assertEquals(0.625, counts[1] / 4000.0, 0.03);
    }

    @Test
    void badSettingsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> new DecodingConfig(0, 0, 0, 1, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new DecodingConfig(5, -1, 0, 1, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new DecodingConfig(5, 1, 0, 0, 0, -1));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> Generator.generate(anchor, List.of(new int[150]), DecodingConfig.greedy(20, -1), manager));
        assertTrue(tooLong.getMessage().contains("context length of 160"), tooLong.getMessage());
    }
}
