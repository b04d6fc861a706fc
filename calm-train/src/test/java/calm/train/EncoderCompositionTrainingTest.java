package calm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import calm.model.Decoding;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "m_A as encoder" ablation: the anchor reads m_A's states over the prompt only. Training sees
 * prompt and completion in one teacher-forced pass, so it must mask m_A by the prompt mask that
 * {@link TrainingBatch} gives; then training computes what generation computes.
 */
class EncoderCompositionTrainingTest {

    @Test
    void teacherForcedLogitsUseThePromptMaskAndMatchDecoding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM anchor = TinyTraining.gpt(manager, 1);
            DecoderLM augmenting = TinyTraining.gpt(manager, 2);
            Engine.getInstance().setRandomSeed(3);
            ComposedModel encoder = ComposedModel.builder(anchor)
                    .augment(augmenting, Wiring.everyFourth(1, 1), Augmentation.Mode.ENCODER)
                    .zeroInitOutput(false)
                    .build(manager);
            // Large connection weights, so that what m_A contributes is far above rounding.
            encoder.trainableParameters().forEach(parameter -> parameter.getArray().muli(30f));
            TrainingExample example = new TrainingExample(new int[] {1, 4, 9, 5}, new int[] {7, 3, 8, 2});
            TrainingBatch batch = TrainingBatch.of(List.of(example), 0, encoder.contextLength(), manager);
            int promptLength = example.prompt().length;
            assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0}, batch.batch().promptMask().toFloatArray(),
                    "the training batch marks the prompt");
            NDArray trained = encoder.logits(batch.batch());

            int[] sequence = {1, 4, 9, 5, 7, 3, 8};
            try (Decoding decoding = encoder.startDecoding(
                    manager.create(new long[] {1, 4, 9, 5}, new Shape(1, promptLength)), null, sequence.length)) {
                for (int column = promptLength - 1; column < sequence.length; column++) {
                    if (column >= promptLength) {
                        decoding.feed(manager.create(new long[] {sequence[column]}, new Shape(1, 1)));
                    }
                    float[] expected = trained.get(new NDIndex("0, {}, :", column)).toFloatArray();
                    assertArrayEquals(expected, decoding.lastLogits().toFloatArray(), 1e-4f, "column " + column);
                }
            }

            NDArray withoutPromptMask = encoder.logits(new Batch(batch.batch().tokens(), batch.batch().mask(), null));
            float[] lastTrained = trained.get(new NDIndex("0, -1, :")).toFloatArray();
            float[] lastUnmasked = withoutPromptMask.get(new NDIndex("0, -1, :")).toFloatArray();
            float difference = 0;
            for (int i = 0; i < lastTrained.length; i++) {
                difference = Math.max(difference, Math.abs(lastTrained[i] - lastUnmasked[i]));
            }
            assertTrue(difference > 1e-2f, "without the prompt mask m_A's states over the completion leak in: " + difference);
        }
    }
}
