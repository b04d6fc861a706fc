package calm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.Connection;
import calm.compose.Wiring;
import calm.io.Folders;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.model.LanguageModel;
import calm.model.gpt.GptConfig;
import calm.model.nn.MatrixProducts;
import calm.train.AdamW;
import calm.train.Threads;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingLoop;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.config.ModelSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The speed figures of the project in one run ({@code calm bench}, docs/benchmarks.md): the engine's
 * matrix-product ceiling on this machine, then for each measured step its time, its useful FLOPs (the
 * matrix products it performs, the backward pass's included), its share of the ceiling, and its
 * matrix-product floor: the same products at the same shapes timed back to back with nothing else.
 * Then cached decoding per token, the anchor alone and composed, and the process's peak resident memory.
 *
 * <p>Times are medians over {@code repeats} runs after warm-ups; the ceiling is the fastest of at least
 * 20 runs, what the machine can do. Times move by 2x between hosts of the same kind and from hour to
 * hour on one host; the multiples of the floor and of the anchor are what compare across changes.
 */
public final class Bench {

    /** The reference model's vocabulary, batch and length (the figures of issue 2 used the same). */
    static final int VOCAB = 256;
    static final int BATCH = 16;
    static final int LENGTH = 128;

    private final int repeats;
    private final int decodeTokens;
    private final List<Path> configs;
    private final PrintWriter out;
    private double ceiling;

    /**
     * @param repeats timed runs of each measurement, after warm-ups
     * @param decodeTokens tokens decoded to time cached decoding
     * @param configs the experiment configs whose m_A and m_B pretraining steps are measured
     * @param out where the figures go
     */
    public Bench(int repeats, int decodeTokens, List<Path> configs, PrintWriter out) {
        this.repeats = repeats;
        this.decodeTokens = decodeTokens;
        this.configs = List.copyOf(configs);
        this.out = out;
    }

    /** Runs every measurement and prints it as it completes. */
    public void run() throws IOException {
        // The training loops measured below would log every job they start and end.
        Configurator.setLevel(TrainingLoop.class.getName(), Level.WARN);
        try (NDManager manager = NDManager.newBaseManager()) {
            out.printf(Locale.ROOT, "engine: %s %s, %d intra-op thread(s), %d core(s); %s%n",
                    Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), Threads.intraOp(),
                    Threads.cores(), cpuModel());
            ceiling = ceilingGflops(manager, Math.max(20, repeats));
            out.printf(Locale.ROOT, "ceiling: fp32 1024^3 matrix product through the engine, %.1f GFLOP/s (the fastest of "
                    + "%d)%n%n", ceiling, Math.max(20, repeats));
            out.printf(Locale.ROOT, "%-68s %9s %9s %8s %8s %10s %8s%n", "step", "ms", "GFLOP", "GFLOP/s", "ceiling",
                    "floor ms", "x floor");
            out.flush();

            GptConfig anchorConfig = GptConfig.of(VOCAB, 512, 256, 4, 4);
            GptConfig augmentingConfig = GptConfig.of(VOCAB, 512, 128, 4, 4);
            DecoderLM anchor = initialised(anchorConfig, manager, 1);
            DecoderLM augmenting = initialised(augmentingConfig, manager, 2);
            DecoderLM fineTuned = initialised(anchorConfig, manager, 1);
            fineTuned.freezeParameters(false);
            ComposedModel byDefault = ComposedModel.builder(anchor).augment(augmenting).zeroInitOutput(false).build(manager);
            ComposedModel everyLayer = ComposedModel.builder(anchor)
                    .augment(augmenting, Wiring.of(4, 4, List.of(new Connection(1, 1), new Connection(2, 2),
                            new Connection(3, 3), new Connection(4, 4))), Augmentation.Mode.LOCKSTEP)
                    .zeroInitOutput(false).build(manager);
            NDArray tokens = randomTokens(manager, BATCH, LENGTH + 1, VOCAB, 7);
            String shape = String.format(Locale.ROOT, "batch %dx%d", BATCH, LENGTH);

            measure("reference forward, GPT 4x256, " + shape, () -> forward(fineTuned, tokens, manager), manager);
            AdamW full = adamW(manager);
            measure("reference training step (all weights, AdamW), " + shape,
                    () -> trainStep(fineTuned, tokens, manager, full), manager);
            AdamW calm = adamW(manager);
            measure("CALM step, anchor 4x256 + m_A 4x128, wiring (4,4)",
                    () -> trainStep(byDefault, tokens, manager, calm), manager);
            AdamW dense = adamW(manager);
            measure("CALM step, every layer (1,1)..(4,4)", () -> trainStep(everyLayer, tokens, manager, dense), manager);
            for (Path config : configs) {
                pretrainingSteps(config, manager);
            }
            out.println();
            for (LanguageModel model : List.of(anchor, byDefault, everyLayer)) {
                decodePerToken(model, manager); // warm-up: the first decoding of each model compiles its Java path
            }
            double alone = decodePerToken(anchor, manager);
            double composed = decodePerToken(byDefault, manager);
            double every = decodePerToken(everyLayer, manager);
            out.printf(Locale.ROOT, "cached decoding per token, batch %d, %d tokens: anchor alone %.2f ms; CALM (4,4) %.2f ms "
                    + "(x%.2f); CALM every layer %.2f ms (x%.2f)%n", BATCH, decodeTokens, alone, composed, composed / alone,
                    every, every / alone);
            out.printf(Locale.ROOT, "peak resident memory: %,d MiB%n", Memory.peakMiB());
            out.flush();
        }
    }

    private void measure(String what, Runnable step, NDManager manager) {
        step.run();
        List<MatrixProducts.Product> products = MatrixProducts.record(step);
        double millis = median(step);
        report(what, millis, products, manager);
    }

    private void report(String what, double millis, List<MatrixProducts.Product> products, NDManager manager) {
        double flops = MatrixProducts.flops(products);
        double floor = MatrixProducts.floorMillis(products, repeats, manager);
        double rate = flops / millis / 1e6;
        out.printf(Locale.ROOT, "%-68s %9.2f %9.2f %8.1f %7.0f%% %10.2f %8.2f%n", what, millis, flops / 1e9, rate,
                100 * rate / ceiling, floor, millis / floor);
        out.flush();
    }

    /** The pretraining steps of a config's m_A and m_B, through the training loop itself. */
    private void pretrainingSteps(Path config, NDManager manager) throws IOException {
        LoadedConfig loaded = ConfigLoader.read(config);
        for (String role : List.of("a", "b")) {
            ModelSpec spec = role.equals("a") ? loaded.config().models().a() : loaded.config().models().b();
            GptConfig architecture = spec.architecture();
            int length = Math.min(architecture.contextLength() - 1, typicalLength(loaded.config().experiment()));
            TrainingConfig training = spec.training();
            String what = String.format(Locale.ROOT, "pretraining %s m_%s %dx%d, batch %dx%d%s", loaded.name(),
                    role.toUpperCase(Locale.ROOT), architecture.numLayers(), architecture.hiddenSize(), training.batchSize(),
                    length, training.predictTokens() > 1 ? ", " + training.predictTokens() + " tokens/position" : "");
            DecoderLM model = initialised(architecture, manager, 3);
            List<TrainingExample> examples = examples(training.batchSize() * (repeats + 3), length,
                    architecture.vocabSize());
            List<MatrixProducts.Product> products = new ArrayList<>();
            Path folder = Files.createTempDirectory("calm-bench");
            try {
                products.addAll(MatrixProducts.record(() -> train(model, examples, training.withSteps(1), folder.resolve("one"),
                        manager, new StepTimes(1))));
                StepTimes times = new StepTimes(repeats + 3);
                train(model, examples, training.withSteps(repeats + 3), folder.resolve("timed"), manager, times);
                report(what, times.median(3), products, manager);
            } finally {
                Folders.deleteTree(folder);
            }
        }
    }

    /** The padded length of a typical pretraining batch of each shipped experiment, in tokens. */
    private static int typicalLength(String experiment) {
        return switch (experiment) {
            case "kv-arithmetic" -> 20;
            default -> 256;
        };
    }

    private static void train(DecoderLM model, List<TrainingExample> examples, TrainingConfig training, Path folder,
            NDManager manager, StepTimes times) {
        TrainingConfig quiet = training.withEvalInterval(0).withCheckpointInterval(0);
        try (NDManager scope = manager.newSubManager()) {
            TrainingLoop.builder(model).name("bench").examples(examples).config(quiet).folder(folder).progress(times)
                    .build().run(scope, false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<TrainingExample> examples(int count, int length, int vocab) {
        Random random = new Random(11);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] completion = new int[length];
            for (int t = 0; t < length; t++) {
                completion[t] = random.nextInt(vocab);
            }
            examples.add(new TrainingExample(new int[] {random.nextInt(vocab)}, completion));
        }
        return examples;
    }

    /**
     * @param runs timed runs, after 3 warm-ups
     * @return the engine's fp32 1024^3 matrix product on this machine, in GFLOP/s: the fastest run
     */
    public static double ceilingGflops(NDManager manager, int runs) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(1024, 1024));
            NDArray b = scope.randomNormal(new Shape(1024, 1024));
            double fastest = Double.MAX_VALUE;
            for (int run = -3; run < runs; run++) {
                long start = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0);
                }
                if (run >= 0) {
                    fastest = Math.min(fastest, (System.nanoTime() - start) / 1e6);
                }
            }
            return 2.0 * 1024 * 1024 * 1024 / fastest / 1e6;
        }
    }

    private static DecoderLM initialised(GptConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        DecoderLM model = config.newModel();
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    private static AdamW adamW(NDManager manager) {
        return AdamW.builder(TrainingConfig.defaults().withLearningRate(1e-4), 0).stateManager(manager).build();
    }

    private static NDArray randomTokens(NDManager manager, int batch, int length, int vocab, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[batch * length];
        Arrays.setAll(ids, i -> random.nextInt(vocab));
        return manager.create(ids, new Shape(batch, length));
    }

    private static void forward(LanguageModel model, NDArray tokens, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray inputs = tokens.get(new NDIndex(":, :-1"));
            inputs.attach(step);
            model.logits(Batch.of(inputs)).max().getFloat();
        }
    }

    /** One update: forward, next-token loss, backward and AdamW over the model's trainable parameters. */
    private static void trainStep(LanguageModel model, NDArray tokens, NDManager manager, AdamW optimizer) {
        try (NDManager step = manager.newSubManager()) {
            NDArray inputs = tokens.get(new NDIndex(":, :-1"));
            NDArray targets = tokens.get(new NDIndex(":, 1:"));
            inputs.attach(step);
            targets.attach(step);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.logits(Batch.of(inputs)).logSoftmax(-1)
                        .gather(targets.expandDims(-1), -1).mean().neg();
                collector.backward(loss);
                loss.getFloat();
            }
            int i = 0;
            for (Parameter parameter : model.trainableParameters()) {
                NDArray weight = parameter.getArray();
                optimizer.update("p" + i++, weight, weight.getGradient());
            }
        }
    }

    private double decodePerToken(LanguageModel model, NDManager manager) {
        NDArray prompt = randomTokens(manager, BATCH, 1, VOCAB, 3);
        NDArray next = randomTokens(manager, BATCH, decodeTokens, VOCAB, 4);
        int warmup = Math.min(8, decodeTokens / 4);
        long start = 0;
        try (NDManager scope = manager.newSubManager(); Decoding decoding = model.startDecoding(prompt, null, decodeTokens + 1)) {
            for (int t = 0; t < decodeTokens; t++) {
                if (t == warmup) {
                    start = System.nanoTime();
                }
                try (NDManager step = scope.newSubManager()) {
                    NDArray column = next.get(new NDIndex(":, {}:{}", t, t + 1));
                    column.attach(step);
                    decoding.feed(column);
                    decoding.lastLogits().getFloat(0, 0);
                }
            }
        }
        return (System.nanoTime() - start) / 1e6 / (decodeTokens - warmup);
    }

    private double median(Runnable work) {
        for (int i = 0; i < 3; i++) {
            work.run();
        }
        double[] times = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            work.run();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[repeats / 2];
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
