package calm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class GptTest {

    private static final int VOCAB = 37;
    @Managed
    private NDManager manager;
    private DecoderLM model;

    @BeforeEach
    void setUp() {
        model = Tiny.gpt(manager, VOCAB, 32, 3, 4, 11);
    }

    @Test
    void logitsHaveOneRowPerTokenAndVary() {
        NDArray logits = model.logits(Batch.of(Tiny.tokens(manager, VOCAB, 2, 9, 1)));
        assertEquals(new Shape(2, 9, VOCAB), logits.getShape());
        float spread = logits.max().getFloat() - logits.min().getFloat();
        assertTrue(spread > 0.5f, "logits should not be flat, spread " + spread);
    }

    @Test
    void changingLaterTokensLeavesEarlierLogitsUnchanged() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 20, 2);
        NDArray changed = tokens.duplicate();
        int t = 8;
        changed.set(new NDIndex(":, {}:", t + 1), Tiny.tokens(manager, VOCAB, 2, 20 - t - 1, 3));
        NDArray before = model.logits(Batch.of(tokens));
        NDArray after = model.logits(Batch.of(changed));
        NDIndex upToT = new NDIndex(":, :{}", t + 1);
        assertTrue(Tiny.maxDifference(before.get(upToT), after.get(upToT)) <= 1e-6f);
        NDIndex rest = new NDIndex(":, {}:", t + 1);
        assertTrue(Tiny.maxDifference(before.get(rest), after.get(rest)) > 1e-3f,
                "later logits must depend on the changed tokens");
    }

    @Test
    void cachedDecodingEqualsFullForwardFor64Steps() {
        int prompt = 6;
        int steps = 70;
        NDArray tokens = Tiny.tokens(manager, VOCAB, 3, prompt + steps, 4);
        Tiny.assertCachedMatchesFull(model, tokens, prompt, model.logits(Batch.of(tokens)));
    }

    @Test
    void leftPaddedPromptGivesTheSameLogitsAsTheUnpaddedOne() {
        NDArray row = Tiny.tokens(manager, VOCAB, 1, 7, 5);
        NDArray padded = manager.zeros(new Shape(1, 10), row.getDataType());
        padded.set(new NDIndex(":, 3:"), row);
        NDArray mask = manager.create(new float[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, new Shape(1, 10));
        NDArray plain = model.logits(Batch.of(row));
        NDArray withPadding = model.logits(new Batch(padded, mask, null)).get(new NDIndex(":, 3:"));
        assertTrue(Tiny.maxDifference(plain, withPadding) <= 1e-5f);
    }

    @Test
    void positionOffsetsMoveEachRowsPositionIdsOnly() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 7, 5);
        NDArray offsets = manager.create(new long[] {3, 0}, new Shape(2, 1));
        NDArray shifted = model.logits(new Batch(tokens, null, null, offsets));
        NDArray real = manager.ones(new Shape(1, 7));
        NDArray fromThree = manager.arange(3, 10, 1, DataType.INT64).reshape(1, 7);
        NDArray first = tokens.get(new NDIndex("0:1"));
        NDArray expected = model.logits(new Window(first, 0, real, real, fromThree), null, LayerHook.NONE);
        assertTrue(Tiny.maxDifference(expected, shifted.get(new NDIndex("0:1"))) <= 1e-5f);
        assertTrue(Tiny.maxDifference(model.logits(Batch.of(first)), shifted.get(new NDIndex("0:1"))) > 1e-3f,
                "an offset must change what the row reads");
        NDArray second = tokens.get(new NDIndex("1:2"));
        assertTrue(Tiny.maxDifference(model.logits(Batch.of(second)), shifted.get(new NDIndex("1:2"))) <= 1e-5f);
    }

    @Test
    void hookStatesEqualLayerByLayerRecomputation() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 12, 6);
        Window window = Window.full(tokens, null);
        HiddenStates states = HiddenStates.all(model.numLayers());
        model.logits(window, null, states);
        for (int layer = 0; layer <= model.numLayers(); layer++) {
            NDArray recomputed = model.hidden(window, null, LayerHook.NONE, layer);
            assertArrayEquals(recomputed.toFloatArray(), states.get(layer).toFloatArray(), "layer " + layer);
        }
        assertTrue(Tiny.maxDifference(states.get(1), states.get(2)) > 1e-3f);
    }

    @Test
    void addingZerosThroughAHookLeavesLogitsBitwiseUnchanged() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 12, 7);
        Window window = Window.full(tokens, null);
        NDArray plain = model.logits(window, null, LayerHook.NONE);
        for (int layer = 0; layer <= model.numLayers(); layer++) {
            NDArray zeros = manager.zeros(new Shape(2, 12, 32));
            NDArray hooked = model.logits(window, null, LayerHook.adding(layer, zeros));
            assertArrayEquals(plain.toFloatArray(), hooked.toFloatArray(), "layer " + layer);
        }
    }

    @Test
    void addingThroughAHookChangesWhatTheNextLayerReads() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 1, 5, 8);
        Window window = Window.full(tokens, null);
        NDArray delta = manager.ones(new Shape(1, 5, 32));
        HiddenStates plain = HiddenStates.all(model.numLayers());
        model.logits(window, null, plain);
        HiddenStates shifted = HiddenStates.all(model.numLayers());
        model.logits(window, null, LayerHook.adding(1, delta).then(shifted));
        assertTrue(Tiny.maxDifference(plain.get(1).add(delta), shifted.get(1)) == 0f);
        assertTrue(Tiny.maxDifference(plain.get(2), shifted.get(2)) > 1e-3f);
    }

    @Test
    void hiddenStopsAtTheRequestedLayer() {
        Window window = Window.full(Tiny.tokens(manager, VOCAB, 1, 4, 9), null);
        assertThrows(IllegalArgumentException.class, () -> model.hidden(window, null, LayerHook.NONE, 4));
        assertEquals(new Shape(1, 4, 32), model.hidden(window, null, LayerHook.NONE, 0).getShape());
    }

    @Test
    void sequenceLongerThanTheContextIsAClearError() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 1, 161, 10);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> model.logits(Batch.of(tokens)));
        assertTrue(error.getMessage().contains("context length of 160"), error.getMessage());
    }
}
