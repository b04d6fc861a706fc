package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.train.Progress;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loss a job prints on the console and the loss the report's training curve shows, for the
 * same step, are one number: the mean over the updates since the previous metrics line.
 */
class LossDefinitionTest {

    private static final Pattern LINE = Pattern.compile("tiny: step (\\d+)/12  loss (\\d+\\.\\d{4}) \\(mean of (\\d+) updates?\\).*");

    @TempDir
    Path folder;

    @Test
    void theConsoleAndTheReportShowTheSameLossForTheSameStep() throws IOException {
        List<String> console = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = new GptConfig(12, 16, 16, 1, 2, 32, true, GptConfig.Activation.GELU_TANH, 1e-5).newModel();
            Engine.getInstance().setRandomSeed(3);
            model.initialize(manager, DataType.FLOAT32);
            // Lines every 4 updates: each console line and each curve point average 4 updates, which differ.
            TrainingConfig config = TrainingConfig.builder().steps(12).batchSize(4).learningRate(1e-2).minLearningRate(1e-3)
                    .warmupSteps(2).evalInterval(0).evalExamples(0).checkpointInterval(0).logInterval(4).seed(7).build();
            TrainingLoop.builder(model).name("tiny").examples(examples()).config(config).folder(folder)
                    .progress(Progress.logLines(4, console::add)).build().run(manager, false);
        }
        Map<Long, String> printed = new LinkedHashMap<>();
        for (String line : console) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                assertEquals("4", matcher.group(3), line);
                printed.put(Long.parseLong(matcher.group(1)), matcher.group(2));
            }
        }
        assertEquals(List.of(4L, 8L, 12L), List.copyOf(printed.keySet()), String.join("\n", console));
        TrainingCurve curve = MetricsLog.read(folder.resolve(TrainingLoop.METRICS));
        Map<Long, String> reported = new LinkedHashMap<>();
        curve.points().forEach(point -> reported.put(point.step(), String.format(Locale.ROOT, "%.4f", point.loss())));
        assertEquals(printed, reported);
        assertTrue(printed.values().stream().distinct().count() > 1, "the losses differ from step to step: " + printed);
    }

    private static List<TrainingExample> examples() {
        Random random = new Random(5);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int[] prompt = {1, 3 + random.nextInt(9), 3 + random.nextInt(9)};
            examples.add(new TrainingExample(prompt, new int[] {3 + (prompt[1] + 1) % 9, 2}));
        }
        return examples;
    }
}
