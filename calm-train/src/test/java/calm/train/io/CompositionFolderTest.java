package calm.train.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.Connection;
import calm.compose.PositionBias;
import calm.compose.Predictions;
import calm.compose.Wiring;
import calm.io.Checksums;
import calm.io.DamagedFileException;
import calm.io.FolderLayout;
import calm.io.ModelFolder;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class CompositionFolderTest {

    @TempDir
    Path folder;

    @Managed
    private NDManager manager;

    private DecoderLM gpt(int width, int layers, int seed) {
        DecoderLM model = new GptConfig(20, 16, width, layers, 2, 2 * width, true, GptConfig.Activation.GELU_TANH, 1e-5).newModel();
        Engine.getInstance().setRandomSeed(seed);
        model.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    /** Saves a composition built with {@code options}, loads it and checks it gives the same logits. */
    private ComposedModel roundTrip(UnaryOperator<ComposedModel.Builder> options) throws IOException {
        DecoderLM anchor = gpt(24, 2, 1);
        DecoderLM augmenting = gpt(16, 3, 2);
        ModelFolder.save(anchor, folder.resolve("anchor"), Map.of());
        ModelFolder.save(augmenting, folder.resolve("augmenting"), Map.of());
        Engine.getInstance().setRandomSeed(3);
        ComposedModel composed = options.apply(ComposedModel.builder(anchor)
                .augment(augmenting, Wiring.of(3, 2, List.of(new Connection(1, 1), new Connection(3, 2))), Augmentation.Mode.LOCKSTEP)
                .zeroInitOutput(false))
                .build(manager);
        CompositionFolder.save(composed, folder.resolve("composition"), folder.resolve("anchor"),
                List.of(folder.resolve("augmenting")), Map.of("job", "test"));

        ComposedModel loaded = CompositionFolder.load(folder.resolve("composition"), null, manager);
        NDArray tokens = manager.create(new long[] {1, 5, 7, 9, 3, 2, 11, 4}, new Shape(2, 4));
        assertArrayEquals(composed.logits(Batch.of(tokens)).toFloatArray(), loaded.logits(Batch.of(tokens)).toFloatArray());
        assertEquals(List.of(new Connection(1, 1), new Connection(3, 2)), loaded.augmentations().get(0).wiring().connections());
        return loaded;
    }

    @Test
    void aSavedCompositionLoadsToTheSameLogits() throws IOException {
        ComposedModel loaded = roundTrip(builder -> builder);
        assertEquals(2, loaded.connection(0, 1).heads());
        assertEquals(false, loaded.connection(0, 1).normalize());
        assertEquals(PositionBias.NONE, loaded.connection(0, 1).positionBias());
    }

    @Test
    void normalizationAndThePositionBiasAreSavedWithTheConnections() throws IOException {
        ComposedModel loaded = roundTrip(builder -> builder.normalize(true).positionBias(PositionBias.ALIBI));
        assertEquals(true, loaded.connection(0, 1).normalize());
        assertEquals(PositionBias.ALIBI, loaded.connection(0, 1).positionBias());
    }

    @Test
    void aCompositionReadingPredictionsLoadsWithItsHeadsAndRefusesOtherHeads() throws IOException {
        DecoderLM anchor = gpt(24, 2, 1);
        DecoderLM augmenting = gpt(16, 3, 2);
        Engine.getInstance().setRandomSeed(4);
        List<NDArray> heads = List.of(manager.randomNormal(new Shape(16, 16)), manager.randomNormal(new Shape(16, 16)));
        ModelFolder.save(anchor, folder.resolve("anchor"), Map.of());
        ModelFolder.save(augmenting, heads, folder.resolve("augmenting"), Map.of());
        Predictions view = new Predictions(augmenting, heads, 7);
        Engine.getInstance().setRandomSeed(3);
        ComposedModel composed = ComposedModel.builder(anchor)
                .augment(view, Wiring.of(4, 2, List.of(new Connection(4, 1), new Connection(4, 2))), Augmentation.Mode.LOCKSTEP)
                .zeroInitOutput(false).build(manager);
        CompositionFolder.save(composed, folder.resolve("composition"), folder.resolve("anchor"),
                List.of(folder.resolve("augmenting")), null);

        ComposedModel loaded = CompositionFolder.load(folder.resolve("composition"), null, manager);
        Predictions read = (Predictions) loaded.augmentations().get(0).source();
        assertEquals(3, read.predictions());
        assertEquals(7, read.from());
        // Each row reads predictions from its 7 on: column 2 in the first row, 3 in the second.
        NDArray tokens = manager.create(new long[] {1, 5, 7, 9, 3, 2, 11, 4, 1, 7, 2, 2}, new Shape(2, 6));
        float[] expected = composed.logits(Batch.of(tokens)).toFloatArray();
        assertArrayEquals(expected, loaded.logits(Batch.of(tokens)).toFloatArray());
        // The predictions change what the anchor computes (so a load that dropped them would fail above).
        float[] anchorAlone = anchor.logits(Batch.of(tokens)).toFloatArray();
        assertFalse(Arrays.equals(expected, anchorAlone));

        ModelFolder.save(augmenting, List.of(heads.get(1), heads.get(0)), folder.resolve("augmenting"), Map.of());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompositionFolder.load(folder.resolve("composition"), null, manager));
        assertTrue(error.getMessage().contains(folder.resolve("augmenting").resolve(ModelFolder.HEADS)
                + " does not hold the heads this composition was trained with"), error.getMessage());
    }

    @Test
    void anotherAnchorWithTheSameShapeIsRefused() throws IOException {
        DecoderLM anchor = gpt(24, 2, 1);
        DecoderLM augmenting = gpt(16, 3, 2);
        ModelFolder.save(anchor, folder.resolve("anchor"), Map.of());
        ModelFolder.save(augmenting, folder.resolve("augmenting"), Map.of());
        ModelFolder.save(gpt(24, 2, 9), folder.resolve("impostor"), Map.of());
        ComposedModel composed = ComposedModel.builder(anchor).augment(augmenting).build(manager);
        CompositionFolder.save(composed, folder.resolve("composition"), folder.resolve("anchor"),
                List.of(folder.resolve("augmenting")), null);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompositionFolder.load(folder.resolve("composition"), folder.resolve("impostor"), manager));
        assertTrue(error.getMessage().contains("the anchor in " + folder.resolve("impostor")
                + " is not the model this composition was trained with"), error.getMessage());
    }

    @Test
    void aCompositionMovedWithItsModelsLoadsAndOneMovedAloneNamesWhatIsMissing() throws IOException {
        roundTrip(builder -> builder);
        // The three folders moved together: the relative paths still lead to the models.
        Path moved = folder.resolve("moved");
        Files.createDirectories(moved);
        for (String name : List.of("anchor", "augmenting", "composition")) {
            Files.move(folder.resolve(name), moved.resolve(name));
        }
        ComposedModel loaded = CompositionFolder.load(moved.resolve("composition"), null, manager);
        assertEquals(2, loaded.augmentations().get(0).wiring().connections().size());
        // The composition alone moved one level deeper: the message names the path, where it leads and the hash.
        Path alone = moved.resolve("deeper").resolve("composition");
        Files.createDirectories(alone.getParent());
        Files.move(moved.resolve("composition"), alone);
        String sha256 = FolderLayout.PROJECT.weightsSha256(moved.resolve("anchor"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompositionFolder.load(alone, null, manager));
        assertEquals(alone.resolve("composition.json") + ": the anchor is missing: the composition refers to it as "
                + "../anchor, relative to its own folder, which leads to " + moved.resolve("deeper").resolve("anchor")
                + ", and no model is there (no config.json). Was the composition folder moved or copied without its "
                + "models? Keep them side by side as they were saved, or put the anchor (weights SHA-256 " + sha256
                + ") at " + moved.resolve("deeper").resolve("anchor"), error.getMessage());
    }

    @Test
    void aDamagedCompositionJsonIsNamedWithItsLine() throws IOException {
        roundTrip(builder -> builder);
        Path spec = folder.resolve("composition").resolve(CompositionFolder.SPEC);
        Files.writeString(spec, "{\"format\": \"calm-composition/1\", \"anchor\": \n");
        // Its recorded SHA-256 names the change first; a folder saved before the record existed is read as it is.
        DamagedFileException changed = assertThrows(DamagedFileException.class,
                () -> CompositionFolder.load(folder.resolve("composition"), null, manager));
        assertTrue(changed.getMessage().startsWith(spec + ": its SHA-256 is "), changed.getMessage());
        Files.delete(spec.resolveSibling(Checksums.FILE));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompositionFolder.load(folder.resolve("composition"), null, manager));
        assertTrue(error.getMessage().startsWith(spec + ": not valid JSON (line 2, column 1): "), error.getMessage());
        assertFalse(error.getMessage().contains("REDACTED"), error.getMessage());
    }
}
