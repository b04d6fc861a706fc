package calm.merge;

import calm.io.FolderLayout;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.io.hf.SafetensorsShards;
import calm.train.Provenance;
import calm.train.config.ConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a merge: plans it ({@link MergePlan}), then writes the output folder atomically (staged
 * beside it and renamed into place, so a merge that is killed or fails leaves no output folder).
 * Tensors are read, merged and written one at a time, a block of elements at a time, so the heap
 * holds a few blocks whatever the model's size.
 *
 * <p>The output keeps the inputs' layout: for Hugging Face folders, config.json (the base's, or the
 * first model's, with the output's layer count), the weights in shards of at most
 * {@code maxShardBytes} with their index, the tokenizer files and generation_config.json of the
 * same model; for this project's folders, config.json and one model.safetensors. Both also get
 * {@value #CONFIG_COPY} (the config as written) and {@value ModelFolder#PROVENANCE}.
 */
public final class Merge {

    /** The merge config, copied into the output as written. */
    public static final String CONFIG_COPY = "merge-config.yaml";
    /** Hugging Face's default largest shard. */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;
    /** The files of a Hugging Face folder that come from the tokenizer's model. */
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "tokenizer.model", "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja", "generation_config.json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How to run a merge.
     *
     * @param output the folder to write
     * @param maxShardBytes the largest weights file of a Hugging Face output
     * @param randomSeed the seed of random drops, or null for the config's random_seed
     * @param overwrite whether an existing output folder may be replaced
     * @param chunk elements per block ({@link MergeInputs#CHUNK}; tests use tiny blocks)
     * @param progress told after each tensor is written (may be a no-op)
     */
    public record Options(Path output, long maxShardBytes, Long randomSeed, boolean overwrite, int chunk, Progress progress) {
        /** @return default options writing to the folder */
        public static Options to(Path output) {
            return new Options(output, DEFAULT_SHARD_BYTES, null, false, MergeInputs.CHUNK, (name, done, total) -> { });
        }

        /** @return these options, allowed to replace an existing output */
        public Options overwriting() {
            return new Options(output, maxShardBytes, randomSeed, true, chunk, progress);
        }
    }

    /** Told after each tensor is written. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param tensor the tensor just written
         * @param done how many are written
         * @param total how many the output holds
         */
        void written(String tensor, int done, int total);
    }

    /**
     * What a merge wrote.
     *
     * @param output the folder
     * @param tensors how many tensors
     * @param bytes the weights' bytes
     * @param weightFiles the weights files
     * @param took how long the merge ran
     */
    public record Result(Path output, int tensors, long bytes, List<Path> weightFiles, Duration took) {}

    private Merge() {}

    /**
     * Merges the models a config names into a new folder.
     *
     * @throws ConfigException when the config does not fit the models, or the output is an input
     *     or exists (without overwrite)
     * @throws IllegalArgumentException when the models do not fit each other (naming the tensor)
     */
    public static Result run(MergeConfig config, Options options) throws IOException {
        Instant start = Instant.now();
        long seed = options.randomSeed() != null ? options.randomSeed() : config.randomSeed();
        try (MergePlan plan = MergePlan.of(config, seed)) {
            checkOutput(plan, options);
            List<SafetensorsShards.Entry> entries = new ArrayList<>();
            long bytes = 0;
            for (MergePlan.Output tensor : plan.outputs()) {
                entries.add(new SafetensorsShards.Entry(tensor.name(), tensor.dtype(), tensor.shape()));
                bytes += tensor.bytes();
            }
            boolean huggingFace = plan.reference().layout() == FolderLayout.HUGGING_FACE;
            long shardBytes = huggingFace ? options.maxShardBytes() : Long.MAX_VALUE;
            List<Path> files = new ArrayList<>();
            Folders.writeAtomically(options.output(), staging -> {
                try (SafetensorsShards out = SafetensorsShards.create(staging, entries, shardBytes)) {
                    int done = 0;
                    for (MergePlan.Output tensor : plan.outputs()) {
                        write(tensor, config.method(), out, options.chunk());
                        options.progress().written(tensor.name(), ++done, plan.outputs().size());
                    }
                    out.files().forEach(file -> files.add(options.output().resolve(file.getFileName())));
                }
                Files.writeString(staging.resolve(ModelFolder.CONFIG), JSON.writeValueAsString(plan.outputConfig()) + "\n");
                if (huggingFace) {
                    for (String name : TOKENIZER_FILES) {
                        Path file = plan.reference().folder().resolve(name);
                        if (Files.isRegularFile(file)) {
                            Files.copy(file, staging.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
                Files.writeString(staging.resolve(CONFIG_COPY), config.text());
                Files.writeString(staging.resolve(ModelFolder.PROVENANCE), JSON.writeValueAsString(provenance(config, plan, seed)) + "\n");
            });
            return new Result(options.output(), plan.outputs().size(), bytes, files, Duration.between(start, Instant.now()));
        }
    }

    private static void write(MergePlan.Output tensor, MergeMethod method, SafetensorsShards out, int chunk) throws IOException {
        out.begin(tensor.name());
        if (tensor.copied()) {
            MergePlan.Part source = tensor.base() != null ? tensor.base() : tensor.models().get(0);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(tensor.bytes(), 1 << 20));
            for (long from = 0; from < tensor.bytes(); from += buffer.capacity()) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), tensor.bytes() - from));
                source.model().weights().fileOf(source.tensor()).readBytes(source.info(), from, buffer);
                buffer.flip();
                out.writeBytes(buffer);
            }
            return;
        }
        MergeInputs inputs = new MergeInputs(
                tensor.name(),
                tensor.shape().dimension() < 2 ? Math.max(1, tensor.shape().size()) : tensor.shape().tail(),
                tensor.base() == null ? null : source(tensor.base()),
                tensor.models().stream().map(Merge::source).toList(),
                tensor.modelParameters(),
                tensor.parameters(),
                tensor.seed(),
                chunk);
        method.tensorMerge().merge(inputs, out::write);
    }

    private static FloatSource source(MergePlan.Part part) {
        return FloatSource.of(part.model().weights().fileOf(part.tensor()), part.info());
    }

    /** The output may not be an input or hold one, and replaces an existing folder only when asked. */
    private static void checkOutput(MergePlan plan, Options options) throws IOException {
        Path output = options.output().toAbsolutePath().normalize();
        for (MergePlan.Input input : plan.inputs()) {
            Path folder = input.folder().toAbsolutePath().normalize();
            if (folder.startsWith(output) || output.startsWith(folder)) {
                throw new ConfigException("--output " + options.output() + " would overwrite or sit inside the input model "
                        + input.reference() + "; write the merge to another folder");
            }
        }
        if (Files.exists(output) && !options.overwrite()) {
            throw new ConfigException("--output " + options.output() + " exists; choose another folder, or pass --overwrite "
                    + "to replace it");
        }
    }

    private static Map<String, Object> provenance(MergeConfig config, MergePlan plan, long seed) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("job", "merge");
        provenance.put("mergeMethod", config.method().configName());
        provenance.put("configSource", config.source());
        provenance.put("configSha256", Provenance.sha256(config.text()));
        provenance.put("randomSeed", seed);
        provenance.put("models", plan.inputs().stream().map(MergePlan.Input::reference).toList());
        provenance.put("tensors", plan.outputs().size());
        provenance.put("gitCommit", Provenance.gitCommit());
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("createdAt", Instant.now().toString());
        return provenance;
    }
}
