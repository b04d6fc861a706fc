package calm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class ModelFolderTest {

    @TempDir
    Path folder;
    @Managed
    private NDManager manager;

    @Test
    void saveThenLoadGivesBitwiseIdenticalParametersAndLogits() throws Exception {
        for (boolean tied : new boolean[] {true, false}) {
            GptConfig config = new GptConfig(41, 32, 24, 2, 3, 40, tied, GptConfig.Activation.GELU, 1e-5);
            DecoderLM model = Tiny.initialise(config.newModel(), manager, 5);
            Path saved = folder.resolve("model-" + tied);
            ModelFolder.save(model, saved, Map.of("seed", 5));
            DecoderLM loaded = ModelFolder.load(saved, manager);
            assertEquals(config, loaded.config());
            Map<String, Parameter> before = ParameterNames.of(model);
            Map<String, Parameter> after = ParameterNames.of(loaded);
            assertEquals(before.keySet(), after.keySet());
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name).getArray().toFloatArray(), after.get(name).getArray().toFloatArray(), name);
            }
            NDArray tokens = Tiny.tokens(manager, 41, 2, 10, 1);
            assertArrayEquals(model.logits(Batch.of(tokens)).toFloatArray(), loaded.logits(Batch.of(tokens)).toFloatArray());
            assertTrue(Files.readString(saved.resolve("provenance.json")).contains("\"seed\" : 5"));
        }
    }

    @Test
    void loadedParametersSurviveGarbageCollection() throws Exception {
        DecoderLM model = Tiny.gpt(manager, 41, 24, 2, 3, 6);
        ModelFolder.save(model, folder.resolve("m"), null);
        DecoderLM loaded = ModelFolder.load(folder.resolve("m"), manager);
        NDArray tokens = Tiny.tokens(manager, 41, 2, 10, 1);
        float[] expected = model.logits(Batch.of(tokens)).toFloatArray();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            // Reuse whatever native memory the collector freed, filled with NaN bit patterns.
            for (int i = 0; i < 64; i++) {
                java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocateDirect(24 * 41 * 4);
                while (junk.hasRemaining()) {
                    junk.put((byte) 0xFF);
                }
            }
        }
        assertArrayEquals(expected, loaded.logits(Batch.of(tokens)).toFloatArray());
    }

    @Test
    void parameterNamesAreDotted() {
        DecoderLM model = Tiny.initialise(new GptConfig(11, 8, 8, 2, 2, 16, false, null, 1e-5).newModel(), manager, 1);
        assertEquals(
                java.util.List.of("wte.weight", "wpe.weight",
                        "layers.0.ln1.weight", "layers.0.ln1.bias", "layers.0.attn.qkv.weight", "layers.0.attn.qkv.bias",
                        "layers.0.attn.proj.weight", "layers.0.attn.proj.bias", "layers.0.ln2.weight", "layers.0.ln2.bias",
                        "layers.0.mlp.fc.weight", "layers.0.mlp.fc.bias", "layers.0.mlp.proj.weight", "layers.0.mlp.proj.bias"),
                ParameterNames.of(model).keySet().stream().limit(14).toList());
        assertTrue(ParameterNames.of(model).containsKey("layers.1.mlp.proj.bias"));
        assertTrue(ParameterNames.of(model).containsKey("lnf.weight"));
        assertTrue(ParameterNames.of(model).containsKey("head.weight"));
    }

    @Test
    void aMisshapenMissingOrUnexpectedTensorIsNamed() throws Exception {
        DecoderLM model = Tiny.gpt(manager, 17, 16, 1, 2, 3);
        Path saved = folder.resolve("m");
        ModelFolder.save(model, saved, null);
        Path weights = saved.resolve(ModelFolder.WEIGHTS);

        rewrite(weights, list -> list.get("wpe.weight").setName("extra.weight"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ModelFolder.load(saved, manager));
        assertTrue(error.getMessage().contains("unexpected tensors [extra.weight]"), error.getMessage());

        ModelFolder.save(model, saved, null);
        rewrite(weights, list -> list.removeIf(array -> array.getName().equals("lnf.bias")));
        error = assertThrows(IllegalArgumentException.class, () -> ModelFolder.load(saved, manager));
        assertTrue(error.getMessage().endsWith("missing tensors [lnf.bias]"), error.getMessage());

        ModelFolder.save(model, saved, null);
        Files.deleteIfExists(saved.resolve(Checksums.FILE)); // edited by hand: the record no longer applies
        Files.writeString(saved.resolve(ModelFolder.CONFIG),
                Files.readString(saved.resolve(ModelFolder.CONFIG)).replace("\"mlpSize\" : 32", "\"mlpSize\" : 48"));
        error = assertThrows(IllegalArgumentException.class, () -> ModelFolder.load(saved, manager));
        assertTrue(error.getMessage().contains("tensor layers.0.mlp.fc.weight has shape (32, 16), the model expects (48, 16)"),
                error.getMessage());
    }

    @Test
    void aTruncatedOrDamagedWeightsFileIsNamedWithWhatIsWrong() throws Exception {
        DecoderLM model = Tiny.gpt(manager, 17, 16, 1, 2, 3);
        Path saved = folder.resolve("m");
        ModelFolder.save(model, saved, null);
        // As in a folder saved before SHA256SUMS was recorded: the file's structure is what is checked.
        Files.delete(saved.resolve(Checksums.FILE));
        Path weights = saved.resolve(ModelFolder.WEIGHTS);
        byte[] whole = Files.readAllBytes(weights);

        Files.write(weights, Arrays.copyOf(whole, whole.length / 2));
        IllegalArgumentException error = assertThrows(DamagedFileException.class, () -> ModelFolder.load(saved, manager));
        assertTrue(error.getMessage().startsWith(weights + ": tensor \""), error.getMessage());
        assertTrue(error.getMessage().contains("reach beyond the data section of " + (whole.length / 2 - 8
                - ByteBuffer.wrap(whole, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()) + " bytes (truncated "
                + "file or corrupt header)"), error.getMessage());

        byte[] huge = whole.clone();
        ByteBuffer.wrap(huge, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62);
        Files.write(weights, huge);
        error = assertThrows(IllegalArgumentException.class, () -> ModelFolder.load(saved, manager));
        assertEquals(weights + ": header length 4611686018427387904 is impossible for a file of " + whole.length + " bytes "
                + "(at most 100000000 and within the file): truncated or not a safetensors file", error.getMessage());
    }

    @Test
    void aBadConfigNamesTheFileAndField() throws Exception {
        DecoderLM model = Tiny.gpt(manager, 17, 16, 1, 2, 3);
        Path saved = folder.resolve("m");
        ModelFolder.save(model, saved, null);
        Path config = saved.resolve(ModelFolder.CONFIG);
        String text = Files.readString(config);
        Files.deleteIfExists(saved.resolve(Checksums.FILE)); // edited by hand: the record no longer applies
        Files.writeString(config, text.replace("\"numHeads\" : 2", "\"numHeads\" : 3"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ModelFolder.load(saved, manager));
        assertTrue(error.getMessage().startsWith(config.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("hiddenSize (16) must be a multiple of numHeads (3)"), error.getMessage());
        Files.deleteIfExists(saved.resolve(Checksums.FILE)); // edited by hand: the record no longer applies
        Files.writeString(config, text.replace("\"numHeads\" : 2", "\"numHeads\" : 2, \"colour\" : 1"));
        error = assertThrows(IllegalArgumentException.class, () -> ModelFolder.load(saved, manager));
        assertTrue(error.getMessage().contains("colour"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelFolder.load(folder.resolve("absent"), manager));
    }

    @Test
    void savingOverAFolderReplacesItWhole() throws Exception {
        Path saved = folder.resolve("m");
        ModelFolder.save(Tiny.gpt(manager, 17, 16, 1, 2, 3), saved, Map.of("run", "first"));
        ModelFolder.save(Tiny.gpt(manager, 17, 16, 2, 2, 4), saved, null);
        assertEquals(2, ModelFolder.readConfig(saved).numLayers());
        assertTrue(Files.notExists(saved.resolve("provenance.json")));
        try (var siblings = Files.list(folder)) {
            assertEquals(1, siblings.count(), "no staging folders are left behind");
        }
    }

    private void rewrite(Path weights, java.util.function.Consumer<NDList> change) throws Exception {
        NDList list;
        try (var in = Files.newInputStream(weights)) {
            list = NDList.decode(manager, in);
        }
        change.accept(list);
        try (OutputStream out = Files.newOutputStream(weights)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        // A file written by another tool: its recorded SHA-256 no longer applies.
        Files.deleteIfExists(weights.resolveSibling(Checksums.FILE));
    }
}
