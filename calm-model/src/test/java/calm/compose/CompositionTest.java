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
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import calm.model.AttentionMask;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.model.HiddenStates;
import calm.model.LayerHook;
import calm.model.Window;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class CompositionTest {

    private static final int VOCAB = 29;
    @Managed
    private NDManager manager;
    private DecoderLM anchor;
    private DecoderLM augmenting;

    @BeforeEach
    void setUp() {
        anchor = Tiny.gpt(manager, VOCAB, 48, 4, 4, 21);
        augmenting = Tiny.gpt(manager, VOCAB, 32, 8, 4, 22);
    }

    private ComposedModel trainedLooking(Augmentation.Mode mode) {
        Engine.getInstance().setRandomSeed(5);
        return ComposedModel.builder(anchor)
                .augment(augmenting, Wiring.of(8, 4, List.of(new Connection(2, 1), new Connection(6, 3))), mode)
                .zeroInitOutput(false)
                .build(manager);
    }

    private ComposedModel normalizedWithAlibi(Augmentation.Mode mode) {
        Engine.getInstance().setRandomSeed(5);
        return ComposedModel.builder(anchor)
                .augment(augmenting, Wiring.of(8, 4, List.of(new Connection(2, 1), new Connection(6, 3))), mode)
                .zeroInitOutput(false)
                .normalize(true)
                .positionBias(PositionBias.ALIBI)
                .build(manager);
    }

    @Test
    void untrainedCompositionGivesTheAnchorsLogitsExactly() {
        ComposedModel composed = ComposedModel.builder(anchor).augment(augmenting).build(manager);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 15, 1);
        assertArrayEquals(anchor.logits(Batch.of(tokens)).toFloatArray(), composed.logits(Batch.of(tokens)).toFloatArray());
    }

    @Test
    void connectionsChangeTheAnchorOnceTheirOutputIsNonZero() {
        ComposedModel composed = trainedLooking(Augmentation.Mode.LOCKSTEP);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 15, 1);
        assertTrue(Tiny.maxDifference(anchor.logits(Batch.of(tokens)), composed.logits(Batch.of(tokens))) > 1e-3f);
    }

    @Test
    void theObserverSeesTheAnchorStreamAfterTheConnectionsAdded() {
        ComposedModel composed = trainedLooking(Augmentation.Mode.LOCKSTEP);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 15, 1);
        HiddenStates observed = HiddenStates.all(4);
        NDArray logits = composed.logits(Batch.of(tokens), observed);
        Window window = Window.full(tokens, null);
        HiddenStates alone = HiddenStates.all(4);
        anchor.hidden(window, null, alone, 4);
        HiddenStates augmentingStates = new HiddenStates(8, 2);
        augmenting.hidden(window, null, augmentingStates, 2);

        assertArrayEquals(composed.logits(Batch.of(tokens)).toFloatArray(), logits.toFloatArray());
        assertArrayEquals(anchor.project(observed.get(4)).toFloatArray(), logits.toFloatArray());
        assertArrayEquals(alone.get(0).toFloatArray(), observed.get(0).toFloatArray());
        // Connection (2, 1) writes after anchor layer 1: what the observer sees there is the anchor's
        // own layer 1 plus that connection's cross-attention over m_A's layer 2.
        CrossAttention first = composed.connection(0, 0);
        NDArray[] kv = first.keysValues(augmentingStates.get(2));
        NDArray bias = composed.scoreBias(0, AttentionMask.bias(window.queryMask(), window.keyMask(), 0), 0);
        NDArray expected = alone.get(1).add(first.attend(alone.get(1), kv[0], kv[1], bias));
        assertTrue(Tiny.maxDifference(expected, observed.get(1)) < 1e-5f);
        assertTrue(Tiny.maxDifference(alone.get(1), observed.get(1)) > 1e-3f);
    }

    @Test
    void whatTheObserverReturnsIsWhatTheNextAnchorLayerReads() {
        ComposedModel composed = ComposedModel.builder(anchor).augment(augmenting).build(manager);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 15, 1);
        NDArray delta = manager.randomNormal(new Shape(48));
        NDArray observed = composed.logits(Batch.of(tokens), LayerHook.adding(2, delta));
        NDArray direct = anchor.logits(Window.full(tokens, null), null, LayerHook.adding(2, delta));
        assertArrayEquals(direct.toFloatArray(), observed.toFloatArray());
        assertTrue(Tiny.maxDifference(anchor.logits(Batch.of(tokens)), observed) > 1e-3f);
    }

    @Test
    void changingLaterTokensLeavesEarlierComposedLogitsUnchanged() {
        ComposedModel composed = trainedLooking(Augmentation.Mode.LOCKSTEP);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 20, 2);
        NDArray changed = tokens.duplicate();
        int t = 9;
        changed.set(new NDIndex(":, {}:", t + 1), Tiny.tokens(manager, VOCAB, 2, 20 - t - 1, 3));
        NDArray before = composed.logits(Batch.of(tokens));
        NDArray after = composed.logits(Batch.of(changed));
        NDIndex upToT = new NDIndex(":, :{}", t + 1);
        float difference = Tiny.maxDifference(before.get(upToT), after.get(upToT));
        assertTrue(difference <= 1e-6f, "logits at positions <= t changed by " + difference);
    }

    @Test
    void augmentingStatesAfterAPositionNeverReachIt() {
        // The anchor's own tokens stay fixed; only what the augmenting model reads after t changes.
        // Any leak must then come through the cross-attention, whatever the anchor's self-attention does.
        ComposedModel composed = trainedLooking(Augmentation.Mode.LOCKSTEP);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 1, 16, 4);
        NDArray promptOnly = manager.create(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 16));
        NDArray lockstep = composed.logits(Batch.of(tokens)).get(new NDIndex(":, :8"));
        ComposedModel encoder = ComposedModel.builder(anchor)
                .augment(augmenting, composed.augmentations().get(0).wiring(), Augmentation.Mode.ENCODER)
                .build(manager);
        copyConnections(composed, encoder);
        NDArray asEncoder = encoder.logits(new Batch(tokens, null, promptOnly)).get(new NDIndex(":, :8"));
        assertTrue(Tiny.maxDifference(lockstep, asEncoder) <= 1e-6f);
    }

    @Test
    void cachedDecodingEqualsFullForwardInLockstep() {
        assertCachedEqualsFull(trainedLooking(Augmentation.Mode.LOCKSTEP), false);
    }

    @Test
    void cachedDecodingEqualsFullForwardWithAnEncoderOnlyAugmentingModel() {
        assertCachedEqualsFull(trainedLooking(Augmentation.Mode.ENCODER), true);
    }

    @Test
    void cachedDecodingEqualsFullForwardWithNormalizedAlibiConnections() {
        assertCachedEqualsFull(normalizedWithAlibi(Augmentation.Mode.LOCKSTEP), false);
        assertCachedEqualsFull(normalizedWithAlibi(Augmentation.Mode.ENCODER), true);
    }

    @Test
    void normalizationAndAlibiChangeTheLogitsButAddNoParameter() {
        ComposedModel paper = trainedLooking(Augmentation.Mode.LOCKSTEP);
        ComposedModel options = normalizedWithAlibi(Augmentation.Mode.LOCKSTEP);
        assertEquals(paper.trainableParameterCount(), options.trainableParameterCount());
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 15, 1);
        assertTrue(Tiny.maxDifference(paper.logits(Batch.of(tokens)), options.logits(Batch.of(tokens))) > 1e-3f);
        ComposedModel untrained = ComposedModel.builder(anchor).augment(augmenting).normalize(true)
                .positionBias(PositionBias.ALIBI).build(manager);
        assertArrayEquals(anchor.logits(Batch.of(tokens)).toFloatArray(), untrained.logits(Batch.of(tokens)).toFloatArray(),
                "a zero W_O still adds nothing");
    }

    @Test
    void alibiKeepsLaterAugmentingStatesFromEarlierPositions() {
        ComposedModel composed = normalizedWithAlibi(Augmentation.Mode.LOCKSTEP);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 20, 2);
        NDArray changed = tokens.duplicate();
        changed.set(new NDIndex(":, 10:"), Tiny.tokens(manager, VOCAB, 2, 10, 3));
        NDIndex upTo9 = new NDIndex(":, :10");
        assertTrue(Tiny.maxDifference(composed.logits(Batch.of(tokens)).get(upTo9),
                composed.logits(Batch.of(changed)).get(upTo9)) <= 1e-6f);
    }

    private void assertCachedEqualsFull(ComposedModel composed, boolean encoder) {
        int prompt = 7;
        int steps = 66;
        int total = prompt + steps;
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, total, 5);
        float[] promptMask = new float[2 * total];
        for (int row = 0; row < 2; row++) {
            for (int i = 0; i < prompt; i++) {
                promptMask[row * total + i] = 1;
            }
        }
        NDArray full = composed.logits(new Batch(tokens, null, encoder ? manager.create(promptMask, new Shape(2, total)) : null));
        Tiny.assertCachedMatchesFull(composed, tokens, prompt, full);
    }

    @Test
    void encoderOnlyAugmentationDiffersFromLockstepAfterThePrompt() {
        ComposedModel lockstep = trainedLooking(Augmentation.Mode.LOCKSTEP);
        NDArray tokens = Tiny.tokens(manager, VOCAB, 1, 12, 6);
        NDArray promptMask = manager.create(new float[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 12));
        ComposedModel encoder = ComposedModel.builder(anchor)
                .augment(augmenting, lockstep.augmentations().get(0).wiring(), Augmentation.Mode.ENCODER)
                .build(manager);
        copyConnections(lockstep, encoder);
        NDArray a = lockstep.logits(Batch.of(tokens));
        NDArray b = encoder.logits(new Batch(tokens, null, promptMask));
        assertTrue(Tiny.maxDifference(a.get(new NDIndex(":, :5")), b.get(new NDIndex(":, :5"))) <= 1e-6f);
        assertTrue(Tiny.maxDifference(a.get(new NDIndex(":, 5:")), b.get(new NDIndex(":, 5:"))) > 1e-4f);
    }

    @Test
    void trainingChangesOnlyTheConnections() {
        ComposedModel composed = ComposedModel.builder(anchor).augment(augmenting).build(manager);
        Map<Parameter, float[]> bases = new LinkedHashMap<>();
        for (DecoderLM model : List.of(anchor, augmenting)) {
            model.getParameters().values().forEach(p -> bases.put(p, p.getArray().toFloatArray()));
        }
        Map<Parameter, float[]> connections = new LinkedHashMap<>();
        composed.trainableParameters().forEach(p -> connections.put(p, p.getArray().toFloatArray()));
        assertEquals(composed.trainableParameterCount(),
                connections.keySet().stream().mapToLong(p -> p.getShape().size()).sum());

        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-2f)).build();
        NDArray tokens = Tiny.tokens(manager, VOCAB, 4, 12, 7);
        for (int step = 0; step < 10; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray batch = tokens.duplicate();
                batch.attach(scope);
                NDArray inputs = batch.get(new NDIndex(":, :-1"));
                NDArray targets = batch.get(new NDIndex(":, 1:"));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = composed.logits(Batch.of(inputs));
                    NDArray loss = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).mean().neg();
                    collector.backward(loss);
                }
                for (Parameter parameter : composed.trainableParameters()) {
                    NDArray weight = parameter.getArray();
                    adamW.update(parameter.getId(), weight, weight.getGradient());
                }
            }
        }
        for (Map.Entry<Parameter, float[]> base : bases.entrySet()) {
            NDArray array = base.getKey().getArray();
            assertArrayEquals(base.getValue(), array.toFloatArray(), base.getKey().getName());
            assertFalse(array.hasGradient(), "frozen parameter has a gradient");
            assertFalse(base.getKey().requiresGradient());
        }
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<Parameter, float[]> connection : connections.entrySet()) {
            float[] after = connection.getKey().getArray().toFloatArray();
            if (java.util.Arrays.equals(connection.getValue(), after)) {
                unchanged.add(connection.getKey().getName());
            }
        }
        assertTrue(unchanged.isEmpty(), "unchanged composition parameters: " + unchanged);
    }

    @Test
    void trainableCountFollowsThePapersFormula() {
        ComposedModel composed = ComposedModel.builder(anchor).augment(augmenting).build(manager);
        long dA = 32;
        long dB = 48;
        long connections = 2; // every 4th of 8 augmenting layers
        assertEquals(connections * (dA * dB + dB + 4 * dB * dB), composed.trainableParameterCount());
        assertTrue(composed.trainableParameterFormula().startsWith("2 x (32 x 48 + 48 + 4 x 48^2) = 21600"),
                composed.trainableParameterFormula());
        assertEquals(composed.trainableParameterCount(),
                composed.trainableParameters().stream().mapToLong(p -> p.getShape().size()).sum());
    }

    @Test
    void severalAugmentingModelsEachWithTheirOwnWiring() {
        DecoderLM second = Tiny.gpt(manager, VOCAB, 24, 4, 2, 23);
        Engine.getInstance().setRandomSeed(9);
        ComposedModel both = ComposedModel.builder(anchor)
                .augment(augmenting, Wiring.everyFourth(8, 4), Augmentation.Mode.LOCKSTEP)
                .augment(second, Wiring.of(4, 4, List.of(new Connection(1, 2), new Connection(3, 4))), Augmentation.Mode.LOCKSTEP)
                .zeroInitOutput(false)
                .build(manager);
        assertEquals(2 * (32 * 48 + 48 + 4 * 48 * 48) + 2 * (24 * 48 + 48 + 4 * 48 * 48), both.trainableParameterCount());
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 30, 8);
        NDArray full = both.logits(Batch.of(tokens));
        try (Decoding decoding = both.startDecoding(tokens.get(new NDIndex(":, :10")), null, 30)) {
            for (int column = 10; column < 30; column++) {
                decoding.feed(tokens.get(new NDIndex(":, {}:{}", column, column + 1)));
            }
            assertTrue(Tiny.maxDifference(decoding.lastLogits(), full.get(new NDIndex(":, 29, :"))) <= 1e-4f);
        }
        // Removing the second model's influence (zero output) must change the logits.
        ComposedModel firstOnly = ComposedModel.builder(anchor)
                .augment(augmenting, Wiring.everyFourth(8, 4), Augmentation.Mode.LOCKSTEP).build(manager);
        assertTrue(Tiny.maxDifference(full, firstOnly.logits(Batch.of(tokens))) > 1e-3f);
    }

    @Test
    void aVocabularyMismatchIsAClearError() {
        DecoderLM other = Tiny.gpt(manager, VOCAB + 1, 32, 4, 4, 24);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ComposedModel.builder(anchor).augment(other));
        assertTrue(error.getMessage().contains("vocabulary of 30 tokens, the anchor 29"), error.getMessage());
    }

    @Test
    void buildingFreezesBothModels() {
        ComposedModel.builder(anchor).augment(augmenting).build(manager);
        assertTrue(anchor.trainableParameters().isEmpty());
        assertTrue(augmenting.trainableParameters().isEmpty());
    }

    private static void copyConnections(ComposedModel from, ComposedModel to) {
        List<Parameter> source = from.trainableParameters();
        List<Parameter> target = to.trainableParameters();
        for (int i = 0; i < source.size(); i++) {
            target.get(i).getArray().set(source.get(i).getArray().toByteBuffer());
        }
    }
}
