package calm.compose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import calm.io.hf.HfFolder;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CALM with a loaded Hugging Face anchor (llama-tiny: 2 layers, D 32, GQA, vocab 384) and smaller
 * augmenting models of other widths, depths and families that share its vocabulary.
 */
@ExtendWith(ManagedExtension.class)
class PretrainedAnchorTest {

    private static final int VOCAB = 384;
    @Managed
    private NDManager manager;
    private DecoderLM anchor;

    @BeforeEach
    void setUp() throws Exception {
        anchor = HfFolder.load(Tiny.fixture("llama-tiny"), manager);
    }

    private List<DecoderLM> augmentingModels() {
        return List.of(
                Tiny.llama(manager, VOCAB, 16, 3, 2, 1, true, 31),
                Tiny.gpt(manager, VOCAB, 24, 3, 2, 32));
    }

    @Test
    void untrainedCompositionGivesTheAnchorsLogitsExactly() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 14, 1);
        float[] alone = anchor.logits(Batch.of(tokens)).toFloatArray();
        for (DecoderLM augmenting : augmentingModels()) {
            ComposedModel composed = ComposedModel.builder(anchor)
                    .augment(augmenting, Wiring.of(3, 2, List.of(new Connection(1, 1), new Connection(3, 2))), Augmentation.Mode.LOCKSTEP)
                    .build(manager);
            assertArrayEquals(alone, composed.logits(Batch.of(tokens)).toFloatArray(), augmenting.config().toString());
            assertEquals(2 * (augmenting.hiddenSize() * 32 + 32 + 4 * 32 * 32), composed.trainableParameterCount());
        }
    }

    @Test
    void trainedLookingCompositionIsCausalChangesTheAnchorAndDecodesWithCaches() {
        for (DecoderLM augmenting : augmentingModels()) {
            Engine.getInstance().setRandomSeed(5);
            ComposedModel composed = ComposedModel.builder(anchor)
                    .augment(augmenting, Wiring.of(3, 2, List.of(new Connection(1, 1), new Connection(3, 2))), Augmentation.Mode.LOCKSTEP)
                    .zeroInitOutput(false)
                    .build(manager);
            NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 40, 2);
            NDArray changed = tokens.duplicate();
            int t = 11;
            changed.set(new NDIndex(":, {}:", t + 1), Tiny.tokens(manager, VOCAB, 2, 40 - t - 1, 3));
            NDArray before = composed.logits(Batch.of(tokens));
            NDArray after = composed.logits(Batch.of(changed));
            NDIndex upToT = new NDIndex(":, :{}", t + 1);
            assertTrue(Tiny.maxDifference(before.get(upToT), after.get(upToT)) <= 1e-6f, "future tokens leaked");
            assertTrue(Tiny.maxDifference(before, anchor.logits(Batch.of(tokens))) > 1e-3f, "connections changed nothing");

            int prompt = 5;
            try (Decoding decoding = composed.startDecoding(tokens.get(new NDIndex(":, :{}", prompt)), null, 40)) {
                for (int column = prompt - 1; column < 40; column++) {
                    float difference = Tiny.maxDifference(decoding.lastLogits(), before.get(new NDIndex(":, {}, :", column)));
                    assertTrue(difference <= 1e-4f, "column " + column + " differs by " + difference);
                    if (column + 1 < 40) {
                        decoding.feed(tokens.get(new NDIndex(":, {}:{}", column + 1, column + 2)));
                    }
                }
            }
            assertTrue(anchor.trainableParameters().isEmpty(), "the loaded anchor stays frozen");
        }
    }
}
