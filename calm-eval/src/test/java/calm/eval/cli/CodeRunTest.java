package calm.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.eval.report.Results;
import calm.eval.report.ResultsJson;
import calm.eval.report.Score;
import calm.eval.report.Summary;
import calm.eval.report.SystemInfo;
import calm.eval.report.TableSpec;
import calm.eval.report.TaskInfo;
import calm.eval.run.Evaluation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped tiny code experiment in-process with {@code calm run} on the committed samples:
 * every job, every report cell, the summaries, and no held-out method body in any training file. A
 * pipeline test, not one of code quality.
 */
class CodeRunTest {

    private static final Path CONFIG = Path.of("..", "configs", "code-tiny.yaml");
    private static final Path DATASETS = Path.of("..", "datasets").toAbsolutePath().normalize();
    private static final List<String> JOBS = List.of("pretrain-a", "pretrain-b", "compose", "finetune-b", "lora-b",
            "compose-vanilla-a", "init-a-random", "compose-random-a", "compose-encoder");
    private static final List<String> SYSTEMS = List.of("m_A", "m_B", "CALM", "m_B fine-tuned", "LoRA on m_B",
            "CALM (vanilla m_A)", "CALM (random m_A)", "CALM (m_A as encoder)");
    private static final Map<String, List<String>> METRICS = Map.of("Code completion", List.of("accuracy", "chrF"),
            "Text to code", List.of("chrF", "BLEU", "parses"), "Code to text", List.of("chrF", "BLEU", "ROUGE-L"));
    private static final List<String> TASKS = List.of("Code completion", "Text to code", "Code to text");
    private static final List<String> TRAINING_FILES = List.of("pretrain-a.jsonl", "pretrain-b.jsonl",
            "train-composition.jsonl", "validation-composition.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    private static Path output;
    private static String runOut;
    private static Results results;

    @BeforeAll
    static void runTheTinyCodeExperiment() throws IOException {
        output = folder.resolve("tiny");
        Path config = folder.resolve("code-tiny.yaml");
        Files.writeString(config, Files.readString(CONFIG).replace(": datasets/", ": " + DATASETS + "/"));
        InProcessCalm.Outcome run = InProcessCalm.run("run", config.toString(), "--output", output.toString());
        assertEquals(0, run.exitCode(), run.err());
        runOut = run.out();
        results = ResultsJson.read(output.resolve(Evaluation.REPORT).resolve(ResultsJson.FILE_NAME));
    }

    @Test
    void everyJobRunsAndTheRunEndsWithThePapersTable4() {
        for (String job : JOBS) {
            String done = job.equals("init-a-random") ? " initialised in " : " trained in ";
            assertTrue(runOut.lines().anyMatch(line -> line.startsWith(job + " ") && line.contains(done)), job + " in\n" + runOut);
        }
        assertTrue(runOut.contains("Table 1: code completion (exact match), text to code and code to text (chrF) on the "
                + "held-out library, m_A, m_B and their composition (the paper's Table 4)\n\n| Task | m_A | m_B | CALM |"), runOut);
        assertTrue(runOut.contains("| Code completion (accuracy) | "), runOut);
        assertTrue(runOut.contains("| Text to code (chrF) | "), runOut);
        assertTrue(runOut.contains("| Code to text (chrF) | "), runOut);
    }

    @Test
    void theReportHoldsEveryCellOfEveryMetric() throws IOException {
        assertEquals(SYSTEMS, results.systems().stream().map(SystemInfo::name).toList());
        assertEquals(TASKS, results.tasks().stream().map(TaskInfo::name).toList());
        assertEquals(List.of("accuracy", "chrF", "chrF"), results.tasks().stream().map(TaskInfo::metric).toList());
        for (String task : TASKS) {
            for (String system : SYSTEMS) {
                for (String metric : METRICS.get(task)) {
                    Score score = results.score(task, system, metric)
                            .orElseThrow(() -> new AssertionError(system + " " + task + " " + metric));
                    assertTrue(score.value() >= 0 && score.value() <= 100 && score.low() <= score.value()
                            && score.value() <= score.high(), score + " " + system + " " + task + " " + metric);
                }
            }
        }
        List<TableSpec> tables = results.tables();
        assertEquals(List.of("main", "systems"), tables.stream().map(TableSpec::id).toList());
        assertEquals(List.of("m_A", "m_B", "CALM"), tables.get(0).columns());
        assertEquals(TASKS, tables.get(1).rows());
        // CALM against each of the 7 other systems on each task's headline, by the paired bootstrap;
        // McNemar's test where the headline is exact match (code completion).
        assertEquals(7 * TASKS.size(), results.comparisons().size());
        assertEquals(7, results.mcnemar().size());
        String markdown = Files.readString(output.resolve("report").resolve("report.md"));
        String html = Files.readString(output.resolve("report").resolve("report.html"));
        for (TableSpec table : tables) {
            assertTrue(markdown.contains("## " + table.title()) && html.contains(table.title().replace("'", "&#39;")),
                    table.title());
        }
    }

    @Test
    void theSummariesSetTheRunBesideThePaperShowExamplesAndTheGridsChoices() throws IOException {
        List<Summary> summaries = results.summaries();
        assertEquals(List.of("setup", "examples", "selection"), summaries.stream().map(Summary::id).toList());
        Summary setup = summaries.get(0);
        assertEquals(List.of("m_A", "m_B", "Tokenizer", "D_C", "Connections read", "Code completion", "Text to code",
                "Code to text", "Held out", "Tuning"), setup.rows().stream().map(row -> row.get(0)).toList());
        assertEquals("7 methods (30% of m_A's documented methods) as documentation-to-code and code-to-documentation pairs",
                setup.rows().get(3).get(2));
        Summary examples = summaries.get(1);
        assertEquals(List.of("Task", "Prompt (its end)", "Expected", "m_A", "m_B", "CALM"), examples.header());
        assertEquals(List.of("Code completion", "Code completion", "Code completion", "Text to code", "Text to code",
                "Text to code", "Code to text", "Code to text", "Code to text"),
                examples.rows().stream().map(row -> row.get(0)).toList());
        Summary selection = summaries.get(2);
        assertEquals(SYSTEMS.subList(2, SYSTEMS.size()), selection.rows().stream().map(row -> row.get(0)).toList());
        for (List<String> row : selection.rows()) {
            assertTrue(List.of("0.01", "0.003").contains(row.get(1)), row.toString());
            assertTrue(List.of("5", "10").contains(row.get(2)), row.toString());
        }
        String markdown = Files.readString(output.resolve("report").resolve("report.md"));
        summaries.forEach(summary -> assertTrue(markdown.contains("## " + summary.title()), summary.title()));
    }

    /** The leak test on the files a run writes: no held-out body, white space removed, is in any training file. */
    @Test
    void noHeldOutMethodBodyIsInAnyTrainingFile() throws IOException {
        Path data = output.resolve("data");
        StringBuilder training = new StringBuilder();
        for (String file : TRAINING_FILES) {
            List<JsonNode> examples = lines(data.resolve(file));
            assertTrue(!examples.isEmpty(), file);
            examples.forEach(e -> training.append(normalise(e.get("prompt").asText() + e.get("completion").asText())).append('\n'));
        }
        List<JsonNode> heldOut = lines(data.resolve("eval-text-to-code.jsonl"));
        assertEquals(9, heldOut.size());
        for (JsonNode example : heldOut) {
            String body = normalise(example.get("completion").asText());
            assertTrue(body.startsWith("{") && body.endsWith("}") && body.length() > 10, body);
            assertTrue(!training.toString().contains(body), example.get("source").asText() + "'s body is in a training file");
        }
    }

    private static String normalise(String code) {
        return code.replaceAll("\\s+", "");
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
