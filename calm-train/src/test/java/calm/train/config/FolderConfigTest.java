package calm.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.compose.Connection;
import calm.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configs that compose two existing model folders: read as strictly as the key-value experiment's. */
class FolderConfigTest {

    private static final String MINIMAL = """
            models:
              a: {folder: models/small}
              b: {folder: models/large}
            data:
              train: data/train.jsonl
            """;

    @TempDir
    Path folder;

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parseFolderComposition("f.yaml", "f", yaml)).getMessage();
    }

    @Test
    void unwrittenSectionsTakeTheDefaultsOfTheKeyValueExperiment() {
        FolderCompositionConfig config = ConfigLoader.parseFolderComposition("f.yaml", "f", MINIMAL).config();
        assertEquals("models/small", config.models().a().folder());
        assertEquals("models/large", config.models().b().folder());
        assertEquals("data/train.jsonl", config.data().train());
        assertNull(config.data().validation());
        assertEquals(CompositionConfig.defaults(), config.composition());
        assertEquals(TrainingConfig.defaults(), config.training());
        assertEquals("runs/f", config.output());
        FolderCompositionConfig written = ConfigLoader.parseFolderComposition("f.yaml", "f", MINIMAL
                + "  validation: data/validation.jsonl\ncomposition: {wiring: [[2, 1]], heads: 2}\ntraining: {steps: 10, "
                + "warmupSteps: 2}\noutput: runs/elsewhere\n").config();
        assertEquals("data/validation.jsonl", written.data().validation());
        assertEquals(List.of(new Connection(2, 1)), written.composition().wiring().pairs());
        assertEquals(10, written.training().steps());
        assertEquals("runs/elsewhere", written.output());
    }

    @Test
    void errorsNameTheLineAndTheField() {
        assertEquals("f.yaml:4: data.train: required: the JSON Lines file of training examples",
                error(MINIMAL.replace("  train: data/train.jsonl\n", "  validation: v.jsonl\n")));
        assertEquals("f.yaml:2: models.a.folder: expected text (the folder of m_A, the augmenting model), got the number 5",
                error(MINIMAL.replace("models/small", "5")));
        assertEquals("f.yaml:6: data.validation: expected text (a JSON Lines file, or leave the field out), got an empty value",
                error(MINIMAL + "  validation:\n"));
        assertEquals("f.yaml:1: models.b.folder: required: the folder of m_B, the anchor",
                error("models:\n  a: {folder: x}\ndata: {train: t.jsonl}\n"));
        assertEquals("f.yaml:7: training.steps: expected a whole number, got the number 2.5", error(MINIMAL + "training:\n  steps: 2.5\n"));
        assertEquals("f.yaml:6: data.test: unknown field 'test' in data; allowed: train, validation",
                error(MINIMAL + "  test: t.jsonl\n"));
        assertEquals("f.yaml:7: composition.mode: expected one of [LOCKSTEP, ENCODER], got the text \"sideways\"",
                error(MINIMAL + "composition:\n  mode: sideways\n"));
        assertEquals("f.yaml:7: composition.positionBias: expected one of [NONE, ALIBI], got the text \"rope\"",
                error(MINIMAL + "composition:\n  positionBias: rope\n"));
        assertEquals("f.yaml:7: composition.normalize: expected true or false, got the text \"yes please\"",
                error(MINIMAL + "composition:\n  normalize: yes please\n"));
        assertEquals("f.yaml:7: training.predictTokens: must be 1: this section trains compositions and the baselines beside "
                + "them, which predict the next token only; multi-token prediction is for pretraining (models.a.training, "
                + "models.b.training), got 2", error(MINIMAL + "training:\n  predictTokens: 2\n"));
    }

    @Test
    void aConfigNamingFoldersIsToldApartFromAKeyValueExperiment() throws IOException {
        Path folders = folder.resolve("folders.yaml");
        Files.writeString(folders, MINIMAL);
        assertTrue(ConfigLoader.namesModelFolders(folders));
        Path kv = folder.resolve("kv.yaml");
        Files.writeString(kv, "models:\n  a:\n    architecture: {hiddenSize: 16}\n");
        assertFalse(ConfigLoader.namesModelFolders(kv));
        assertFalse(ConfigLoader.namesModelFolders(folder.resolve("missing.yaml")));
        Path broken = folder.resolve("broken.yaml");
        Files.writeString(broken, "models: [\n");
        assertFalse(ConfigLoader.namesModelFolders(broken), "the reader of the other kind reports the syntax error");
    }
}
