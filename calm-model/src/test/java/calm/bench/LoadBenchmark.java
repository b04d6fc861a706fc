package calm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import calm.io.Folders;
import calm.io.hf.Dtype;
import calm.io.hf.HfFolder;
import calm.io.hf.HfWeights;
import calm.io.hf.TensorMapping;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.llama.LlamaConfig;
import calm.testing.SafetensorsWriter;
import calm.testing.Tiny;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes a Llama checkpoint of a few hundred MB in Hugging Face layout (config.json in the
 * transformers 4.x layout, two safetensors shards and their index), loads it with
 * {@link HfFolder#load} and prints the load time, the heap the load used and the process's
 * resident memory. Run:
 *
 * <pre>
 * mvn -q -o -pl calm-model exec:java -Dai.djl.offline=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=calm.bench.LoadBenchmark -Dexec.args="BF16 F32"
 * </pre>
 *
 * Arguments: the dtypes to write and load (F32, BF16; default both), then optionally the folder to
 * write under (default: a temporary folder, deleted afterwards).
 */
public final class LoadBenchmark {

    /** 4 layers, D 1024, 16 query / 4 key-value heads, MLP 2816, vocab 32000, untied: 110.6 M parameters. */
    static final LlamaConfig CONFIG = new LlamaConfig(32000, 2048, 1024, 4, 16, 4, 64, 2816, 10000, 1e-5, false, false);

    private LoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Dtype> dtypes = Stream.of(args).filter(a -> a.equals("F32") || a.equals("BF16")).map(Dtype::valueOf).toList();
        if (dtypes.isEmpty()) {
            dtypes = List.of(Dtype.BF16, Dtype.F32);
        }
        Path root = Stream.of(args).filter(a -> !a.equals("F32") && !a.equals("BF16")).findFirst().map(Path::of)
                .orElse(Files.createTempDirectory("calm-load-benchmark"));
        long parameters = HfWeights.llama(CONFIG).stream().mapToLong(m -> m.sourceShape().size()).sum();
        System.out.printf(Locale.ROOT, "model: %s%nparameters: %,d (float32 in memory: %.0f MB)%n",
                CONFIG, parameters, parameters * 4 / 1e6);
        try (NDManager manager = NDManager.newBaseManager()) {
            // Start the engine before measuring, so its one-time start is not counted as loading.
            manager.zeros(new Shape(1)).close();
            for (Dtype dtype : dtypes) {
                Path folder = root.resolve("llama-" + dtype.name().toLowerCase(Locale.ROOT));
                long written = write(folder, dtype);
                measure(folder, dtype, written, manager);
            }
        }
        if (args.length == 0 || Stream.of(args).allMatch(a -> a.equals("F32") || a.equals("BF16"))) {
            Folders.deleteTree(root);
        }
    }

    private static long write(Path folder, Dtype dtype) throws IOException {
        Files.createDirectories(folder);
        long start = System.nanoTime();
        Files.writeString(folder.resolve("config.json"), """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "torch_dtype": "%s",
                 "vocab_size": %d, "hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
                 "num_attention_heads": %d, "num_key_value_heads": %d, "max_position_embeddings": %d,
                 "rms_norm_eps": %s, "rope_theta": %s, "rope_scaling": null, "hidden_act": "silu",
                 "tie_word_embeddings": false, "attention_bias": false, "mlp_bias": false}
                """.formatted(dtype == Dtype.F32 ? "float32" : "bfloat16", CONFIG.vocabSize(), CONFIG.hiddenSize(),
                CONFIG.mlpSize(), CONFIG.numLayers(), CONFIG.numHeads(), CONFIG.numKeyValueHeads(), CONFIG.contextLength(),
                CONFIG.rmsNormEpsilon(), CONFIG.ropeTheta()));
        List<TensorMapping> tensors = HfWeights.llama(CONFIG);
        // Two shards, split where the layers begin, as save_pretrained would for a larger model.
        SafetensorsWriter first = new SafetensorsWriter().metadata("format", "pt");
        SafetensorsWriter second = new SafetensorsWriter().metadata("format", "pt");
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        long seed = 1;
        for (TensorMapping tensor : tensors) {
            boolean inFirst = !tensor.source().startsWith("model.layers.") || tensor.source().startsWith("model.layers.0.");
            (inFirst ? first : second).add(tensor.source(), dtype, tensor.sourceShape(), values(seed++, tensor));
            index.append(index.charAt(index.length() - 1) == '{' ? "" : ", ")
                    .append('"').append(tensor.source()).append("\": \"model-0000").append(inFirst ? 1 : 2).append("-of-00002.safetensors\"");
        }
        first.write(folder.resolve("model-00001-of-00002.safetensors"));
        second.write(folder.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(folder.resolve("model.safetensors.index.json"), index.append("}}").toString());
        long bytes = Files.size(folder.resolve("model-00001-of-00002.safetensors"))
                + Files.size(folder.resolve("model-00002-of-00002.safetensors"));
        System.out.printf(Locale.ROOT, "%n[%s] wrote %s: %.0f MB in 2 shards, %.1f s%n",
                dtype, folder, bytes / 1e6, (System.nanoTime() - start) / 1e9);
        return bytes;
    }

    /** Cheap deterministic values in about [-0.05, 0.05]; norm gains near 1. */
    private static SafetensorsWriter.Values values(long seed, TensorMapping tensor) {
        boolean norm = tensor.sourceShape().dimension() == 1;
        return index -> {
            long h = (index + 1) * 0x9E3779B97F4A7C15L ^ seed * 0xC2B2AE3D27D4EB4FL;
            h ^= h >>> 29;
            float u = ((h >>> 40) / (float) (1L << 24)) - 0.5f;
            return norm ? 1f + 0.1f * u : 0.1f * u;
        };
    }

    private static void measure(Path folder, Dtype dtype, long bytes, NDManager manager) throws IOException {
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        System.gc();
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long anonBefore = residentBytes("RssAnon");
        long fileBefore = residentBytes("RssFile");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        try (NDManager loading = manager.newSubManager()) {
            DecoderLM model = HfFolder.load(folder, loading);
            double seconds = (System.nanoTime() - start) / 1e9;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long heapPeak = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            long anonAfter = residentBytes("RssAnon");
            long fileAfter = residentBytes("RssFile");
            long forwardStart = System.nanoTime();
            NDArray logits = model.logits(Batch.of(Tiny.tokens(loading, CONFIG.vocabSize(), 1, 16, 1)));
            float check = logits.abs().mean().getFloat();
            double forward = (System.nanoTime() - forwardStart) / 1e9;
            System.out.printf(Locale.ROOT, "[%s] load: %.2f s (%.0f MB/s of checkpoint)%n", dtype, seconds, bytes / 1e6 / seconds);
            System.out.printf(Locale.ROOT, "[%s] Java heap: %.1f MB used before the load, peak %.1f MB during it (sum of heap pool peaks): +%.1f MB%n",
                    dtype, heapBefore / 1e6, heapPeak / 1e6, (heapPeak - heapBefore) / 1e6);
            System.out.printf(Locale.ROOT, "[%s] Java heap allocated by the loading thread: %.1f MB in all%n", dtype, allocated / 1e6);
            System.out.printf(Locale.ROOT, "[%s] resident memory: anonymous +%.0f MB (the float32 parameters are %.0f MB), file-backed +%.0f MB (mapped shards)%n",
                    dtype, (anonAfter - anonBefore) / 1e6, model.parameterCount() * 4 / 1e6, (fileAfter - fileBefore) / 1e6);
            System.out.printf(Locale.ROOT, "[%s] first forward pass, 16 tokens: %.2f s (mean |logit| %.4f)%n", dtype, forward, check);
        }
    }

    /** @return a field of /proc/self/status in bytes (Linux), or 0 elsewhere */
    private static long residentBytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
