package calm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class NextTokenLossTest {

    private static final int VOCAB = 7;
    @Managed
    private NDManager manager;
    private TrainingBatch batch;
    private NDArray logits;

    @BeforeEach
    void setUp() {
        // Row 0: prompt [1, 3, 4], completion [5, 2]; row 1: prompt [1, 6], completion [3, 4, 2].
        batch = TrainingBatch.of(List.of(
                new TrainingExample(new int[] {1, 3, 4}, new int[] {5, 2}),
                new TrainingExample(new int[] {1, 6}, new int[] {3, 4, 2})), 0, 16, manager);
        Random random = new Random(11);
        float[] values = new float[2 * 4 * VOCAB];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 2;
        }
        logits = manager.create(values, new Shape(2, 4, VOCAB));
    }

    @Test
    void collationShiftsLabelsAndMasksPromptAndPadding() {
        assertArrayEquals(new long[] {1, 3, 4, 5, 1, 6, 3, 4}, batch.batch().tokens().toLongArray());
        assertArrayEquals(new long[] {3, 4, 5, 2, 6, 3, 4, 2}, batch.labels().toLongArray());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 1, 1, 1}, batch.lossMask().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, batch.batch().mask().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 0, 1, 1, 0, 0}, batch.batch().promptMask().toFloatArray());
        assertEquals(5, batch.targetTokens());
        assertEquals(8, batch.inputTokens());
    }

    @Test
    void paddingIsRightAlignedAndMasked() {
        TrainingBatch padded = TrainingBatch.of(List.of(
                new TrainingExample(new int[] {1, 3}, new int[] {2}),
                new TrainingExample(new int[] {1, 6, 6}, new int[] {4, 2})), 0, 16, manager);
        assertArrayEquals(new long[] {1, 3, 0, 0, 1, 6, 6, 4}, padded.batch().tokens().toLongArray());
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 1, 1, 1}, padded.batch().mask().toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 1, 1}, padded.lossMask().toFloatArray());
    }

    @Test
    void theLossIsTheCrossEntropyOfTheCompletionTokensOnly() {
        float[] values = logits.toFloatArray();
        long[] labels = batch.labels().toLongArray();
        float[] mask = batch.lossMask().toFloatArray();
        double expected = 0;
        for (int position = 0; position < 8; position++) {
            if (mask[position] == 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < VOCAB; v++) {
                max = Math.max(max, values[position * VOCAB + v]);
            }
            double sum = 0;
            for (int v = 0; v < VOCAB; v++) {
                sum += Math.exp(values[position * VOCAB + v] - max);
            }
            expected += -(values[position * VOCAB + (int) labels[position]] - max - Math.log(sum));
        }
        assertEquals(expected, NextTokenLoss.sum(logits, batch.labels(), batch.lossMask()).getFloat(), 1e-4);
        assertEquals(expected / 5, NextTokenLoss.per(logits, batch, 5).getFloat(), 1e-5);
    }

    @Test
    void changingAPromptTokensLabelLeavesTheLossUnchanged() {
        float before = NextTokenLoss.sum(logits, batch.labels(), batch.lossMask()).getFloat();
        NDArray changed = batch.labels().duplicate();
        changed.set(new NDIndex("0, 0"), 6);   // the label after BOS of row 0 is a prompt token
        changed.set(new NDIndex("1, 0"), 5);   // and so is row 1's
        assertEquals(before, NextTokenLoss.sum(logits, changed, batch.lossMask()).getFloat());
    }

    @Test
    void changingATargetChangesTheLoss() {
        float before = NextTokenLoss.sum(logits, batch.labels(), batch.lossMask()).getFloat();
        NDArray changed = batch.labels().duplicate();
        changed.set(new NDIndex("0, 2"), 6);   // row 0's first completion token
        assertNotEquals(before, NextTokenLoss.sum(logits, changed, batch.lossMask()).getFloat());
    }

    @Test
    void anExampleLongerThanTheContextIsAClearError() {
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainingBatch.of(List.of(new TrainingExample(new int[] {1, 2, 3}, new int[] {4, 5})), 0, 3, manager));
        assertEquals("an example of 5 tokens needs an input of 4, beyond the model's context length of 3", error.getMessage());
    }
}
