package calm.train.fuzz;

import ai.djl.ndarray.NDManager;
import calm.data.TextExample;
import calm.kv.data.KvDatasetFiles;
import calm.testing.Fuzzing;
import calm.train.config.ConfigException;
import calm.train.config.ConfigLoader;
import calm.train.io.CompositionFolder;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Fuzz targets of calm-train's readers: the YAML experiment config, a composition's
 * composition.json, and the dataset line readers (key-value examples, the store, the key split,
 * the JSON Lines text examples). Each input loads or ends with an error naming the file.
 */
class TrainReadersFuzzTest {

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void experimentConfig(byte[] input) throws Exception {
        Path file = Fuzzing.write("config", "experiment.yaml", input);
        Fuzzing.loadsOrNames(file, () -> ConfigLoader.read(file), ConfigException.class);
    }

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void compositionJson(byte[] input) throws Exception {
        Path file = Fuzzing.write("composition", CompositionFolder.SPEC, input);
        Fuzzing.loadsOrNames(file, () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                CompositionFolder.load(file.getParent(), null, manager);
            }
        });
    }

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void datasetLines(FuzzedDataProvider data) throws Exception {
        int reader = data.consumeInt(0, 3);
        Path file = Fuzzing.write("dataset", "split.jsonl", data.consumeRemainingAsBytes());
        Fuzzing.loadsOrNames(file, () -> {
            switch (reader) {
                case 0 -> KvDatasetFiles.readExamples(file);
                case 1 -> KvDatasetFiles.readStore(file);
                case 2 -> KvDatasetFiles.readKeySplit(file);
                default -> TextExample.readJsonLines(file);
            }
        });
    }
}
