package calm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.Connection;
import calm.compose.Wiring;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.model.LanguageModel;
import calm.model.gpt.GptConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prints the speed and memory figures of issue 2 for a 4-layer d=256 anchor and a 4-layer d=128
 * augmenting model at batch 16 x 128 tokens. Not a test: it asserts nothing and prints figures.
 *
 * <p>Run: {@code mvn -q -B -o -pl calm-model test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=calm.bench.CompositionBenchmark}
 */
public final class CompositionBenchmark {

    private static final int VOCAB = 256;
    private static final int BATCH = 16;
    private static final int LENGTH = 128;
    private static final int DECODE = 256;

    private CompositionBenchmark() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int memorySteps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        try (NDManager manager = NDManager.newBaseManager()) {
            GptConfig anchorConfig = GptConfig.of(VOCAB, 512, 256, 4, 4);
            GptConfig augmentingConfig = GptConfig.of(VOCAB, 512, 128, 4, 4);
            DecoderLM anchor = initialised(anchorConfig, manager, 1);
            DecoderLM augmenting = initialised(augmentingConfig, manager, 2);
            DecoderLM fineTuned = initialised(anchorConfig, manager, 1);
            ComposedModel byDefault = ComposedModel.builder(anchor).augment(augmenting).zeroInitOutput(false).build(manager);
            ComposedModel everyLayer = ComposedModel.builder(anchor)
                    .augment(augmenting, Wiring.of(4, 4, List.of(new Connection(1, 1), new Connection(2, 2),
                            new Connection(3, 3), new Connection(4, 4))), Augmentation.Mode.LOCKSTEP)
                    .zeroInitOutput(false).build(manager);
            NDArray tokens = randomTokens(manager, BATCH, LENGTH + 1, 7);

            System.out.printf(Locale.ROOT, "engine %s, threads %s, batch %d x %d tokens, vocab %d%n",
                    Engine.getInstance().getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    BATCH, LENGTH, VOCAB);
            System.out.printf(Locale.ROOT, "anchor %,d params; augmenting %,d params%n",
                    anchor.parameterCount(), augmenting.parameterCount());
            System.out.printf(Locale.ROOT, "CALM default wiring %s: %s%n",
                    byDefault.augmentations().get(0).wiring().connections(), byDefault.trainableParameterFormula());
            System.out.printf(Locale.ROOT, "CALM every-layer wiring %s: %s%n%n",
                    everyLayer.augmentations().get(0).wiring().connections(), everyLayer.trainableParameterFormula());

            double anchorForward = median(repeats, () -> forward(anchor, tokens, manager));
            double composedForward = median(repeats, () -> forward(byDefault, tokens, manager));
            double everyForward = median(repeats, () -> forward(everyLayer, tokens, manager));
            row("forward (ms)", anchorForward, composedForward, everyForward);

            Optimizer full = adamW();
            Optimizer calm = adamW();
            Optimizer calmEvery = adamW();
            fineTuned.freezeParameters(false);
            double fullStep = median(repeats, () -> trainStep(fineTuned, tokens, manager, full));
            double calmStep = median(repeats, () -> trainStep(byDefault, tokens, manager, calm));
            double everyStep = median(repeats, () -> trainStep(everyLayer, tokens, manager, calmEvery));
            row("training step (ms), anchor = full fine-tuning", fullStep, calmStep, everyStep);

            double anchorToken = decodePerToken(anchor, manager);
            double composedToken = decodePerToken(byDefault, manager);
            double everyToken = decodePerToken(everyLayer, manager);
            row("cached decoding per token (ms), batch 16", anchorToken, composedToken, everyToken);
            double recompute = recomputePerToken(byDefault, manager);
            System.out.printf(Locale.ROOT, "CALM (default wiring) recomputing the full sequence per token, 1..%d tokens: "
                    + "%.2f ms per token; cached is %.1fx faster%n%n", DECODE, recompute, recompute / composedToken);

            System.out.printf(Locale.ROOT, "memory over %d CALM training steps (resident set, MiB):%n", memorySteps);
            Optimizer memory = adamW();
            for (int step = 1; step <= memorySteps; step++) {
                trainStep(everyLayer, tokens, manager, memory);
                if (step == 1 || step == 10 || step % 50 == 0) {
                    System.out.printf(Locale.ROOT, "  step %4d: %,d MiB%n", step, residentMiB());
                }
            }
        }
    }

    private static void row(String what, double anchor, double composed, double every) {
        System.out.printf(Locale.ROOT, "%-48s anchor alone %8.2f | CALM default %8.2f (x%.2f) | CALM every layer %8.2f (x%.2f)%n",
                what, anchor, composed, composed / anchor, every, every / anchor);
    }

    private static DecoderLM initialised(GptConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        DecoderLM model = config.newModel();
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    private static Optimizer adamW() {
        return Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
    }

    private static NDArray randomTokens(NDManager manager, int batch, int length, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[batch * length];
        Arrays.setAll(ids, i -> random.nextInt(VOCAB));
        return manager.create(ids, new ai.djl.ndarray.types.Shape(batch, length));
    }

    private static void forward(LanguageModel model, NDArray tokens, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray inputs = tokens.get(new NDIndex(":, :-1"));
            inputs.attach(step);
            model.logits(Batch.of(inputs)).max().getFloat();
        }
    }

    private static void trainStep(LanguageModel model, NDArray tokens, NDManager manager, Optimizer optimizer) {
        try (NDManager step = manager.newSubManager()) {
            NDArray inputs = tokens.get(new NDIndex(":, :-1"));
            NDArray targets = tokens.get(new NDIndex(":, 1:"));
            inputs.attach(step);
            targets.attach(step);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.logits(Batch.of(inputs)).logSoftmax(-1)
                        .gather(targets.expandDims(-1), -1).mean().neg();
                collector.backward(loss);
            }
            for (Parameter parameter : model.trainableParameters()) {
                NDArray weight = parameter.getArray();
                optimizer.update(parameter.getId(), weight, weight.getGradient());
            }
        }
    }

    private static double decodePerToken(LanguageModel model, NDManager manager) {
        NDArray prompt = randomTokens(manager, BATCH, 1, 3);
        NDArray next = randomTokens(manager, BATCH, DECODE, 4);
        long start = 0;
        try (NDManager scope = manager.newSubManager(); Decoding decoding = model.startDecoding(prompt, null, DECODE + 1)) {
            for (int t = 0; t < DECODE; t++) {
                if (t == 8) {
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
        return (System.nanoTime() - start) / 1e6 / (DECODE - 8);
    }

    private static double recomputePerToken(LanguageModel model, NDManager manager) {
        NDArray all = randomTokens(manager, BATCH, DECODE, 4);
        long start = System.nanoTime();
        for (int t = 1; t <= DECODE; t++) {
            try (NDManager step = manager.newSubManager()) {
                NDArray prefix = all.get(new NDIndex(":, :{}", t));
                prefix.attach(step);
                model.logits(Batch.of(prefix)).get(new NDIndex(":, -1, :")).getFloat(0, 0);
            }
        }
        return (System.nanoTime() - start) / 1e6 / DECODE;
    }

    private static double median(int repeats, Runnable work) {
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

    private static long residentMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
