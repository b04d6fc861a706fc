package calm.compose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.HiddenStates;
import calm.model.LayerHook;
import calm.model.Window;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class PredictionsTest {

    private static final int VOCAB = 29;
    private static final int FROM = 7;
    @Managed
    private NDManager manager;
    private DecoderLM model;
    private NDArray head;

    @BeforeEach
    void setUp() {
        model = Tiny.gpt(manager, VOCAB, 32, 3, 4, 31);
        Engine.getInstance().setRandomSeed(32);
        head = manager.randomNormal(0, 0.5f, new Shape(32, 32), DataType.FLOAT32);
    }

    /** The view's layer L + 1 over a full pass. */
    private NDArray predictions(Predictions view, NDArray tokens) {
        int layer = view.layers().numLayers();
        HiddenStates states = new HiddenStates(layer, layer);
        view.hidden(Window.full(tokens, null), null, states, layer);
        return states.get(layer);
    }

    /** The argmax token at each position, from logits [B, T, V]. */
    private static long[] argMax(NDArray logits) {
        return logits.argMax(2).toLongArray();
    }

    /** Which id is hot in each V-wide block, or -1 where the block is all zero. */
    private static long[] hot(NDArray block) {
        float[] values = block.toFloatArray();
        int positions = values.length / VOCAB;
        long[] ids = new long[positions];
        for (int p = 0; p < positions; p++) {
            ids[p] = -1;
            float sum = 0;
            for (int v = 0; v < VOCAB; v++) {
                sum += values[p * VOCAB + v];
                if (values[p * VOCAB + v] == 1f) {
                    ids[p] = v;
                }
            }
            assertTrue(sum == 0f || sum == 1f, "position " + p + " is not one-hot: " + sum);
        }
        return ids;
    }

    @Test
    void layerLPlusOneHoldsTheOneHotOfEachPredictedToken() {
        Predictions view = new Predictions(model, List.of(head), -1);
        assertEquals(new SourceLayers(4, 4, "a model read through its predictions: layer 4 (its 3 layers plus one) is "
                + "the only one a connection reads"), view.layers());
        assertEquals(2 * VOCAB, view.width(4));
        assertEquals(32, view.width(3));
        assertEquals(2, view.predictions());
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 11, 3);
        NDArray state = predictions(view, tokens);
        assertEquals(new Shape(2, 11, 2 * VOCAB), state.getShape());

        NDArray hidden = model.hidden(Window.full(tokens, null), null, LayerHook.NONE, model.numLayers());
        long[] next = argMax(model.logits(Batch.of(tokens)));
        long[] second = argMax(model.project(hidden.add(hidden.matMul(head.transpose()))));
        assertArrayEquals(next, hot(state.get(new NDIndex(":, :, :{}", VOCAB))));
        assertArrayEquals(second, hot(state.get(new NDIndex(":, :, {}:", VOCAB))));
        // The head changes the prediction somewhere, so the second block is not a copy of the first.
        assertFalse(Arrays.equals(next, second));
    }

    @Test
    void theLowerLayersAreTheModelsOwn() {
        Predictions view = new Predictions(model, List.of(), -1);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 9, 4);
        HiddenStates own = HiddenStates.all(model.numLayers());
        model.hidden(Window.full(tokens, null), null, own, model.numLayers());
        HiddenStates seen = HiddenStates.all(view.layers().numLayers());
        view.hidden(Window.full(tokens, null), null, seen, view.layers().numLayers());
        for (int layer = 0; layer <= model.numLayers(); layer++) {
            assertArrayEquals(own.get(layer).toFloatArray(), seen.get(layer).toFloatArray(), "layer " + layer);
        }
    }

    @Test
    void predictionsBeforeTheFirstFromTokenAreZero() {
        long[] ids = {2, 5, 9, FROM, 3, FROM, 4, 1, 1, 8, 2, 6, 6, 3, FROM, 5};
        NDArray tokens = manager.create(ids, new Shape(2, 8));
        NDArray everywhere = predictions(new Predictions(model, List.of(head), -1), tokens);
        NDArray fromToken = predictions(new Predictions(model, List.of(head), FROM), tokens);
        float[] all = everywhere.toFloatArray();
        float[] masked = fromToken.toFloatArray();
        int[] firstFrom = {3, 6};
        int width = 2 * VOCAB;
        for (int row = 0; row < 2; row++) {
            for (int column = 0; column < 8; column++) {
                for (int f = 0; f < width; f++) {
                    int i = (row * 8 + column) * width + f;
                    assertEquals(column < firstFrom[row] ? 0f : all[i], masked[i], "row " + row + " column " + column);
                }
            }
        }
    }

    @Test
    void cachedDecodingThroughTheViewEqualsAFullPassWhereverTheFromTokenStands() {
        // Row 0 meets the token in the prompt, row 1 only after it, while decoding.
        long[] ids = new long[2 * 20];
        NDArray random = Tiny.tokens(manager, VOCAB, 2, 20, 9);
        long[] drawn = random.toLongArray();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = drawn[i] == FROM ? FROM + 1 : drawn[i];
        }
        ids[4] = FROM;
        ids[20 + 12] = FROM;
        NDArray tokens = manager.create(ids, new Shape(2, 20));
        Engine.getInstance().setRandomSeed(5);
        ComposedModel composed = ComposedModel.builder(Tiny.gpt(manager, VOCAB, 48, 2, 4, 33))
                .augment(new Predictions(model, List.of(head), FROM),
                        Wiring.of(4, 2, List.of(new Connection(4, 1), new Connection(4, 2))), Augmentation.Mode.LOCKSTEP)
                .zeroInitOutput(false)
                .normalize(true)
                .positionBias(PositionBias.ALIBI)
                .build(manager);
        NDArray full = composed.logits(Batch.of(tokens));
        Tiny.assertCachedMatchesFull(composed, tokens, 6, full);
    }

    @Test
    void connectionsIntoTheViewMustReadItsPredictions() {
        Predictions view = new Predictions(model, List.of(), -1);
        DecoderLM anchor = Tiny.gpt(manager, VOCAB, 48, 2, 4, 34);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ComposedModel.builder(anchor)
                .augment(view, Wiring.of(4, 2, List.of(new Connection(3, 1))), Augmentation.Mode.LOCKSTEP));
        assertEquals("augmenting model 0: connection (3, 1) reads layer 3 of a model read through its predictions: layer 4 "
                + "(its 3 layers plus one) is the only one a connection reads", error.getMessage());
    }

    @Test
    void aHeadOfTheWrongShapeOrAFromOutsideTheVocabularyIsRefused() {
        NDArray wrong = manager.zeros(new Shape(32, 16));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new Predictions(model, List.of(head, wrong), -1));
        assertEquals("head t3 has shape (32, 16), the model's hidden size needs (32, 32)", shape.getMessage());
        IllegalArgumentException from = assertThrows(IllegalArgumentException.class,
                () -> new Predictions(model, List.of(), VOCAB));
        assertEquals("from 29 is not a token id of the model's vocabulary of 29 (or -1)", from.getMessage());
    }
}
