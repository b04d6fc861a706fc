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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped tiny translation experiment in-process with {@code calm run} on the committed
 * corpus samples, then {@code calm eval}: every job, every report cell, the summaries, and no
 * held-out sentence in any training file. A pipeline test, not one of translation quality.
 */
class TranslationRunTest {

    private static final Path CONFIG = Path.of("..", "configs", "translation-tiny.yaml");
    private static final Path SAMPLES = Path.of("..", "datasets", "translation", "samples").toAbsolutePath().normalize();
    private static final List<String> JOBS = List.of("pretrain-a", "pretrain-b", "compose", "finetune-b", "lora-b",
            "pretrain-a-vanilla", "compose-vanilla-a", "init-a-random", "compose-random-a", "compose-encoder");
    private static final List<String> SYSTEMS = List.of("m_A", "m_B", "CALM", "m_B fine-tuned", "LoRA on m_B",
            "CALM (vanilla m_A)", "CALM (random m_A)", "CALM (m_A as encoder)");
    private static final List<String> TASKS = List.of("cym → English (D_C)", "bre → English", "haw → English",
            "spa → English (m_B's skill)");
    private static final List<String> TRAINING_FILES = List.of("pretrain-a.jsonl", "pretrain-b.jsonl",
            "train-composition.jsonl", "validation-composition.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    private static Path output;
    private static String runOut;
    private static Results results;
    private static Results reevaluated;

    @BeforeAll
    static void runTheTinyTranslationExperimentAndEvaluateIt() throws IOException {
        output = folder.resolve("tiny");
        Path config = folder.resolve("translation-tiny.yaml");
        Files.writeString(config, Files.readString(CONFIG).replace("corpora: datasets/translation/samples",
                "corpora: " + SAMPLES));
        Path resultsFile = output.resolve(Evaluation.REPORT).resolve(ResultsJson.FILE_NAME);
        String[] run = calm("run", config.toString(), "--output", output.toString());
        assertEquals("0", run[0], run[2]);
        runOut = run[1];
        results = ResultsJson.read(resultsFile);
        String[] eval = calm("eval", config.toString(), "--output", output.toString());
        assertEquals("0", eval[0], eval[2]);
        reevaluated = ResultsJson.read(resultsFile);
    }

    @Test
    void everyJobRunsAndTheRunEndsWithThePerLanguageTable() {
        for (String job : JOBS) {
            String done = job.equals("init-a-random") ? " initialised in " : " trained in ";
            assertTrue(runOut.lines().anyMatch(line -> line.startsWith(job + " ") && line.contains(done)), job + " in\n" + runOut);
        }
        assertTrue(runOut.contains("Table 1: XX to English by language, m_A, m_B and their composition (chrF)\n\n"
                + "| Task | m_A | m_B | CALM |"), runOut);
        for (String task : TASKS) {
            assertTrue(runOut.contains("| " + task + " (chrF) | "), task);
        }
    }

    @Test
    void theReportHoldsEveryCellWithChrfAndBleu() throws IOException {
        assertEquals(SYSTEMS, results.systems().stream().map(SystemInfo::name).toList());
        assertEquals(TASKS, results.tasks().stream().map(TaskInfo::name).toList());
        results.tasks().forEach(task -> assertEquals("chrF", task.metric()));
        for (String task : TASKS) {
            for (String system : SYSTEMS) {
                for (String metric : List.of("chrF", "BLEU")) {
                    Score score = results.score(task, system, metric).orElseThrow(() -> new AssertionError(system + " " + task));
                    assertTrue(score.value() >= 0 && score.value() <= 100 && score.low() <= score.value()
                            && score.value() <= score.high(), score + " " + system + " " + task + " " + metric);
                }
                assertTrue(Files.isRegularFile(output.resolve("report").resolve("outputs")
                        .resolve(id(system)).resolve(taskId(task) + ".jsonl")),
                        system + " " + task);
            }
        }
        List<TableSpec> tables = results.tables();
        assertEquals(List.of("main", "systems"), tables.stream().map(TableSpec::id).toList());
        assertEquals(List.of("m_A", "m_B", "CALM"), tables.get(0).columns());
        assertEquals(TASKS, tables.get(1).rows());
        // CALM against each of the 7 other systems on each task, by the paired bootstrap; no McNemar for chrF.
        assertEquals(7 * TASKS.size(), results.comparisons().size());
        assertEquals(0, results.mcnemar().size());
        String markdown = Files.readString(output.resolve("report").resolve("report.md"));
        String html = Files.readString(output.resolve("report").resolve("report.html"));
        for (TableSpec table : tables) {
            assertTrue(markdown.contains("## " + table.title()) && html.contains(table.title()), table.title());
        }
    }

    @Test
    void theSummariesCountLanguagesAverageInsideAndOutsideDcAndShowTranslations() throws IOException {
        List<Summary> summaries = results.summaries();
        assertEquals(List.of("setup", "beating-m-b", "averages", "examples", "selection"),
                summaries.stream().map(Summary::id).toList());
        Summary setup = summaries.get(0);
        assertEquals(List.of("m_A", "m_B", "Tokenizer", "D_C", "Connections read", "Evaluation", "Tuning"),
                setup.rows().stream().map(row -> row.get(0)).toList());
        assertTrue(setup.rows().get(3).get(2).matches("\\d+ pairs of 1 of the 3 languages, \\d+% of m_A's corpus in bytes"),
                setup.rows().get(3).toString());
        Summary beating = summaries.get(1);
        assertEquals(SYSTEMS.stream().filter(s -> !s.equals("m_B")).toList(),
                beating.rows().stream().map(row -> row.get(0)).toList());
        beating.rows().forEach(row -> assertTrue(row.get(1).matches("[0-3] of 3"), row.toString()));
        assertEquals("175 of 192", beating.rows().get(1).get(6), "the paper's Table 5 beside CALM");
        Summary averages = summaries.get(2);
        assertEquals(List.of("System", "D_C languages (1)", "Other languages (2)", "All (3)",
                "CALM minus system, all languages"), averages.header());
        assertEquals(SYSTEMS, averages.rows().stream().map(row -> row.get(0)).toList());
        for (List<String> row : averages.rows()) {
            for (int c = 1; c < 4; c++) {
                assertTrue(row.get(c).matches("\\d+\\.\\d"), row.toString());
            }
            assertTrue(row.get(0).equals("CALM") ? row.get(4).equals("\u2013")
                    : row.get(4).matches("[+-]\\d+\\.\\d \\[[+-]\\d+\\.\\d, [+-]\\d+\\.\\d]"), row.toString());
        }
        // The mean of the three languages' chrF is the "All" column.
        double mean = TASKS.subList(0, 3).stream().mapToDouble(t -> results.score(t, "CALM", "chrF").orElseThrow().value())
                .average().orElseThrow();
        List<String> calm = averages.rows().get(2);
        assertEquals(String.format(Locale.ROOT, "%.1f", mean), calm.get(3));
        Summary examples = summaries.get(3);
        assertEquals(List.of("cym (D_C)", "bre", "haw"), examples.rows().stream().map(row -> row.get(0)).toList());
        String markdown = Files.readString(output.resolve("report").resolve("report.md"));
        summaries.forEach(summary -> assertTrue(markdown.contains("## " + summary.title()), summary.title()));
    }

    /** The tiny config's 2 x 2 grid: every system trained on D_C reports what it chose and every point's loss. */
    @Test
    void everySystemTrainedOnDcTookItsLearningRateAndUpdatesFromTheGrid() {
        Summary selection = results.summaries().get(4);
        assertEquals(SYSTEMS.subList(2, SYSTEMS.size()), selection.rows().stream().map(row -> row.get(0)).toList());
        for (List<String> row : selection.rows()) {
            assertTrue(List.of("0.01", "0.003").contains(row.get(1)), row.toString());
            assertTrue(List.of("5", "10").contains(row.get(2)), row.toString());
            assertTrue(row.get(4).matches("lr 0\\.01 \\(5: \\d+\\.\\d{3}, 10: \\d+\\.\\d{3}\\); "
                    + "lr 0\\.003 \\(5: \\d+\\.\\d{3}, 10: \\d+\\.\\d{3}\\)"), row.toString());
        }
    }

    @Test
    void theChartSortsLanguagesByCalmsLeadOverMb() throws IOException {
        assertEquals(1, results.charts().size());
        List<String> order = results.charts().get(0).tasks();
        assertEquals(Set.copyOf(TASKS.subList(0, 3)), Set.copyOf(order));
        for (int i = 1; i < order.size(); i++) {
            assertTrue(lead(order.get(i - 1)) >= lead(order.get(i)), order.toString());
        }
        assertTrue(Files.readString(output.resolve("report").resolve("report.html")).contains(results.charts().get(0).title()));
    }

    private static double lead(String task) {
        return results.headline(task, "CALM").orElseThrow().value() - results.headline(task, "m_B").orElseThrow().value();
    }

    @Test
    void evaluatingAgainGivesTheSameScores() {
        assertEquals(results.results(), reevaluated.results());
        assertEquals(results.summaries(), reevaluated.summaries());
    }

    /**
     * Every held-out sentence (of the evaluated paragraphs and of m_B's held-out verses, sources and
     * references), lower-cased with its whitespace collapsed, is found in no training file.
     */
    @Test
    void noHeldOutSentenceIsInAnyTrainingFile() throws IOException {
        Path data = output.resolve("data");
        Set<String> heldOut = new HashSet<>();
        for (String file : List.of("eval.jsonl", "eval-b.jsonl")) {
            for (JsonNode example : lines(data.resolve(file))) {
                heldOut.addAll(sentences(example.get("prompt").asText()));
                heldOut.addAll(sentences(example.get("completion").asText()));
            }
        }
        assertTrue(heldOut.size() > 10, "held-out sentences: " + heldOut.size());
        for (String file : TRAINING_FILES) {
            List<JsonNode> training = lines(data.resolve(file));
            assertTrue(!training.isEmpty(), file);
            for (JsonNode example : training) {
                String text = normalise(example.get("prompt").asText() + " " + example.get("completion").asText());
                for (String sentence : heldOut) {
                    assertTrue(!text.contains(sentence), "held-out \"" + sentence + "\" in " + file);
                }
            }
        }
    }

    private static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        for (String sentence : text.split("[.!?;:]")) {
            String normal = normalise(sentence);
            if (normal.length() >= 20) {
                sentences.add(normal);
            }
        }
        return sentences;
    }

    private static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
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

    private static String id(String system) {
        return switch (system) {
            case "m_A" -> "m-a";
            case "m_B" -> "m-b";
            case "CALM" -> "calm";
            case "m_B fine-tuned" -> "finetune-b";
            case "LoRA on m_B" -> "lora-b";
            case "CALM (vanilla m_A)" -> "calm-vanilla-a";
            case "CALM (random m_A)" -> "calm-random-a";
            default -> "calm-encoder";
        };
    }

    private static String taskId(String task) {
        return task.startsWith("spa") ? "spa-eng" : task.substring(0, 3) + "-eng";
    }

    private static String[] calm(String... args) {
        InProcessCalm.Outcome outcome = InProcessCalm.run(args);
        return new String[] {Integer.toString(outcome.exitCode()), outcome.out(), outcome.err()};
    }
}
