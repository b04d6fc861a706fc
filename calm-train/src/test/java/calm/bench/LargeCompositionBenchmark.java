package calm.bench;

import ai.djl.ndarray.NDManager;
import calm.compose.AugmentingStates;
import calm.compose.ComposedModel;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.io.FolderLayout;
import calm.io.hf.FolderTokenizer;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.model.llama.LlamaConfig;
import calm.model.nn.MatrixProducts;
import calm.testing.ModelFolders;
import calm.train.NonFiniteLossException;
import calm.train.config.ConfigLoader;
import calm.train.experiment.FolderComposition;
import calm.train.io.CompositionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code calm compose} at the size users bring: two Llama-shaped Hugging Face folders of about 100M
 * parameters each (random weights, written by the tests' checkpoint writer) composed on a JSON Lines
 * D_C. Not a test: it prints figures (docs/benchmarks.md, "At 100M parameters").
 *
 * <pre>
 *   mvn -q -B -o -pl calm-train exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=calm.bench.LargeCompositionBenchmark -Dexec.args="write /tmp/calm-100m"
 *   mvn -q -B -o -pl calm-train exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=calm.bench.LargeCompositionBenchmark -Dexec.args="measure /tmp/calm-100m"
 *   mvn -q -B -o -pl calm-train exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=calm.bench.LargeCompositionBenchmark -Dexec.args="held /tmp/calm-100m"
 * </pre>
 *
 * Each step runs in a process of its own, so that each peak resident memory is its own.
 */
public final class LargeCompositionBenchmark {

    /** 14 layers of width 768 (12 heads of 64), MLP 2,048, over the llama-tiny fixture's 384-token vocabulary. */
    static final LlamaConfig SHAPE = new LlamaConfig(384, 512, 768, 14, 12, 12, 64, 2048, 10000, 1e-6, false, false);
    private static final int STEPS = 12;
    private static final int BATCH = 4;
    private static final int GENERATED = 48;

    private LargeCompositionBenchmark() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        if (args.length != 2 || !List.of("write", "measure", "held").contains(args[0])) {
            System.err.println("usage: LargeCompositionBenchmark write|measure|held FOLDER");
            System.exit(2);
        }
        Path root = Path.of(args[1]);
        switch (args[0]) {
            case "write" -> write(root);
            case "measure" -> measure(root);
            default -> held(root);
        }
    }

    private static void write(Path root) throws IOException {
        Files.createDirectories(root);
        Path tokenizer = ModelFolders.fixture("llama-tiny").resolve("tokenizer.json");
        for (String role : List.of("a", "b")) {
            Path folder = root.resolve("model-" + role);
            try (NDManager manager = NDManager.newBaseManager()) {
                // N(0, 0.02), as GPT-2 and Llama initialise: at 0.1 the activations of 14 random layers overflow.
                DecoderLM model = ModelFolders.writeHfLlama(SHAPE, 2, role.equals("a") ? 11 : 12, 0.02f, folder, manager);
                System.out.printf(Locale.ROOT, "wrote %s: %,d parameters%n", folder, model.parameterCount());
            }
            Files.copy(tokenizer, folder.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(root.resolve("d-c-64.jsonl"), examples(64, 1));
        Files.writeString(root.resolve("d-c-16.jsonl"), examples(16, 2));
        for (int examples : List.of(64, 16)) {
            for (int steps : List.of(1, STEPS)) {
                Files.writeString(root.resolve("compose-" + examples + "-" + steps + ".yaml"), """
                        models:
                          a: {folder: %s}
                          b: {folder: %s}
                        data:
                          train: %s
                        training: {steps: %d, batchSize: %d, learningRate: 0.0003, warmupSteps: 1, evalInterval: 0,
                                   checkpointInterval: 0, logInterval: 1, seed: 3}
                        output: %s
                        """.formatted(root.resolve("model-a"), root.resolve("model-b"),
                        root.resolve("d-c-" + examples + ".jsonl"), steps, BATCH,
                        root.resolve("out-" + examples + "-" + steps)));
            }
        }
    }

    /** Prompts of about 48 tokens and completions of about 16 over words of the fixture's vocabulary. */
    private static String examples(int count, long seed) {
        String[] words = {"the", "key", "value", "house", "river", "number", "seven", "apple", "model", "layer", "blue",
            "and", "of", "is", "to", "in"};
        Random random = new Random(seed);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("{\"prompt\": \"").append(sentence(words, random, 30)).append("\", \"completion\": \" ")
                    .append(sentence(words, random, 10)).append("\"}\n");
        }
        return lines.toString();
    }

    private static String sentence(String[] words, Random random, int length) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            picked.add(words[random.nextInt(words.length)]);
        }
        return String.join(" ", picked);
    }

    /**
     * Composes on 64 examples for {@value #STEPS} updates of {@value #BATCH} (m_A runs at every
     * update), from a fresh process, sampling its resident memory; then records one update's
     * matrix products.
     */
    private static void measure(Path root) throws IOException {
        Sampler sampler = new Sampler();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.zeros(new ai.djl.ndarray.types.Shape(1)).getFloat(0); // starts the engine
            long baseline = Memory.residentMiB();
            long weightsMiB = 2 * SHAPE.newModel().parameterCount() * 4 / (1 << 20);
            System.out.printf(Locale.ROOT, "engine started: %,d MiB resident; the two models' fp32 weights: %,d MiB%n",
                    baseline, weightsMiB);
            StepTimes times = new StepTimes(STEPS);
            sampler.reset();
            long start = System.nanoTime();
            compose(root, 64, STEPS, times, manager);
            long peak = sampler.max();
            double load = (times.startNanos() - start) / 1e9;
            double update = times.median(2);
            List<MatrixProducts.Product> products = MatrixProducts.record(() -> compose(root, 64, 1, null, manager));
            double flops = MatrixProducts.flops(products);
            double floor = MatrixProducts.floorMillis(products, 3, manager);
            double ceiling = Bench.ceilingGflops(manager, 20);
            System.out.printf(Locale.ROOT, "load and set-up (both models, the composition, the data): %.1f s%n", load);
            System.out.printf(Locale.ROOT, "update (batch %d, m_A run at every update): %.2f s; %.1f GFLOP, %.1f GFLOP/s, "
                    + "%.0f%% of the ceiling (%.1f GFLOP/s); matrix-product floor %.2f s (x%.2f)%n",
                    BATCH, update / 1e3, flops / 1e9, flops / update / 1e6, 100 * flops / update / 1e6 / ceiling, ceiling,
                    floor / 1e3, update / floor);
            System.out.printf(Locale.ROOT, "peak while composing: %,d MiB resident = JVM and engine %,d + weights %,d + the "
                    + "rest (activations, connections' gradients and AdamW moments, allocator) %,d; %.2fx the weights%n",
                    peak, baseline, weightsMiB, peak - baseline - weightsMiB, peak / (double) weightsMiB);
        }
        sampler.stop();
    }

    /**
     * Composes on 16 examples for {@value #STEPS} updates (the augmenting states held), from a fresh
     * process, sampling its resident memory; then cached generation, anchor alone and composed.
     */
    private static void held(Path root) throws IOException {
        Path b = root.resolve("model-b");
        Sampler sampler = new Sampler();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.zeros(new ai.djl.ndarray.types.Shape(1)).getFloat(0);
            long baseline = Memory.residentMiB();
            long weightsMiB = 2 * SHAPE.newModel().parameterCount() * 4 / (1 << 20);
            sampler.reset();
            StepTimes times = new StepTimes(STEPS);
            try {
                compose(root, 16, STEPS, times, manager);
            } catch (NonFiniteLossException e) {
                // Random weights: docs/benchmarks.md says what this run does and what is not yet explained.
                System.out.println("stopped: " + e.getMessage());
            }
            long peak = sampler.max();
            try (NDManager scope = manager.newSubManager()) {
                // Generation reads the composition the measure step saved (64 examples, m_A run at every update).
                ComposedModel composition = CompositionFolder.load(root.resolve("out-64-" + STEPS).resolve("composition"), b,
                        scope);
                long heldMiB = AugmentingStates.bytes(composition, 16, longestExample(root.resolve("d-c-16.jsonl"), b)) >> 20;
                System.out.printf(Locale.ROOT, "peak while composing with held augmenting states (16 examples, %d updates): "
                        + "%,d MiB resident = JVM and engine %,d + weights %,d + held states %,d + the rest %,d; %.2fx the "
                        + "weights%n", STEPS, peak, baseline, weightsMiB, heldMiB, peak - baseline - weightsMiB - heldMiB,
                        peak / (double) weightsMiB);
                DecoderLM anchor = FolderLayout.detect(b).load(b, scope);
                double alone = tokensPerSecond(anchor, scope);
                double composed = tokensPerSecond(composition, scope);
                System.out.printf(Locale.ROOT, "cached generation, batch 1, %d tokens after a 32-token prompt: anchor alone "
                        + "%.1f tokens/s, composed %.1f tokens/s (x%.2f per token)%n", GENERATED, alone, composed,
                        alone / composed);
            }
        }
        sampler.stop();
    }

    private static void compose(Path root, int examples, int steps, StepTimes times, NDManager manager) {
        Path config = root.resolve("compose-" + examples + "-" + steps + ".yaml");
        try (NDManager scope = manager.newSubManager()) {
            calm.io.Folders.deleteTree(root.resolve("out-" + examples + "-" + steps));
            FolderComposition.open(ConfigLoader.readFolderComposition(config)).compose(false, scope, times);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int longestExample(Path data, Path folder) throws IOException {
        int longest = 0;
        try (FolderTokenizer tokenizer = FolderTokenizer.open(folder)) {
            for (calm.data.TextExample example : calm.data.TextExample.readJsonLines(data)) {
                longest = Math.max(longest, tokenizer.prompt(example.prompt()).length
                        + tokenizer.completion(example.completion()).length);
            }
        }
        return longest;
    }

    private static double tokensPerSecond(LanguageModel model, NDManager manager) {
        int[] prompt = new int[32];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 3 + i;
        }
        DecodingConfig greedy = DecodingConfig.greedy(GENERATED, -1);
        Generator.generate(model, List.of(prompt), DecodingConfig.greedy(8, -1), manager);
        long start = System.nanoTime();
        int tokens = Generator.generate(model, List.of(prompt), greedy, manager).get(0).tokens().length;
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    /** The largest resident set seen since the last reset, sampled every 20 ms. */
    private static final class Sampler {
        private final AtomicLong max = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        Sampler() {
            thread = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(Memory.residentMiB(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void reset() {
            max.set(Memory.residentMiB());
        }

        long max() {
            return max.get();
        }

        void stop() {
            running = false;
        }
    }
}
