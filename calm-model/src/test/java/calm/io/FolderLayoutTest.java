package calm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class FolderLayoutTest {

    @TempDir
    Path folder;
    @Managed
    private NDManager manager;

    @Test
    void bothLayoutsAreToldApartAndLoad() throws Exception {
        DecoderLM gpt = Tiny.initialise(new GptConfig(20, 16, 8, 1, 2, 16, true, GptConfig.Activation.GELU, 1e-5).newModel(),
                manager, 3);
        Path project = folder.resolve("project");
        ModelFolder.save(gpt, project, null);
        assertEquals(FolderLayout.PROJECT, FolderLayout.detect(project));
        NDArray tokens = Tiny.tokens(manager, 20, 1, 5, 1);
        assertArrayEquals(gpt.logits(Batch.of(tokens)).toFloatArray(),
                FolderLayout.PROJECT.load(project, manager).logits(Batch.of(tokens)).toFloatArray());
        for (String fixture : List.of("gpt2-tiny", "llama-tiny", "llama-tiny-sharded", "qwen2-tiny")) {
            FolderLayout layout = FolderLayout.detect(Tiny.fixture(fixture));
            assertEquals(FolderLayout.HUGGING_FACE, layout, fixture);
            assertEquals(2, layout.readConfig(Tiny.fixture(fixture)).numLayers(), fixture);
        }
    }

    @Test
    void aFolderOfNeitherLayoutIsNamed() throws Exception {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> FolderLayout.detect(folder));
        assertEquals(folder + " is not a saved model folder (it has no config.json)", empty.getMessage());
        Files.writeString(folder.resolve("config.json"), "{\"hidden_size\": 32}");
        IllegalArgumentException neither = assertThrows(IllegalArgumentException.class, () -> FolderLayout.detect(folder));
        assertEquals(folder.resolve("config.json") + " names neither \"family\" (this project's model folder) nor "
                + "\"model_type\" (Hugging Face model folder), so " + folder + " is not a model folder of either layout",
                neither.getMessage());
        Files.writeString(folder.resolve("config.json"), "[1, 2]");
        assertEquals(folder.resolve("config.json") + ": must be a JSON object",
                assertThrows(IllegalArgumentException.class, () -> FolderLayout.detect(folder)).getMessage());
    }

    @Test
    void theWeightsOfShardedAndSingleFileCheckpointsAreFingerprinted() throws Exception {
        Path single = Tiny.fixture("llama-tiny");
        assertEquals(sha256(Files.readAllBytes(single.resolve("model.safetensors"))), FolderLayout.HUGGING_FACE.weightsSha256(single));
        Path sharded = Tiny.fixture("llama-tiny-sharded");
        List<String> files = List.of("model.safetensors.index.json", "model-00001-of-00003.safetensors",
                "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors");
        assertEquals(files.stream().map(sharded::resolve).toList(), FolderLayout.HUGGING_FACE.weightFiles(sharded));
        StringBuilder listing = new StringBuilder();
        for (String file : files) {
            listing.append(sha256(Files.readAllBytes(sharded.resolve(file)))).append("  ").append(file).append('\n');
        }
        assertEquals(sha256(listing.toString().getBytes(StandardCharsets.UTF_8)), FolderLayout.HUGGING_FACE.weightsSha256(sharded));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
