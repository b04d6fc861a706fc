package calm.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import calm.io.ParameterNames;
import calm.io.hf.HfWeights;
import calm.io.hf.TensorMapping;
import calm.model.DecoderLM;
import calm.model.llama.LlamaConfig;
import calm.train.io.CompositionFolder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Model folders for tests: the Hugging Face fixtures of calm-model (found from the working
 * directory, so tests run alike from the repository root and from the module), copies of them, and
 * random Llama models written in the Hugging Face layout.
 */
public final class ModelFolders {

    private static final String FIXTURES = "calm-model/src/test/resources/hf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFolders() {}

    /** @return calm-model's fixture folder of that name, e.g. {@code llama-tiny} (see its README) */
    public static Path fixture(String name) {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path fixture = at.resolve(FIXTURES).resolve(name);
            if (Files.isDirectory(fixture)) {
                return fixture;
            }
        }
        throw new IllegalStateException("no " + FIXTURES + "/" + name + " above " + Path.of("").toAbsolutePath());
    }

    /** Copies the files of a folder (not its subfolders) into a new folder. */
    public static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    /** @return the SHA-256 of every file in a folder, by name */
    public static Map<String, String> hashes(Path folder) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                hashes.put(file.getFileName().toString(), CompositionFolder.sha256(file));
            }
        }
        return hashes;
    }

    /**
     * Writes a Llama with weights drawn N(0, 0.1) as a Hugging Face folder: config.json (with
     * {@code eos_token_id}) and model.safetensors, named and split as {@link HfWeights#llama} reads
     * them (q/k/v rows of our fused projection become q_proj, k_proj, v_proj).
     */
    public static DecoderLM writeHfLlama(LlamaConfig config, int eosTokenId, long seed, Path folder, NDManager manager)
            throws IOException {
        return writeHfLlama(config, eosTokenId, seed, 0.1f, folder, manager);
    }

    /** The same with weights drawn N(0, std). */
    public static DecoderLM writeHfLlama(LlamaConfig config, int eosTokenId, long seed, float std, Path folder,
            NDManager manager) throws IOException {
        DecoderLM model = config.newModel();
        Engine.getInstance().setRandomSeed((int) seed);
        model.setInitializer(new NormalInitializer(std), parameter -> parameter.getType() == Parameter.Type.WEIGHT);
        model.initialize(manager, DataType.FLOAT32);
        Map<String, Parameter> parameters = ParameterNames.of(model);
        NDList tensors = new NDList();
        for (TensorMapping mapping : HfWeights.llama(config)) {
            NDArray target = parameters.get(mapping.target()).getArray();
            long rows = mapping.sourceShape().get(0);
            NDArray part = target.get(new NDIndex("{}:{}", mapping.rowOffset(), mapping.rowOffset() + rows)).duplicate();
            part.setName(mapping.source());
            tensors.add(part);
        }
        Files.createDirectories(folder);
        try (OutputStream out = Files.newOutputStream(folder.resolve("model.safetensors"))) {
            tensors.encode(out, NDList.Encoding.SAFETENSORS);
        }
        ObjectNode json = JSON.createObjectNode()
                .put("model_type", "llama")
                .put("vocab_size", config.vocabSize())
                .put("hidden_size", config.hiddenSize())
                .put("intermediate_size", config.mlpSize())
                .put("num_hidden_layers", config.numLayers())
                .put("num_attention_heads", config.numHeads())
                .put("num_key_value_heads", config.numKeyValueHeads())
                .put("head_dim", config.headSize())
                .put("max_position_embeddings", config.contextLength())
                .put("rms_norm_eps", config.rmsNormEpsilon())
                .put("rope_theta", config.ropeTheta())
                .put("tie_word_embeddings", config.tiedEmbeddings())
                .put("eos_token_id", eosTokenId);
        JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("config.json").toFile(), json);
        return model;
    }
}
