package calm.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import calm.io.ParameterNames;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.model.llama.LlamaConfig;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.SafetensorsWriter;
import calm.testing.Tiny;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Loading Hugging Face folders: config layouts, and a clear error for every kind of bad input. */
@ExtendWith(ManagedExtension.class)
class HfFolderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temporary;
    @Managed
    private NDManager manager;

    @Test
    void aTransformers4ConfigLoadsTheSameModelAsTheTransformers5One() throws Exception {
        Path folder = copy("llama-tiny");
        editConfig(folder, config -> {
            double theta = config.get("rope_parameters").get("rope_theta").doubleValue();
            config.remove("rope_parameters");
            config.put("rope_theta", theta);
            config.putNull("rope_scaling");
            config.put("torch_dtype", config.remove("dtype").textValue());
            config.put("transformers_version", "4.46.0");
        });
        assertEquals(HfFolder.readConfig(Tiny.fixture("llama-tiny")), HfFolder.readConfig(folder));
        NDArray tokens = Tiny.tokens(manager, 384, 2, 10, 3);
        DecoderLM loaded = HfFolder.load(folder, manager);
        DecoderLM reference = HfFolder.load(Tiny.fixture("llama-tiny"), manager);
        assertArrayEquals(reference.logits(Batch.of(tokens)).toFloatArray(), loaded.logits(Batch.of(tokens)).toFloatArray());
    }

    @Test
    void mistralIsALlamaWhoseContextStopsAtTheSlidingWindow() throws Exception {
        Path folder = copy("llama-tiny");
        editConfig(folder, config -> {
            config.put("model_type", "mistral");
            config.put("sliding_window", 48);
        });
        assertEquals(48, HfFolder.readConfig(folder).contextLength());
        editConfig(folder, config -> config.putNull("sliding_window"));
        assertEquals(64, HfFolder.readConfig(folder).contextLength());
    }

    @Test
    void gpt2CheckpointsWithoutThePrefixAndWithMaskBuffersLoad() throws Exception {
        Path folder = copy("gpt2-tiny");
        rewriteWeights(folder.resolve("model.safetensors"), tensors -> {
            Map<String, Tensor> renamed = new LinkedHashMap<>();
            tensors.forEach((name, tensor) -> renamed.put(name.substring("transformer.".length()), tensor));
            renamed.put("h.0.attn.bias", new Tensor(new Shape(1, 1, 2, 2), new float[] {1, 0, 1, 1}));
            renamed.put("h.1.attn.masked_bias", new Tensor(new Shape(), new float[] {-1e4f}));
            tensors.clear();
            tensors.putAll(renamed);
        });
        NDArray tokens = Tiny.tokens(manager, 320, 2, 10, 3);
        assertArrayEquals(HfFolder.load(Tiny.fixture("gpt2-tiny"), manager).logits(Batch.of(tokens)).toFloatArray(),
                HfFolder.load(folder, manager).logits(Batch.of(tokens)).toFloatArray());
    }

    @Test
    void loadingInSmallBlocksGivesTheSameParameters() throws Exception {
        // 100-byte blocks split every matrix, transposed or fused, into many row blocks.
        for (String name : new String[] {"gpt2-tiny", "llama-tiny-bf16", "qwen2-tiny"}) {
            Map<String, Parameter> whole = ParameterNames.of(HfFolder.load(Tiny.fixture(name), manager));
            Map<String, Parameter> blocks = ParameterNames.of(HfFolder.load(Tiny.fixture(name), manager, 100));
            for (String parameter : whole.keySet()) {
                assertArrayEquals(whole.get(parameter).getArray().toFloatArray(), blocks.get(parameter).getArray().toFloatArray(),
                        name + " " + parameter);
            }
        }
    }

    @Test
    void loadedParametersOwnTheirMemory() throws Exception {
        DecoderLM model = HfFolder.load(Tiny.fixture("llama-tiny"), manager);
        NDArray reference;
        try (SafetensorsFile tensors = SafetensorsFile.open(Tiny.fixture("llama-tiny").resolve("reference.safetensors"))) {
            reference = tensors.read("logits", manager);
            NDArray ids = tensors.read("input_ids", manager);
            for (int round = 0; round < 3; round++) {
                System.gc();
                Thread.sleep(50);
                // Reuse whatever native memory the collector freed, filled with NaN bit patterns.
                for (int i = 0; i < 64; i++) {
                    java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocateDirect(ChunkReader.CHUNK_BYTES / 64);
                    while (junk.hasRemaining()) {
                        junk.put((byte) 0xFF);
                    }
                }
            }
            assertTrue(Tiny.maxDifference(reference, model.logits(Batch.of(ids))) <= 1e-4f);
        }
    }

    @Test
    void anUnsupportedArchitectureNamesTheModelType() throws Exception {
        Path folder = copy("llama-tiny");
        editConfig(folder, config -> config.put("model_type", "gpt_neox"));
        String message = loadError(folder);
        assertEquals(folder.resolve("config.json") + ": field \"model_type\" is \"gpt_neox\"; supported: [gpt2, llama, mistral, qwen2]",
                message);
        editConfig(folder, config -> config.remove("model_type"));
        assertTrue(loadError(folder).endsWith("field \"model_type\" must be a string, got null"), loadError(folder));
    }

    @Test
    void unsupportedOptionsNameTheField() throws Exception {
        Path folder = copy("llama-tiny");
        Path config = folder.resolve("config.json");
        editConfig(folder, c -> c.putObject("rope_parameters").put("rope_theta", 500000.0).put("rope_type", "llama3").put("factor", 8.0));
        assertTrue(loadError(folder).startsWith(config + ": field \"rope_parameters\""), loadError(folder));
        assertTrue(loadError(folder).contains("only rope_type \"default\""), loadError(folder));
        editConfig(folder, c -> {
            c.remove("rope_parameters");
            c.put("rope_theta", 10000.0);
            c.putObject("rope_scaling").put("type", "linear").put("factor", 2.0);
        });
        assertTrue(loadError(folder).startsWith(config + ": field \"rope_scaling\" = {\"type\":\"linear\",\"factor\":2.0} is not supported"),
                loadError(folder));
        editConfig(folder, c -> {
            c.remove("rope_scaling");
            c.put("attention_bias", true);
        });
        assertTrue(loadError(folder).contains("field \"attention_bias\" = true is not supported"), loadError(folder));
        editConfig(folder, c -> {
            c.put("attention_bias", false);
            c.put("hidden_act", "gelu");
        });
        assertTrue(loadError(folder).contains("field \"hidden_act\" = \"gelu\" is not supported"), loadError(folder));
        editConfig(folder, c -> {
            c.put("hidden_act", "silu");
            c.put("num_key_value_heads", 3);
        });
        assertEquals(config + ": numHeads (4) must be a multiple of numKeyValueHeads (3)", loadError(folder));
        editConfig(folder, c -> c.put("num_key_value_heads", "two"));
        assertEquals(config + ": field \"num_key_value_heads\" must be an integer, got \"two\"", loadError(folder));

        Path qwen = copy("qwen2-tiny");
        editConfig(qwen, c -> c.put("use_sliding_window", true));
        assertTrue(loadError(qwen).contains("field \"use_sliding_window\" = true is not supported"), loadError(qwen));
        Path gpt = copy("gpt2-tiny");
        editConfig(gpt, c -> c.put("activation_function", "relu"));
        assertTrue(loadError(gpt).contains("field \"activation_function\" = \"relu\" is not supported"), loadError(gpt));
        editConfig(gpt, c -> {
            c.put("activation_function", "gelu");
            c.put("scale_attn_by_inverse_layer_idx", true);
        });
        assertTrue(loadError(gpt).contains("field \"scale_attn_by_inverse_layer_idx\" = true is not supported"), loadError(gpt));
    }

    @Test
    void aMissingTensorIsNamed() throws Exception {
        Path folder = copy("llama-tiny");
        Path weights = folder.resolve("model.safetensors");
        rewriteWeights(weights, tensors -> tensors.remove("model.layers.1.mlp.up_proj.weight"));
        assertEquals(weights + ": missing tensors [model.layers.1.mlp.up_proj.weight] (config.json describes a model that needs them)",
                loadError(folder));
        Path tied = copy("qwen2-tiny");
        editConfig(tied, c -> c.put("tie_word_embeddings", false));
        assertTrue(loadError(tied).contains("missing tensors [lm_head.weight]"), loadError(tied));
    }

    @Test
    void anExtraTensorIsNamed() throws Exception {
        Path folder = copy("llama-tiny");
        Path weights = folder.resolve("model.safetensors");
        rewriteWeights(weights, tensors -> tensors.put("model.layers.0.self_attn.extra.weight", new Tensor(new Shape(2), new float[2])));
        assertEquals(weights + ": unexpected tensors [model.layers.0.self_attn.extra.weight] (not part of the model config.json describes)",
                loadError(folder));
        Path deeper = copy("llama-tiny");
        editConfig(deeper, c -> c.put("num_hidden_layers", 1));
        assertTrue(loadError(deeper).contains("unexpected tensors [model.layers.1.input_layernorm.weight, "), loadError(deeper));
    }

    @Test
    void aShapeMismatchNamesTheTensorAndBothShapes() throws Exception {
        Path folder = copy("llama-tiny");
        editConfig(folder, c -> c.put("intermediate_size", 48));
        assertEquals(folder.resolve("model.safetensors") + ": tensor \"model.layers.0.mlp.gate_proj.weight\" has shape (64, 32),"
                + " but config.json implies (48, 32)", loadError(folder));
        Path sharded = copy("llama-tiny-sharded");
        editConfig(sharded, c -> c.put("num_key_value_heads", 4));
        assertEquals(sharded.resolve("model-00001-of-00003.safetensors") + ": tensor \"model.layers.0.self_attn.k_proj.weight\""
                + " has shape (16, 32), but config.json implies (32, 32)", loadError(sharded));
    }

    @Test
    void aWrongDtypeIsNamed() throws Exception {
        Path folder = copy("llama-tiny");
        Path weights = folder.resolve("model.safetensors");
        rewriteWeights(weights, tensors -> tensors.put("model.norm.weight", new Tensor(new Shape(32), null)));
        assertEquals(weights + ": tensor \"model.norm.weight\" has dtype I64; weights must be F32, F16 or BF16", loadError(folder));
    }

    @Test
    void brokenFilesNameTheFile() throws Exception {
        Path folder = copy("llama-tiny");
        Path weights = folder.resolve("model.safetensors");
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        assertTrue(loadError(folder).startsWith(weights + ": tensor \"model.norm.weight\": data_offsets"), loadError(folder));
        Files.delete(weights);
        assertTrue(loadError(folder).contains("neither model.safetensors nor model.safetensors.index.json"), loadError(folder));
        Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"llama\",");
        assertTrue(loadError(folder).startsWith(folder.resolve("config.json") + ": not valid JSON"), loadError(folder));
        assertTrue(loadError(temporary.resolve("absent")).endsWith("config.json: no such file (a Hugging Face model folder holds config.json)"));
    }

    @Test
    void aBadShardIndexNamesTheIndexAndTheTensor() throws Exception {
        Path folder = copy("llama-tiny-sharded");
        Path index = folder.resolve("model.safetensors.index.json");
        String text = Files.readString(index);
        Files.writeString(index, text.replace("\"lm_head.weight\": \"model-00003-of-00003.safetensors\"",
                "\"lm_head.weight\": \"../model-00003-of-00003.safetensors\""));
        assertTrue(loadError(folder).startsWith(index + ": tensor \"lm_head.weight\" is mapped to \"../model-00003-of-00003.safetensors\","
                + " which is not a file name in the same folder"), loadError(folder));
        Files.writeString(index, text.replace("\"lm_head.weight\": \"model-00003-of-00003.safetensors\"",
                "\"lm_head.weight\": \"model-00001-of-00003.safetensors\""));
        assertTrue(loadError(folder).contains("tensor \"lm_head.weight\" is mapped to " + folder.resolve("model-00001-of-00003.safetensors")
                + ", which does not hold it"), loadError(folder));
        Files.writeString(index, text.replace("    \"model.embed_tokens.weight\": \"model-00001-of-00003.safetensors\",\n", ""));
        assertEquals(folder.resolve("model-00001-of-00003.safetensors") + ": holds tensor \"model.embed_tokens.weight\", which "
                + "model.safetensors.index.json maps nowhere", loadError(folder));
        Files.writeString(index, text);
        Files.delete(folder.resolve("model-00002-of-00003.safetensors"));
        assertTrue(loadError(folder).contains("is mapped to shard model-00002-of-00003.safetensors, which does not exist"), loadError(folder));
    }

    @Test
    void readConfigGivesOurRecords() throws Exception {
        assertTrue(HfFolder.readConfig(Tiny.fixture("gpt2-tiny")) instanceof GptConfig);
        assertTrue(HfFolder.readConfig(Tiny.fixture("llama-tiny-bf16")) instanceof LlamaConfig);
    }

    private String loadError(Path folder) {
        return assertThrows(IllegalArgumentException.class, () -> HfFolder.load(folder, manager)).getMessage();
    }

    private Path copy(String fixture) throws IOException {
        Path target = Files.createDirectories(temporary.resolve(fixture + "-" + System.nanoTime()));
        try (Stream<Path> files = Files.list(Tiny.fixture(fixture))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    private static void editConfig(Path folder, Consumer<ObjectNode> edit) throws IOException {
        Path file = folder.resolve("config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(config);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    }

    /** A tensor to write: float values as F32, or null values for an I64 tensor of zeros. */
    private record Tensor(Shape shape, float[] values) {}

    private void rewriteWeights(Path file, Consumer<Map<String, Tensor>> edit) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile weights = SafetensorsFile.open(file)) {
            for (TensorInfo info : weights.tensors().values()) {
                tensors.put(info.name(), new Tensor(info.shape(), weights.read(info.name(), manager).toFloatArray()));
            }
        }
        edit.accept(tensors);
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach((name, tensor) -> {
            if (tensor.values() == null) {
                writer.addLongs(name, tensor.shape(), new long[(int) tensor.shape().size()]);
            } else {
                writer.add(name, Dtype.F32, tensor.shape(), tensor.values());
            }
        });
        writer.write(file);
    }
}
