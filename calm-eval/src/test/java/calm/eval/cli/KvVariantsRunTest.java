package calm.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.eval.kv.KvTasks;
import calm.eval.report.Comparison;
import calm.eval.report.Results;
import calm.eval.report.ResultsJson;
import calm.eval.report.Summary;
import calm.eval.report.SystemInfo;
import calm.eval.report.TableSpec;
import calm.eval.run.Evaluation;
import calm.train.io.CompositionFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key-value experiment with its further CALM rows and a grid (configs/kv-variants-tiny.yaml in
 * the test resources): the paper's reading beside the predictions reading, a second seed of each,
 * and every system trained on D_C tuned on D_C's validation split. A pipeline test, not of accuracy.
 */
class KvVariantsRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREDICTIONS = "CALM, predictions";
    private static final String LAYERS = "CALM, layer outputs";

    @TempDir
    static Path folder;

    private static Path output;
    private static InProcessCalm.Outcome run;
    private static Results results;

    @BeforeAll
    static void runIt() throws IOException, URISyntaxException {
        Path config = Path.of(KvVariantsRunTest.class.getResource("/configs/kv-variants-tiny.yaml").toURI());
        output = folder.resolve("variants");
        run = InProcessCalm.run("run", config.toString(), "--output", output.toString());
        assertEquals(0, run.exitCode(), run.err());
        results = ResultsJson.read(output.resolve(Evaluation.REPORT).resolve(ResultsJson.FILE_NAME));
    }

    @Test
    void bothReadingsAreTrainedWithEachSeedAndShownSideBySide() {
        for (String job : List.of("compose", "compose-seed4", "compose-layers", "compose-layers-seed4")) {
            assertTrue(Files.isRegularFile(output.resolve(job.replaceFirst("^compose", "composition"))
                    .resolve(CompositionFolder.SPEC)), job);
        }
        assertEquals(List.of("m_A", "m_B", PREDICTIONS, PREDICTIONS + " (seed 4)", LAYERS, LAYERS + " (seed 4)",
                "m_B fine-tuned", "LoRA on m_B"), results.systems().stream().map(SystemInfo::name).toList());
        TableSpec main = results.tables().get(0);
        assertEquals(List.of("m_A", "m_B", PREDICTIONS, LAYERS), main.columns());
        TableSpec baselines = results.tables().get(1);
        assertEquals(List.of(PREDICTIONS, "m_B fine-tuned", "LoRA on m_B"), baselines.rows());
        // A further seed adds to its row's mean; it is compared with nothing.
        for (Comparison comparison : results.comparisons()) {
            assertFalse(comparison.system().contains("seed") || comparison.baseline().contains("seed"), comparison.toString());
        }
        assertTrue(results.comparisons().stream().anyMatch(c -> c.system().equals(PREDICTIONS) && c.baseline().equals(LAYERS)));
    }

    @Test
    void theSeedsTableAndTheHeadlineGiveEachSeedAndTheirMean() {
        Summary seeds = results.summaries().stream().filter(s -> s.id().equals("seeds")).findFirst().orElseThrow();
        assertEquals(List.of("System", "Task", "seed 3", "seed 4", "mean", "range"), seeds.header());
        String task = KvTasks.KV_ARITHMETIC_OTHER_KEYS.name();
        for (String reading : List.of(PREDICTIONS, LAYERS)) {
            List<String> row = seeds.rows().stream().filter(r -> r.get(0).equals(reading) && r.get(1).equals(task))
                    .findFirst().orElseThrow();
            double first = score(task, reading);
            double second = score(task, reading + " (seed 4)");
            assertEquals(format(first), row.get(2));
            assertEquals(format(second), row.get(3));
            assertEquals(format((first + second) / 2), row.get(4));
            assertEquals(format(Math.min(first, second)) + " to " + format(Math.max(first, second)), row.get(5));
        }
        List<String> headline = results.headline();
        assertEquals(2, headline.size(), headline.toString());
        double mean = (score(task, PREDICTIONS) + score(task, PREDICTIONS + " (seed 4)")) / 2;
        assertTrue(headline.get(0).startsWith(PREDICTIONS + " scores " + format(mean) + "% on " + task + ", the mean of 2 seeds"),
                headline.get(0));
        assertTrue(headline.get(0).contains("Its connections read what m_A predicts"), headline.get(0));
        assertTrue(headline.get(1).startsWith(LAYERS + ", the paper's reading of m_A (its layer outputs), scores "),
                headline.get(1));
    }

    @Test
    void everySystemTrainedOnDcTakesItsLearningRateAndUpdatesFromTheGrid() throws IOException {
        Summary selection = results.summaries().stream().filter(s -> s.id().equals("selection")).findFirst().orElseThrow();
        assertEquals(List.of(PREDICTIONS, PREDICTIONS + " (seed 4)", LAYERS, LAYERS + " (seed 4)", "m_B fine-tuned",
                "LoRA on m_B"), selection.rows().stream().map(row -> row.get(0)).toList());
        JsonNode chosen = JSON.readTree(output.resolve("composition").resolve(CompositionFolder.PROVENANCE).toFile())
                .path("selection").path("chosen");
        assertTrue(List.of(0.01, 0.003).contains(chosen.path("learningRate").asDouble()), chosen.toString());
        assertTrue(List.of(30, 60).contains(chosen.path("updates").asInt()), chosen.toString());
    }

    @Test
    void dcsValidationSplitIsNeitherInDcNorInAnyEvaluatedSplit() throws IOException {
        Path data = output.resolve("data");
        Set<String> validation = prompts(data.resolve("validation-composition.jsonl"));
        assertEquals(20, validation.size());
        // m_A's KV-Substitution set may hold the same expressions (another task: the substituted
        // expression, not its value); the evaluated splits are kept out of it, the validation split not.
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("eval-")
                    || f.getFileName().toString().startsWith("train-composition")).toList()) {
                Set<String> other = prompts(file);
                other.retainAll(validation);
                assertTrue(other.isEmpty(), file.getFileName() + " shares " + other + " with the validation split");
            }
        }
    }

    private static double score(String task, String system) {
        return results.score(task, system, "accuracy").orElseThrow().value();
    }

    private static String format(double score) {
        return String.format(Locale.ROOT, "%.1f", score);
    }

    private static Set<String> prompts(Path file) throws IOException {
        Set<String> prompts = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            prompts.add(JSON.readTree(line).path("prompt").asText());
        }
        return prompts;
    }
}
