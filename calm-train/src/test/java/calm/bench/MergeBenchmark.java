package calm.bench;

import ai.djl.ndarray.types.Shape;
import calm.io.Folders;
import calm.io.hf.Dtype;
import calm.merge.Merge;
import calm.merge.MergeConfig;
import calm.merge.MergeInputs;
import calm.testing.SafetensorsWriter;
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
 * Times {@code calm merge}'s engine on Llama checkpoints of a few hundred MB, written by the tests'
 * writer: a base and two "fine-tuned" copies (base plus a small deterministic delta), BF16, D 1024,
 * vocab 32000, MLP 2816, 16 query / 4 key-value heads. For two depths (2 and 8 layers: 88 M and
 * 156 M parameters, 176 and 311 MB each), it runs linear (two models), ties and dare_ties (base and
 * two) and prints the time, the read throughput, the Java heap's peak during the merge and the
 * process's resident memory. The heap must not grow with the model: run it in a 96 MB heap (which
 * Maven shares) and both depths merge as fast as with the default heap. Run:
 *
 * <pre>
 * MAVEN_OPTS=-Xmx96m mvn -q -o -pl calm-train exec:java -Dai.djl.offline=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=calm.bench.MergeBenchmark
 * </pre>
 *
 * Optional argument: the folder to write under (default: a temporary folder, deleted afterwards).
 */
public final class MergeBenchmark {

    private static final int VOCAB = 32000;
    private static final int HIDDEN = 1024;
    private static final int MLP = 2816;
    private static final int KV = 256;

    private MergeBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("calm-merge-benchmark");
        System.out.printf(Locale.ROOT, "java %s, %d processors, max heap %.0f MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e6);
        for (int layers : new int[] {2, 8}) {
            Path base = write(root.resolve(layers + "-base"), layers, 0);
            Path a = write(root.resolve(layers + "-a"), layers, 1);
            Path b = write(root.resolve(layers + "-b"), layers, 2);
            long inputBytes = Files.size(base.resolve("model.safetensors"));
            System.out.printf(Locale.ROOT, "%n%d layers: %.1f M parameters, %.0f MB per checkpoint (BF16)%n", layers,
                    inputBytes / 2 / 1e6, inputBytes / 1e6);
            run("linear", """
                    merge_method: linear
                    models:
                      - {model: %s, parameters: {weight: 0.5}}
                      - {model: %s, parameters: {weight: 0.5}}
                    """.formatted(a, b), root.resolve(layers + "-linear"), 2 * inputBytes);
            for (String method : List.of("ties", "dare_ties")) {
                run(method, """
                        merge_method: %s
                        base_model: %s
                        models:
                          - {model: %s, parameters: {weight: 0.5, density: 0.3}}
                          - {model: %s, parameters: {weight: 0.5, density: 0.3}}
                        """.formatted(method, base, a, b), root.resolve(layers + "-" + method), 3 * inputBytes);
            }
        }
        if (args.length == 0) {
            Folders.deleteTree(root);
        }
    }

    private static void run(String method, String yaml, Path output, long inputBytes) throws IOException {
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        System.gc();
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        Merge.run(MergeConfig.parse(method + ".yaml", yaml), new Merge.Options(output, Merge.DEFAULT_SHARD_BYTES, null, false,
                MergeInputs.CHUNK, (tensor, done, total) -> { }));
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapPeak = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.out.printf(Locale.ROOT, "  %-10s %6.2f s  %6.0f MB/s of inputs  heap peak %6.1f MB (%.1f MB before)  resident %5.0f MB%n",
                method, seconds, inputBytes / 1e6 / seconds, heapPeak / 1e6, heapBefore / 1e6, resident() / 1e6);
        Folders.deleteTree(output);
    }

    /** A Llama checkpoint in Hugging Face layout; variant 0 is the base, others add a small delta to it. */
    private static Path write(Path folder, int layers, int variant) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "torch_dtype": "bfloat16",
                 "vocab_size": %d, "hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
                 "num_attention_heads": 16, "num_key_value_heads": 4, "max_position_embeddings": 2048,
                 "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu", "tie_word_embeddings": false}
                """.formatted(VOCAB, HIDDEN, MLP, layers));
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        long seed = 1;
        writer.add("model.embed_tokens.weight", Dtype.BF16, new Shape(VOCAB, HIDDEN), values(seed++, variant));
        for (int layer = 0; layer < layers; layer++) {
            String at = "model.layers." + layer + ".";
            writer.add(at + "input_layernorm.weight", Dtype.BF16, new Shape(HIDDEN), values(seed++, variant));
            writer.add(at + "self_attn.q_proj.weight", Dtype.BF16, new Shape(HIDDEN, HIDDEN), values(seed++, variant));
            writer.add(at + "self_attn.k_proj.weight", Dtype.BF16, new Shape(KV, HIDDEN), values(seed++, variant));
            writer.add(at + "self_attn.v_proj.weight", Dtype.BF16, new Shape(KV, HIDDEN), values(seed++, variant));
            writer.add(at + "self_attn.o_proj.weight", Dtype.BF16, new Shape(HIDDEN, HIDDEN), values(seed++, variant));
            writer.add(at + "post_attention_layernorm.weight", Dtype.BF16, new Shape(HIDDEN), values(seed++, variant));
            writer.add(at + "mlp.gate_proj.weight", Dtype.BF16, new Shape(MLP, HIDDEN), values(seed++, variant));
            writer.add(at + "mlp.up_proj.weight", Dtype.BF16, new Shape(MLP, HIDDEN), values(seed++, variant));
            writer.add(at + "mlp.down_proj.weight", Dtype.BF16, new Shape(HIDDEN, MLP), values(seed++, variant));
        }
        writer.add("model.norm.weight", Dtype.BF16, new Shape(HIDDEN), values(seed++, variant));
        writer.add("lm_head.weight", Dtype.BF16, new Shape(VOCAB, HIDDEN), values(seed, variant));
        writer.write(folder.resolve("model.safetensors"));
        return folder;
    }

    /** Cheap deterministic values in about [-0.05, 0.05]; a variant adds about a tenth of that. */
    private static SafetensorsWriter.Values values(long seed, int variant) {
        return index -> {
            float base = uniform(index, seed) * 0.1f;
            return variant == 0 ? base : base + uniform(index, seed * 31 + variant) * 0.01f;
        };
    }

    private static float uniform(long index, long seed) {
        long h = (index + 1) * 0x9E3779B97F4A7C15L ^ seed * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return ((h >>> 40) / (float) (1L << 24)) - 0.5f;
    }

    private static long resident() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:")).mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
