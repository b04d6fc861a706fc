package calm.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.compose.Augmentation;
import calm.compose.Connection;
import calm.compose.PositionBias;
import calm.kv.KvDataConfig;
import calm.kv.data.DigitOrder;
import calm.kv.data.Operator;
import calm.merge.MergeConfig;
import calm.train.Provenance;
import calm.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final Path CONFIGS = Path.of("..", "configs");

    @Test
    void anEmptyFileIsAllDefaults() {
        LoadedConfig loaded = ConfigLoader.parse("empty.yaml", "empty", "");
        ExperimentConfig config = loaded.config();
        assertEquals(TrainingConfig.defaults(), config.training());
        assertEquals(TrainingConfig.defaults(), config.models().a().training());
        assertEquals(1000, ((KvDataConfig) config.data()).numKeys());
        assertEquals(2401, ((KvDataConfig) config.data()).seed());
        assertEquals(DigitOrder.MOST_SIGNIFICANT_FIRST, ((KvDataConfig) config.data()).digitOrder());
        assertEquals(44, config.models().b().architecture().vocabSize());
        assertEquals(128, config.models().b().architecture().hiddenSize());
        assertEquals(List.of(), config.composition().wiring().pairs());
        assertEquals(Augmentation.Mode.LOCKSTEP, config.composition().mode());
        assertEquals("runs/empty", config.output());
        assertEquals(Provenance.sha256(""), loaded.sha256());
    }

    @Test
    void writtenFieldsOverrideTheirDefaultsOnly() {
        String yaml = """
                data:
                  digitOrder: least_significant_first
                  expressions: {operators: [plus]}
                models:
                  a:
                    architecture: {hiddenSize: 32, numHeads: 2}
                composition:
                  wiring: [[2, 1], [4, 3]]
                  mode: ENCODER
                  normalize: true
                  positionBias: alibi
                training:
                  steps: 300
                  warmupSteps: 30
                output: somewhere/else
                """;
        ExperimentConfig config = ConfigLoader.parse("x.yaml", "x", yaml).config();
        assertEquals(DigitOrder.LEAST_SIGNIFICANT_FIRST, ((KvDataConfig) config.data()).digitOrder());
        assertEquals(List.of(Operator.PLUS), ((KvDataConfig) config.data()).expressions().operators());
        assertEquals(3, ((KvDataConfig) config.data()).expressions().minOperands());
        assertFalse(config.ablations().encoderAugmenting(), "an encoder CALM has no encoder ablation unless one is written");
        assertTrue(config.ablations().randomAugmenting());
        assertEquals(32, config.models().a().architecture().hiddenSize());
        assertEquals(128, config.models().a().architecture().mlpSize(), "mlpSize follows a written hiddenSize");
        assertEquals(4, config.models().a().architecture().numLayers());
        assertEquals(512, config.models().b().architecture().mlpSize());
        assertEquals(List.of(new Connection(2, 1), new Connection(4, 3)), config.composition().wiring().pairs());
        assertEquals(Augmentation.Mode.ENCODER, config.composition().mode());
        assertTrue(config.composition().normalize());
        assertEquals(PositionBias.ALIBI, config.composition().positionBias());
        assertTrue(config.composition().zeroInitOutput());
        assertEquals(300, config.training().steps());
        assertEquals(30, config.training().warmupSteps());
        assertEquals(TrainingConfig.defaults().learningRate(), config.training().learningRate());
        assertEquals("somewhere/else", config.output());
    }

    @Test
    void everyShippedConfigIsValid() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(CONFIGS)) {
            files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 2, files.toString());
        for (Path file : files) {
            if (Files.readString(file).lines().anyMatch(line -> line.startsWith("merge_method:"))) {
                // A calm merge config (mergekit's schema), not an experiment.
                MergeConfig merge = MergeConfig.read(file);
                assertTrue(merge.slices().size() >= 1, file.toString());
                continue;
            }
            if (ConfigLoader.namesModelFolders(file)) {
                LoadedFolderConfig loaded = ConfigLoader.readFolderComposition(file);
                assertEquals("runs/" + loaded.name(), loaded.config().output(), file + " writes outside runs/<name>");
                continue;
            }
            LoadedConfig loaded = ConfigLoader.read(file);
            assertEquals("runs/" + loaded.name(), loaded.config().output(), file + " writes outside runs/<name>");
        }
    }

    @Test
    void theDemoConfigInConfigsIsTheBuiltInOne() throws IOException {
        assertEquals(ConfigLoader.readResource("/calm/demo.yaml").text(), Files.readString(CONFIGS.resolve("demo.yaml")));
    }

    @Test
    void cappingStepsShortensEveryJob() {
        LoadedConfig capped = ConfigLoader.readResource("/calm/demo.yaml").withMaxSteps(7);
        assertEquals(7, capped.config().models().a().training().steps());
        assertEquals(7, capped.config().models().b().training().steps());
        assertEquals(7, capped.config().training().steps());
        assertEquals(7, capped.config().training().warmupSteps());
    }
}
