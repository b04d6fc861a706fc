package calm.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import calm.train.config.ConfigException;
import calm.train.config.ConfigLoader;
import calm.train.experiment.Ablation;
import calm.train.experiment.ModelRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the ablations' augmenting models come from, checked before anything trains. */
class KvBaselinesTest {

    @TempDir
    Path folder;

    @Test
    void aVanillaStoreTooLongForTheContextNamesTheContextAndTheVanillaSplit() throws IOException {
        Path config = folder.resolve("vanilla.yaml");
        Files.writeString(config, """
                data:
                  numKeys: 20
                  expressions: {minOperands: 2, maxOperands: 2}
                  sizes: {substitutionTrain: 50, numericTrain: 50, compositionTrain: 20, evalPerSplit: 5}
                models:
                  a:
                    architecture: {contextLength: 12}
                    training: {positionShift: 2}
                ablations: {vanillaData: other_keys}
                output: %s
                """.formatted(folder.resolve("out")));
        KvBaselines baselines = new KvBaselines(new KvExperiment(ConfigLoader.read(config)));
        try (NDManager manager = NDManager.newBaseManager()) {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> baselines.pretrainVanillaAugmenting(false, manager));
            assertEquals(config + ":7: models.a.architecture.contextLength: must be at least ", error.getMessage()
                    .substring(0, (config + ":7: models.a.architecture.contextLength: must be at least ").length()));
            String tail = error.getMessage().replaceFirst(".*must be at least \\d+ \\(\\d+ tokens moved by up to "
                    + "positionShift 2 positions\\), ", "");
            assertEquals("the longest sequence of the vanilla m_A's train-kv-substitution (BOS + prompt + target + EOS), "
                    + "got 12", tail);
        }
        assertFalse(Files.exists(folder.resolve("out").resolve("model-a-vanilla")), "nothing is saved");
    }

    @Test
    void aVanillaAugmentingModelTakenFromTheAnchorIsMbsFolderAndNeedsNoPretraining() throws IOException {
        Path config = folder.resolve("anchor.yaml");
        Files.writeString(config, "ablations: {vanillaData: anchor}\noutput: " + folder.resolve("out") + "\n");
        KvExperiment experiment = new KvExperiment(ConfigLoader.read(config));
        KvBaselines baselines = new KvBaselines(experiment);
        assertTrue(baselines.anchorIsVanilla());
        assertEquals(experiment.modelFolder(ModelRole.B), baselines.augmentingFolder(Ablation.VANILLA_AUGMENTING));
        assertEquals(folder.resolve("out").resolve("model-a-random"), baselines.augmentingFolder(Ablation.RANDOM_AUGMENTING));
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> baselines.pretrainVanillaAugmenting(false, manager));
            assertEquals("ablations.vanillaData is ANCHOR: m_B is the vanilla m_A, nothing to pretrain", error.getMessage());
        }
    }
}
