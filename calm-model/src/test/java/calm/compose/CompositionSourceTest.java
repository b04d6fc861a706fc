package calm.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a connection reads, as a type: each source's layers and widths, the one place a wiring is
 * checked against them, and one composition reading one model through its predictions and another
 * through its layer outputs.
 */
@ExtendWith(ManagedExtension.class)
class CompositionSourceTest {

    private static final int VOCAB = 29;
    @Managed
    private NDManager manager;

    @Test
    void layerOutputsOfferEveryLayerAtTheModelsWidth() {
        LayerOutputs source = new LayerOutputs(Tiny.gpt(manager, VOCAB, 24, 3, 2, 1));
        assertEquals(SourceLayers.outputs(3), source.layers());
        for (int layer = 0; layer <= 3; layer++) {
            assertEquals(24, source.width(layer));
        }
        assertEquals(Map.of(), source.recorded());
    }

    @Test
    void predictionsOfferOnlyTheLayerAboveTheModelAtKTimesTheVocabulary() {
        DecoderLM model = Tiny.gpt(manager, VOCAB, 32, 3, 4, 2);
        NDArray head = manager.zeros(new Shape(32, 32));
        Predictions source = new Predictions(model, List.of(head, head), 7);
        assertEquals(new SourceLayers(4, 4, "a model read through its predictions: layer 4 (its 3 layers plus one) is the "
                + "only one a connection reads"), source.layers());
        assertEquals(3 * VOCAB, source.width(4));
        assertEquals(Map.of("from", 7, "heads", 2), source.recorded());
    }

    @Test
    void aWiringIsCheckedAgainstTheSourcesLayersInOnePlace() {
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
                () -> Wiring.of(SourceLayers.predictions(4), 2, List.of(new Connection(5, 1), new Connection(4, 2))));
        assertEquals("connection (4, 2) reads layer 4 of a model read through its predictions: layer 5 (its 4 layers plus "
                + "one) is the only one a connection reads", below.getMessage());
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class,
                () -> Wiring.of(SourceLayers.predictions(4), 2, List.of(new Connection(6, 1))));
        assertEquals("connection (6, 1): augmenting layer 6 is out of range [0, 5] of a model read through its predictions: "
                + "layer 5 (its 4 layers plus one) is the only one a connection reads", above.getMessage());
        IllegalArgumentException outputs = assertThrows(IllegalArgumentException.class,
                () -> Wiring.of(SourceLayers.outputs(4), 2, List.of(new Connection(5, 1))));
        assertEquals("connection (5, 1): augmenting layer 5 is out of range [0, 4]", outputs.getMessage());
        // Layer outputs offer layer 0 (the embeddings) as well.
        assertEquals(1, Wiring.of(SourceLayers.outputs(4), 2, List.of(new Connection(0, 1))).size());
    }

    @Test
    void theBuilderChecksTheWiringAndTheHeadsByTheSameRules() {
        DecoderLM anchor = Tiny.gpt(manager, VOCAB, 48, 2, 4, 3);
        Predictions source = new Predictions(Tiny.gpt(manager, VOCAB, 32, 3, 4, 4), List.of(), -1);
        IllegalArgumentException wiring = assertThrows(IllegalArgumentException.class, () -> ComposedModel.builder(anchor)
                .augment(source, new Wiring(List.of(new Connection(2, 1))), Augmentation.Mode.LOCKSTEP));
        assertEquals("augmenting model 0: connection (2, 1) reads layer 2 of a model read through its predictions: layer 4 "
                + "(its 3 layers plus one) is the only one a connection reads", wiring.getMessage());
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> ComposedModel.builder(anchor)
                .augment(source, new Wiring(List.of(new Connection(4, 1))), Augmentation.Mode.LOCKSTEP).heads(5).build(manager));
        assertEquals("cross-attention heads (5) must be a positive divisor of the anchor width 48", heads.getMessage());
    }

    @Test
    void oneCompositionReadsOneModelThroughItsPredictionsAndAnotherThroughItsLayerOutputs() {
        DecoderLM anchor = Tiny.gpt(manager, VOCAB, 48, 2, 4, 5);
        Engine.getInstance().setRandomSeed(6);
        NDArray head = manager.randomNormal(0, 0.5f, new Shape(32, 32), DataType.FLOAT32);
        Predictions predictions = new Predictions(Tiny.gpt(manager, VOCAB, 32, 3, 4, 7), List.of(head), -1);
        LayerOutputs outputs = new LayerOutputs(Tiny.gpt(manager, VOCAB, 24, 2, 2, 8));
        ComposedModel composed = ComposedModel.builder(anchor)
                .augment(predictions, new Wiring(List.of(new Connection(4, 1))), Augmentation.Mode.LOCKSTEP)
                .augment(outputs, new Wiring(List.of(new Connection(1, 1), new Connection(2, 2))), Augmentation.Mode.LOCKSTEP)
                .zeroInitOutput(false)
                .build(manager);
        // Each connection's f_proj is sized from the width of the layer it reads.
        Map<String, Parameter> parameters = composed.namedParameters();
        assertEquals(new Shape(48, 2 * VOCAB), parameters.get("connections.0.0.proj.weight").getShape());
        assertEquals(new Shape(48, 24), parameters.get("connections.1.0.proj.weight").getShape());
        assertEquals(new Shape(48, 24), parameters.get("connections.1.1.proj.weight").getShape());
        long perConnection = 48L * 48 * 4 + 48;
        assertEquals(2 * VOCAB * 48 + 2 * 24 * 48 + 3 * perConnection, composed.trainableParameterCount());
        assertEquals("1 x (58 x 48 + 48 + 4 x 48^2) + 2 x (24 x 48 + 48 + 4 x 48^2) = " + composed.trainableParameterCount()
                + "   [per connection: D_A x D_B + D_B (f_proj, with bias) + 4 D_B^2 (W_Q, W_K, W_V, W_O)]",
                composed.trainableParameterFormula());
        // The held states are as wide as the layers read: 2V for the predictions, 24 for each of two layers.
        assertEquals((2L * VOCAB + 2 * 24) * 10 * 12 * Float.BYTES, AugmentingStates.bytes(composed, 10, 12));
        // Both sources run in lockstep: cached decoding gives the full pass's logits.
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 12, 9);
        NDArray full = composed.logits(Batch.of(tokens));
        Tiny.assertCachedMatchesFull(composed, tokens, 5, full);
    }
}
