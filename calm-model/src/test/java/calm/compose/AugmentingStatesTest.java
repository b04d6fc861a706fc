package calm.compose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class AugmentingStatesTest {

    private static final int VOCAB = 29;
    private static final int PAD = 0;
    @Managed
    private NDManager manager;
    private DecoderLM anchor;
    private DecoderLM augmenting;
    private List<int[]> sequences;

    @BeforeEach
    void setUp() {
        anchor = Tiny.gpt(manager, VOCAB, 48, 4, 4, 21);
        augmenting = Tiny.gpt(manager, VOCAB, 32, 8, 4, 22);
        Random random = new Random(3);
        sequences = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int[] sequence = new int[5 + random.nextInt(9)];
            for (int t = 0; t < sequence.length; t++) {
                sequence[t] = 1 + random.nextInt(VOCAB - 1);
            }
            sequences.add(sequence);
        }
    }

    private ComposedModel composed(Augmentation.Mode mode) {
        Engine.getInstance().setRandomSeed(5);
        return ComposedModel.builder(anchor)
                .augment(augmenting, Wiring.of(8, 4, List.of(new Connection(2, 1), new Connection(6, 3),
                        new Connection(6, 4))), mode)
                .zeroInitOutput(false)
                .normalize(true)
                .positionBias(PositionBias.ALIBI)
                .build(manager);
    }

    /** The given rows of the sequences, right-padded to the longest of them; the first 3 tokens are the prompt. */
    private Batch batchOf(int... rows) {
        int columns = Arrays.stream(rows).map(r -> sequences.get(r).length).max().orElseThrow();
        long[] tokens = new long[rows.length * columns];
        float[] real = new float[rows.length * columns];
        float[] prompt = new float[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            int[] sequence = sequences.get(rows[i]);
            for (int t = 0; t < sequence.length; t++) {
                tokens[i * columns + t] = sequence[t];
                real[i * columns + t] = 1;
                prompt[i * columns + t] = t < 3 ? 1 : 0;
            }
        }
        Shape shape = new Shape(rows.length, columns);
        return new Batch(manager.create(tokens, shape), manager.create(real, shape), manager.create(prompt, shape));
    }

    private static float[] realLogits(NDArray logits, Batch batch) {
        float[] all = logits.toFloatArray();
        float[] real = batch.mask().toFloatArray();
        int vocab = (int) logits.getShape().get(2);
        List<Float> kept = new ArrayList<>();
        for (int p = 0; p < real.length; p++) {
            if (real[p] != 0) {
                for (int v = 0; v < vocab; v++) {
                    kept.add(all[p * vocab + v]);
                }
            }
        }
        float[] out = new float[kept.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = kept.get(i);
        }
        return out;
    }

    @Test
    void heldStatesGiveTheLogitsOfRunningTheAugmentingModel() {
        for (Augmentation.Mode mode : Augmentation.Mode.values()) {
            ComposedModel composed = composed(mode);
            AugmentingStates states = AugmentingStates.compute(composed, sequences, 3, PAD, manager);
            ComposedModel reading = composed.reading(states);
            Batch batch = batchOf(7, 2, 9, 4);
            assertArrayEquals(realLogits(composed.logits(batch), batch), realLogits(reading.logits(batch), batch), 1e-5f,
                    mode.toString());
        }
    }

    @Test
    void heldStatesAreReadNotRecomputed() {
        ComposedModel composed = composed(Augmentation.Mode.LOCKSTEP);
        ComposedModel reading = composed.reading(AugmentingStates.compute(composed, sequences, 4, PAD, manager));
        Batch held = batchOf(1, 5, 8);
        float[] before = realLogits(reading.logits(held), held);
        augmenting.getParameters().values().forEach(p -> p.getArray().muli(0.5f));

        assertArrayEquals(before, realLogits(reading.logits(held), held), 1e-6f);
        assertTrue(maxDifference(before, realLogits(composed.logits(held), held)) > 1e-3f,
                "changing m_A changes the composition that runs it");
    }

    @Test
    void aBatchWithARowNotHeldRunsTheAugmentingModel() {
        ComposedModel composed = composed(Augmentation.Mode.LOCKSTEP);
        ComposedModel reading = composed.reading(AugmentingStates.compute(composed, sequences.subList(0, 6), 4, PAD,
                manager));
        Batch mixed = batchOf(1, 8);
        float[] before = realLogits(reading.logits(mixed), mixed);
        assertArrayEquals(realLogits(composed.logits(mixed), mixed), before, 1e-5f);
        augmenting.getParameters().values().forEach(p -> p.getArray().muli(0.5f));
        assertTrue(maxDifference(before, realLogits(reading.logits(mixed), mixed)) > 1e-3f,
                "row 8 is not held, so m_A runs and its change shows");
    }

    @Test
    void heldStatesTrainTheConnectionsAsRunningTheModelDoes() {
        ComposedModel composed = composed(Augmentation.Mode.LOCKSTEP);
        ComposedModel reading = composed.reading(AugmentingStates.compute(composed, sequences, 4, PAD, manager));
        Batch batch = batchOf(0, 3, 6);
        List<float[]> direct = gradients(composed, batch);
        List<float[]> read = gradients(reading, batch);
        assertEquals(direct.size(), read.size());
        for (int i = 0; i < direct.size(); i++) {
            assertArrayEquals(direct.get(i), read.get(i), 1e-5f, "gradient " + i);
        }
        assertTrue(direct.stream().anyMatch(g -> maxDifference(g, new float[g.length]) > 1e-4f), "gradients are non-zero");
    }

    @Test
    void theTableIsSizedAndChecked() {
        ComposedModel composed = composed(Augmentation.Mode.LOCKSTEP);
        // layers 2 and 6 of m_A are recorded (6 feeds two connections), D_A = 32, float32
        assertEquals(2L * 32 * 10 * 13 * 4, AugmentingStates.bytes(composed, 10, 13));
        AugmentingStates states = AugmentingStates.compute(composed, sequences, 4, PAD, manager);
        assertEquals(10, states.size());

        Engine.getInstance().setRandomSeed(6);
        ComposedModel other = ComposedModel.builder(anchor).augment(Tiny.gpt(manager, VOCAB, 32, 8, 4, 23)).build(manager);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> other.reading(states));
        assertTrue(error.getMessage().contains("other augmenting models"), error.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> AugmentingStates.compute(composed, List.of(new int[composed.contextLength() + 1]), 4, PAD, manager));
        assertTrue(tooLong.getMessage().contains("context"), tooLong.getMessage());
    }

    private static List<float[]> gradients(ComposedModel model, Batch batch) {
        for (var parameter : model.trainableParameters()) {
            if (parameter.getArray().hasGradient()) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.subi(gradient.duplicate());
            }
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(batch);
            collector.backward(logits.mul(batch.mask().expandDims(-1)).square().sum());
        }
        List<float[]> gradients = new ArrayList<>();
        model.trainableParameters().forEach(p -> gradients.add(p.getArray().getGradient().toFloatArray()));
        return gradients;
    }

    private static float maxDifference(float[] a, float[] b) {
        float most = 0;
        for (int i = 0; i < a.length; i++) {
            most = Math.max(most, Math.abs(a[i] - b[i]));
        }
        return most;
    }
}
