package calm.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.io.hf.Dtype;
import calm.io.hf.HalfFloats;
import calm.io.hf.HfFolder;
import calm.io.hf.SafetensorsCheckpoint;
import calm.io.hf.SafetensorsFile;
import calm.io.hf.TensorInfo;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.testing.ModelFolders;
import calm.testing.Tiny;
import calm.train.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merges of real checkpoints (the Hugging Face parity fixtures and "fine-tuned" copies of them,
 * hf/make_tuned.py): the merged folder loads through the project's loaders, and its logits equal
 * those of a model whose parameters were merged in this test by the method's formula.
 */
class MergeCheckpointsTest {

    private static final float TOLERANCE = 1e-5f;

    @TempDir
    Path folder;

    @Test
    void linearMergeOfTwoGpt2CheckpointsHasTheLogitsOfTheWeightedMean() throws Exception {
        Path base = ModelFolders.fixture("gpt2-tiny");
        Path tuned = ModelFolders.fixture("gpt2-tiny-tuned");
        Path out = merge("""
                merge_method: linear
                models:
                  - model: %s
                    parameters: {weight: 0.3}
                  - model: %s
                    parameters: {weight: 0.9}
                """.formatted(base, tuned), "gpt2-linear");
        // (0.3 a + 0.9 b) / 1.2, parameter by parameter
        assertSameLogits(out, base, tuned, (a, b) -> a.mul(0.3).add(b.mul(0.9)).div(1.2));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")), "the tokenizer files come with the merge");
    }

    @Test
    void taskArithmeticOfTwoLlamaCheckpointsHasTheLogitsOfBasePlusLambdaTimesTheDeltas() throws Exception {
        Path base = ModelFolders.fixture("llama-tiny");
        Path a = ModelFolders.fixture("llama-tiny-tuned-a");
        Path b = ModelFolders.fixture("llama-tiny-tuned-b");
        Path out = merge("""
                merge_method: task_arithmetic
                base_model: %s
                parameters: {lambda: 0.8}
                models:
                  - model: %s
                    parameters: {weight: 1.0}
                  - model: %s
                    parameters: {weight: 0.5}
                """.formatted(base, a, b), "llama-ta");
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM merged = HfFolder.load(out, manager);
            DecoderLM expected = HfFolder.load(base, manager);
            DecoderLM first = HfFolder.load(a, manager);
            DecoderLM second = HfFolder.load(b, manager);
            Map<String, Parameter> e = ParameterNames.of(expected);
            Map<String, Parameter> pa = ParameterNames.of(first);
            Map<String, Parameter> pb = ParameterNames.of(second);
            for (Map.Entry<String, Parameter> entry : e.entrySet()) {
                NDArray theta0 = entry.getValue().getArray();
                NDArray tau = pa.get(entry.getKey()).getArray().sub(theta0).add(pb.get(entry.getKey()).getArray().sub(theta0).mul(0.5));
                theta0.intern(theta0.add(tau.mul(0.8)));
            }
            assertLogitsEqual(expected, merged, manager);
        }
    }

    @Test
    void halfPrecisionInputsAreWidenedAsTheLoaderWidensThem() throws Exception {
        // F16 and BF16 copies of llama-tiny, averaged into float32: the merge widens them itself
        // (SafetensorsFile.readFloats); HfFolder.load, checked against transformers, widens them in
        // its own reader. Both must give the same floats.
        Path f16 = ModelFolders.fixture("llama-tiny-f16");
        Path bf16 = ModelFolders.fixture("llama-tiny-bf16");
        Path out = merge("""
                merge_method: linear
                out_dtype: float32
                models:
                  - {model: %s, parameters: {weight: 1.0}}
                  - {model: %s, parameters: {weight: 1.0}}
                """.formatted(f16, bf16), "half-inputs");
        assertSameLogits(out, f16, bf16, (a, b) -> a.add(b).div(2));
    }

    @Test
    void shardedAndHalfPrecisionOutputsLoadAndHoldTheSameValues() throws Exception {
        Path base = ModelFolders.fixture("llama-tiny");
        String yaml = """
                merge_method: ties
                base_model: %s
                models:
                  - {model: %s, parameters: {weight: 1.0, density: 0.5}}
                  - {model: %s, parameters: {weight: 1.0, density: 0.5}}
                """.formatted(base, ModelFolders.fixture("llama-tiny-tuned-a"), ModelFolders.fixture("llama-tiny-tuned-b"));
        Path single = merge(yaml, "ties-single");
        Path sharded = folder.resolve("ties-sharded");
        Merge.run(MergeConfig.parse("ties.yaml", yaml), new Merge.Options(sharded, 40_000, null, false, 1000, (n, d, t) -> { }));
        Path bf16 = merge(yaml + "out_dtype: bfloat16\n", "ties-bf16");
        try (SafetensorsCheckpoint one = SafetensorsCheckpoint.open(single);
                SafetensorsCheckpoint shards = SafetensorsCheckpoint.open(sharded);
                SafetensorsCheckpoint half = SafetensorsCheckpoint.open(bf16)) {
            assertTrue(shards.files().size() > 1, "40 kB shards of a 175 kB model: " + shards.files());
            assertEquals(one.names(), shards.names());
            for (String name : one.names()) {
                float[] expected = read(one, name);
                assertArrayEquals(expected, read(shards, name), name + ": the block size and the sharding change nothing");
                assertEquals(Dtype.BF16, half.fileOf(name).tensor(name).dtype());
                float[] rounded = read(half, name);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(expected[i])), rounded[i], 0f, name);
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            assertLogitsEqual(HfFolder.load(single, manager), HfFolder.load(sharded, manager), manager);
            assertTrue(Files.readString(bf16.resolve("config.json")).contains("\"dtype\" : \"bfloat16\""));
        }
    }

    @Test
    void slicesStackLayersOfTwoModels() throws Exception {
        Path base = ModelFolders.fixture("llama-tiny");
        Path tuned = ModelFolders.fixture("llama-tiny-tuned-a");
        // Layers 0-1 of the base, then layer 1 of the tuned model: a 3-layer model.
        Path out = merge("""
                merge_method: passthrough
                slices:
                  - sources:
                      - {model: %s, layer_range: [0, 2]}
                  - sources:
                      - {model: %s, layer_range: [1, 2]}
                """.formatted(base, tuned), "stacked");
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"num_hidden_layers\" : 3"));
        try (SafetensorsCheckpoint stacked = SafetensorsCheckpoint.open(out);
                SafetensorsCheckpoint b = SafetensorsCheckpoint.open(base);
                SafetensorsCheckpoint t = SafetensorsCheckpoint.open(tuned)) {
            String name = "model.layers.%d.self_attn.q_proj.weight";
            assertArrayEquals(read(b, name.formatted(1)), read(stacked, name.formatted(1)));
            assertArrayEquals(read(t, name.formatted(1)), read(stacked, name.formatted(2)));
            assertArrayEquals(read(b, "model.embed_tokens.weight"), read(stacked, "model.embed_tokens.weight"), "from the first slice");
            assertArrayEquals(read(t, "model.norm.weight"), read(stacked, "model.norm.weight"), "from the last slice");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(3, HfFolder.load(out, manager).config().numLayers());
        }
    }

    @Test
    void gradientsAndFiltersFollowMergekitsPrecedence() throws Exception {
        Path base = ModelFolders.fixture("llama-tiny");
        Path tuned = ModelFolders.fixture("llama-tiny-tuned-a");
        // t: slice source > slice > global. Here the global t is a gradient over the 2 layers (0 then 1),
        // the slice writes t for mlp tensors only (0.25), and nothing else.
        Path out = merge("""
                merge_method: slerp
                base_model: %1$s
                parameters:
                  t: [0, 1]
                slices:
                  - sources:
                      - {model: %1$s, layer_range: [0, 2]}
                      - {model: %2$s, layer_range: [0, 2]}
                    parameters:
                      t: [{filter: mlp, value: 0.25}]
                """.formatted(base, tuned), "slerp");
        try (SafetensorsCheckpoint merged = SafetensorsCheckpoint.open(out);
                SafetensorsCheckpoint b = SafetensorsCheckpoint.open(base);
                SafetensorsCheckpoint t = SafetensorsCheckpoint.open(tuned)) {
            assertArrayEquals(read(b, "model.layers.0.self_attn.v_proj.weight"), read(merged, "model.layers.0.self_attn.v_proj.weight"),
                    "layer 0 of 2 reads the gradient at 0: the base");
            assertArrayEquals(read(t, "model.layers.1.self_attn.v_proj.weight"), read(merged, "model.layers.1.self_attn.v_proj.weight"),
                    1e-6f, "layer 1 of 2 reads it at 1: the other model");
            assertArrayEquals(read(b, "model.norm.weight"), read(merged, "model.norm.weight"), "tensors outside the layers read t at 0");
            String mlp = "model.layers.1.mlp.up_proj.weight";
            float[] v0 = read(b, mlp);
            float[] v1 = read(t, mlp);
            double dot = 0;
            double n0 = 0;
            double n1 = 0;
            for (int i = 0; i < v0.length; i++) {
                dot += v0[i] * (double) v1[i];
                n0 += v0[i] * (double) v0[i];
                n1 += v1[i] * (double) v1[i];
            }
            double omega = Math.acos(dot / Math.sqrt(n0 * n1));
            double s0 = Math.sin(0.75 * omega) / Math.sin(omega);
            double s1 = Math.sin(0.25 * omega) / Math.sin(omega);
            float[] actual = read(merged, mlp);
            for (int i = 0; i < v0.length; i++) {
                assertEquals(s0 * v0[i] + s1 * v1[i], actual[i], 1e-6, "the slice's filter (0.25) wins over the global gradient");
            }
        }
    }

    @Test
    void thisProjectsModelFoldersMergeIntoOneThatLoads() throws Exception {
        Path a = folder.resolve("project-a");
        Path b = folder.resolve("project-b");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolder.save(Tiny.gpt(manager, 20, 16, 2, 2, 1), a, null);
            ModelFolder.save(Tiny.gpt(manager, 20, 16, 2, 2, 2), b, null);
        }
        Path out = merge("""
                merge_method: linear
                models:
                  - {model: %s, parameters: {weight: 1.0}}
                  - {model: %s, parameters: {weight: 1.0}}
                """.formatted(a, b), "project-linear");
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM merged = ModelFolder.load(out, manager);
            DecoderLM first = ModelFolder.load(a, manager);
            Map<String, Parameter> pb = ParameterNames.of(ModelFolder.load(b, manager));
            for (Map.Entry<String, Parameter> entry : ParameterNames.of(first).entrySet()) {
                NDArray value = entry.getValue().getArray();
                value.intern(value.add(pb.get(entry.getKey()).getArray()).div(2));
            }
            assertLogitsEqual(first, merged, manager);
        }
    }

    @Test
    void mismatchedModelsAreErrorsNamingWhatDiffers() throws Exception {
        Path gpt2 = ModelFolders.fixture("gpt2-tiny");
        Path llama = ModelFolders.fixture("llama-tiny");
        IllegalArgumentException architecture = assertThrows(IllegalArgumentException.class, () -> merge(linear(gpt2, llama), "x"));
        assertTrue(architecture.getMessage().contains("gpt2 model") && architecture.getMessage().contains("llama model"),
                architecture.getMessage());
        // A Llama with a different MLP width: same tensors, other shapes.
        Path wide = ModelFolders.copy(llama, folder.resolve("llama-wide"));
        Files.writeString(wide.resolve("config.json"), Files.readString(wide.resolve("config.json"))
                .replace("\"intermediate_size\": 64", "\"intermediate_size\": 48"));
        try (SafetensorsFile original = SafetensorsFile.open(llama.resolve("model.safetensors"))) {
            calm.testing.SafetensorsWriter writer = new calm.testing.SafetensorsWriter();
            for (TensorInfo info : original.tensors().values()) {
                ai.djl.ndarray.types.Shape shape = info.shape();
                if (info.name().contains("mlp.")) {
                    shape = info.name().contains("down_proj") ? new ai.djl.ndarray.types.Shape(32, 48) : new ai.djl.ndarray.types.Shape(48, 32);
                }
                writer.add(info.name(), Dtype.F32, shape, index -> 0.01f);
            }
            writer.write(wide.resolve("model.safetensors"));
        }
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> merge(linear(llama, wide), "y"));
        assertTrue(shape.getMessage().contains("model.layers.0.mlp.down_proj.weight: shape (32, 64)")
                && shape.getMessage().contains("(32, 48)"), shape.getMessage());
        Path otherVocabulary = ModelFolders.copy(llama, folder.resolve("llama-vocab"));
        Files.writeString(otherVocabulary.resolve("config.json"), Files.readString(otherVocabulary.resolve("config.json"))
                .replace("\"vocab_size\": 384", "\"vocab_size\": 400"));
        IllegalArgumentException vocabulary = assertThrows(IllegalArgumentException.class,
                () -> merge(linear(llama, otherVocabulary), "w"));
        assertTrue(vocabulary.getMessage().startsWith("vocabularies differ: " + llama + " has 384 tokens, " + otherVocabulary
                + " has 400"), vocabulary.getMessage());
        ConfigException noBase = assertThrows(ConfigException.class, () -> merge("""
                merge_method: ties
                models:
                  - {model: %s, parameters: {weight: 1.0}}
                """.formatted(llama), "z"));
        assertTrue(noBase.getMessage().contains("ties needs base_model"), noBase.getMessage());
        try (Stream<Path> left = Files.list(folder)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().matches("[wxyz]|\\..*")), "a refused merge writes nothing");
        }
    }

    @Test
    void aMergeThatFailsHalfWayLeavesNoOutputFolder() throws Exception {
        String yaml = linear(ModelFolders.fixture("llama-tiny"), ModelFolders.fixture("llama-tiny-tuned-a"));
        Path out = folder.resolve("failed");
        IllegalStateException stop = assertThrows(IllegalStateException.class, () -> Merge.run(MergeConfig.parse("m.yaml", yaml),
                new Merge.Options(out, Merge.DEFAULT_SHARD_BYTES, null, false, 100, (name, done, total) -> {
                    if (done == 5) {
                        throw new IllegalStateException("stopped after 5 of " + total + " tensors");
                    }
                })));
        assertTrue(stop.getMessage().startsWith("stopped after 5"));
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(0, left.count(), "neither the output nor its staging folder is left");
        }
    }

    @Test
    void refusesToWriteOverAnInputOrAnExistingFolder() throws Exception {
        Path copy = ModelFolders.copy(ModelFolders.fixture("llama-tiny"), folder.resolve("base"));
        String yaml = linear(copy, ModelFolders.fixture("llama-tiny-tuned-a"));
        ConfigException input = assertThrows(ConfigException.class,
                () -> Merge.run(MergeConfig.parse("m.yaml", yaml), Merge.Options.to(copy).overwriting()));
        assertTrue(input.getMessage().contains("would overwrite or sit inside the input model"), input.getMessage());
        Path existing = Files.createDirectory(folder.resolve("existing"));
        ConfigException exists = assertThrows(ConfigException.class,
                () -> Merge.run(MergeConfig.parse("m.yaml", yaml), Merge.Options.to(existing)));
        assertTrue(exists.getMessage().contains("--overwrite"), exists.getMessage());
        Merge.run(MergeConfig.parse("m.yaml", yaml), Merge.Options.to(existing).overwriting());
        assertTrue(Files.isRegularFile(existing.resolve("model.safetensors")));
    }

    private static String linear(Path a, Path b) {
        return """
                merge_method: linear
                models:
                  - {model: %s, parameters: {weight: 1.0}}
                  - {model: %s, parameters: {weight: 1.0}}
                """.formatted(a, b);
    }

    private Path merge(String yaml, String name) throws IOException {
        Path out = folder.resolve(name);
        // Blocks of 100 elements: every tensor crosses block edges.
        Merge.run(MergeConfig.parse(name + ".yaml", yaml), new Merge.Options(out, Merge.DEFAULT_SHARD_BYTES, null, false, 100,
                (tensor, done, total) -> { }));
        return out;
    }

    private static float[] read(SafetensorsCheckpoint checkpoint, String name) throws IOException {
        SafetensorsFile file = checkpoint.fileOf(name);
        TensorInfo info = file.tensor(name);
        float[] values = new float[(int) info.shape().size()];
        file.readFloats(info, 0, values, 0, values.length);
        return values;
    }

    /** Loads two models, merges their parameters in place into the first by the formula, and compares logits with the merged folder's. */
    private static void assertSameLogits(Path merged, Path a, Path b, BinaryOperator<NDArray> formula) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM expected = HfFolder.load(a, manager);
            Map<String, Parameter> other = ParameterNames.of(HfFolder.load(b, manager));
            for (Map.Entry<String, Parameter> entry : ParameterNames.of(expected).entrySet()) {
                NDArray value = entry.getValue().getArray();
                value.intern(formula.apply(value, other.get(entry.getKey()).getArray()));
            }
            assertLogitsEqual(expected, HfFolder.load(merged, manager), manager);
        }
    }

    private static void assertLogitsEqual(DecoderLM expected, DecoderLM actual, NDManager manager) {
        NDArray tokens = Tiny.tokens(manager, (int) Math.min(expected.config().vocabSize(), 300), 2, 12, 7);
        NDArray want = expected.logits(Batch.of(tokens));
        NDArray got = actual.logits(Batch.of(tokens));
        float difference = Tiny.maxDifference(want, got);
        assertTrue(difference <= TOLERANCE, "logits differ by " + difference);
        assertTrue(want.abs().max().getFloat() > 0.1f, "the logits are not trivially zero");
    }
}
