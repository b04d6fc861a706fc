package calm.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.eval.report.Results;
import calm.eval.report.ResultsJson;
import calm.eval.report.Summary;
import calm.eval.report.SystemInfo;
import calm.eval.report.TableSpec;
import calm.eval.run.Evaluation;
import calm.io.ModelFolder;
import calm.kv.KvMerging;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key-value experiment with its training-free combinations (configs/kv-merging-tiny.yaml in the
 * test resources): a shared base, two fine-tuned copies, a merge by every method and the output
 * ensemble, in the report beside CALM. A pipeline test, not of accuracy.
 */
class KvMergingRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("linear", "slerp", "task_arithmetic", "ties", "dare_linear", "dare_ties",
            "breadcrumbs", "model_stock");

    @TempDir
    static Path folder;

    private static Path output;
    private static Results results;

    @BeforeAll
    static void runIt() throws IOException, URISyntaxException {
        Path config = Path.of(KvMergingRunTest.class.getResource("/configs/kv-merging-tiny.yaml").toURI());
        output = folder.resolve("merging");
        InProcessCalm.Outcome run = InProcessCalm.run("run", config.toString(), "--output", output.toString());
        assertEquals(0, run.exitCode(), run.err());
        results = ResultsJson.read(output.resolve(Evaluation.REPORT).resolve(ResultsJson.FILE_NAME));
    }

    @Test
    void everyMergeAndTheEnsembleAreScoredBesideCalm() {
        List<String> combinations = new ArrayList<>(List.of("Shared base", "Base + KV-Substitution",
                "Base + Numeric-Arithmetic"));
        METHODS.forEach(method -> combinations.add("Merge: " + method));
        combinations.add("Ensemble of both copies");
        List<String> systems = results.systems().stream().map(SystemInfo::name).toList();
        assertEquals(List.of("m_A", "m_B", "CALM"), systems.subList(0, 3));
        assertEquals(combinations, systems.subList(3, systems.size()));
        TableSpec table = results.tables().stream().filter(t -> t.id().equals("merging")).findFirst().orElseThrow();
        List<String> rows = new ArrayList<>(List.of("CALM", "m_A", "m_B"));
        rows.addAll(combinations);
        assertEquals(rows, table.rows());
        for (String system : combinations) {
            assertTrue(results.score("KV-Arithmetic over other keys", system, "accuracy").isPresent(), system);
            assertTrue(results.comparisons().stream().anyMatch(c -> c.system().equals("CALM") && c.baseline().equals(system)),
                    "CALM is compared with " + system);
        }
        String best = results.headline().get(results.headline().size() - 1);
        assertTrue(best.startsWith("The best training-free combination (merges and an ensemble of two models fine-tuned from "
                + "one base), "), best);
        SystemInfo ensemble = results.systems().stream().filter(s -> s.name().equals("Ensemble of both copies")).findFirst()
                .orElseThrow();
        assertEquals(0, ensemble.trainableParameters());
        assertEquals(2 * results.systems().get(1).totalParameters(), ensemble.totalParameters(), "two copies of m_B's size");
    }

    @Test
    void gridsChooseTheSettingWithTheLowestValidationLoss() throws IOException {
        JsonNode merges = JSON.readTree(output.resolve(KvMerging.FOLDER).resolve(KvMerging.MERGES).toFile());
        assertEquals("merge", merges.path("job").asText());
        for (String method : List.of("ties", "dare_linear", "dare_ties", "breadcrumbs")) {
            JsonNode grid = merges.path("methods").path(method).path("grid");
            assertEquals(2, grid.size(), method + ": densities [0.3, 0.7]");
            JsonNode best = grid.get(0).path("validationLoss").asDouble() <= grid.get(1).path("validationLoss").asDouble()
                    ? grid.get(0) : grid.get(1);
            assertEquals(best.path("density").asDouble(), merges.path("methods").path(method).path("chosen").path("density").asDouble(),
                    method);
            String written = Files.readString(output.resolve(KvMerging.FOLDER).resolve("merged-" + method.replace('_', '-'))
                    .resolve("merge-config.yaml"));
            assertTrue(written.contains("density: " + best.path("density").asDouble()), written);
        }
        assertEquals(0, merges.path("methods").path("linear").path("grid").size(), "one setting: nothing to choose");
        Summary settings = results.summaries().stream().filter(s -> s.id().equals("merging")).findFirst().orElseThrow();
        assertEquals(METHODS.size(), settings.rows().size());
        for (String method : METHODS) {
            assertTrue(Files.isRegularFile(output.resolve(KvMerging.FOLDER).resolve("merged-" + method.replace('_', '-'))
                    .resolve(ModelFolder.WEIGHTS)), method);
        }
    }

    @Test
    void theCombinationsTrainOnNoEvaluatedExample() throws IOException {
        Path data = output.resolve("data");
        Set<String> trained = new HashSet<>();
        for (KvMerging.Copy copy : KvMerging.Copy.values()) {
            trained.addAll(examples(data.resolve(copy.split().id() + ".jsonl")));
        }
        Set<String> evaluated = new HashSet<>();
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("eval-")).toList()) {
                evaluated.addAll(examples(file));
            }
        }
        assertTrue(evaluated.size() >= 80, "five evaluated splits of 20");
        Set<String> shared = new HashSet<>(trained);
        shared.retainAll(evaluated);
        assertTrue(shared.isEmpty(), "the shared base and its copies trained on evaluated examples: " + shared);
        Set<String> validation = examples(data.resolve("validation-composition.jsonl"));
        validation.retainAll(evaluated);
        assertTrue(validation.isEmpty(), "the merges' settings were chosen on evaluated examples: " + validation);
    }

    /** @return each example as task, prompt and target */
    private static Set<String> examples(Path file) throws IOException {
        Set<String> examples = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode example = JSON.readTree(line);
            examples.add(example.path("task").asText() + "|" + example.path("prompt").asText() + "|" + example.path("target").asText());
        }
        return examples;
    }
}
