package calm.io.fuzz;

import calm.io.hf.FolderTokenizer;
import calm.io.hf.HfConfig;
import calm.io.hf.SafetensorsCheckpoint;
import calm.io.hf.SafetensorsFile;
import calm.io.hf.TensorInfo;
import calm.testing.Fuzzing;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets of calm-model's readers: safetensors files (header, offsets, dtypes), sharded
 * checkpoints (the index and its shards), a Hugging Face config.json and a tokenizer.json. Each
 * input loads or ends with an error naming the file ({@link Fuzzing#loadsOrNames}).
 */
class ReadersFuzzTest {

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void safetensorsFile(byte[] input) throws Exception {
        Path file = Fuzzing.write("safetensors", "model.safetensors", input);
        Fuzzing.loadsOrNames(file, () -> {
            try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
                for (TensorInfo info : tensors.tensors().values()) {
                    if (info.dtype().widensToFloat32() && info.shape().size() > 0) {
                        int count = (int) Math.min(16, info.shape().size());
                        tensors.readFloats(info, 0, new float[count], 0, count);
                    }
                }
            }
        });
    }

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void shardedCheckpoint(FuzzedDataProvider data) throws Exception {
        Path index = Fuzzing.write("sharded", "model.safetensors.index.json", data.consumeBytes(data.consumeInt(0, 4096)));
        Files.write(index.resolveSibling("model-00001-of-00002.safetensors"), data.consumeBytes(data.consumeInt(0, 4096)));
        Files.write(index.resolveSibling("model-00002-of-00002.safetensors"), data.consumeRemainingAsBytes());
        Fuzzing.loadsOrNames(index, () -> {
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(index.getParent())) {
                checkpoint.files();
            }
        });
    }

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void hfConfigJson(byte[] input) throws Exception {
        Path file = Fuzzing.write("hf-config", "config.json", input);
        Fuzzing.loadsOrNames(file, () -> HfConfig.read(file));
    }

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void tokenizerJson(FuzzedDataProvider data) throws Exception {
        String text = data.consumeString(64);
        Path file = Fuzzing.write("tokenizer", "tokenizer.json", data.consumeRemainingAsBytes());
        Fuzzing.loadsOrNames(file, () -> {
            try (FolderTokenizer tokenizer = FolderTokenizer.open(file.getParent())) {
                tokenizer.decode(tokenizer.prompt(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
            }
        });
    }
}
