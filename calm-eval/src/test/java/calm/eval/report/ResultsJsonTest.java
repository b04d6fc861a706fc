package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsJsonTest {

    /** The schema document, from the module folder surefire runs in. */
    private static final Path SCHEMA = Path.of("..", "docs", "results-schema.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;
    private static Results results;

    @BeforeAll
    static void buildFixture() throws IOException {
        results = FakeResults.build(folder.resolve("logs"));
    }

    @Test
    void roundTripEqualsTheOriginalRecords() throws IOException {
        Path file = folder.resolve("roundtrip/results.json");
        ResultsJson.write(results, file);
        Results read = ResultsJson.read(file);
        assertEquals(results, read);
        assertEquals(results.run().phaseSeconds().keySet().stream().toList(),
                read.run().phaseSeconds().keySet().stream().toList(), "phase order is kept");
        assertEquals(List.of("m_B fine-tuned", "LoRA on m_B", "CALM", "CALM with random m_A"),
                read.curves().keySet().stream().toList(), "curve order is kept");
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path dir = folder.resolve("atomic");
        Files.createDirectories(dir);
        Path file = dir.resolve("results.json");
        Files.writeString(file, "old content");
        ResultsJson.write(results, file);
        assertEquals(results, ResultsJson.read(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void writtenFieldsAreExactlyTheDocumentedOnes() throws IOException {
        Results withEverything = results
                .withSummaries(List.of(new Summary("counts", "Counts", List.of("System", "Count"),
                        List.of(List.of("CALM", "3")), "")))
                .withCharts(List.of(new ChartSpec("bars", "Bars", List.of(results.tasks().get(0).name()),
                        List.of(results.systems().get(0).name()))));
        assertEquals(withEverything, ResultsJson.read(write(withEverything)), "summaries and charts read back");
        JsonNode root = JSON.readTree(ResultsJson.toJson(withEverything));
        Map<String, Set<String>> documented = documentedFields();
        assertEquals(List.of("Top level", "`run`", "`bootstrap`", "`systems[]`", "`tasks[]`",
                "`results[]`", "`results[].metrics.<metric>`", "`comparisons[]`", "`mcnemar[]`",
                "`curves.<system>`", "`curves.<system>.points[]`", "`tables[]`", "`summaries[]`", "`charts[]`"),
                List.copyOf(documented.keySet()));
        for (Map.Entry<String, Set<String>> section : documented.entrySet()) {
            JsonNode node = navigate(root, section.getKey());
            assertEquals(section.getValue(), fieldNames(node), section.getKey());
        }
        assertEquals(Results.SCHEMA_VERSION, root.get("schemaVersion").intValue());
        Matcher described = Pattern.compile("describes \\*\\*`schemaVersion` (\\d+)\\*\\*")
                .matcher(Files.readString(SCHEMA));
        assertTrue(described.find(), "docs/results-schema.md names the version it describes");
        assertEquals(Results.SCHEMA_VERSION, Integer.parseInt(described.group(1)), "the version docs/results-schema.md describes");
    }

    private Path write(Results written) throws IOException {
        Path file = folder.resolve("with-everything.json");
        ResultsJson.write(written, file);
        return file;
    }

    @Test
    void theSchemaDocumentsExampleReads() throws IOException {
        Matcher example = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(SCHEMA));
        assertTrue(example.find(), "the schema document has a JSON example");
        Path file = folder.resolve("example.json");
        Files.writeString(file, example.group(1));
        Results read = ResultsJson.read(file);
        assertEquals(83.8, read.headline("KV-Arithmetic", "CALM").orElseThrow().value());
        assertEquals(1, read.curves().get("CALM").skippedLines());
    }

    @Test
    void aMissingFieldIsNamed() throws IOException {
        MalformedResultsException e = malformed("run", run -> run.remove("seed"));
        assertEquals("run.seed", e.field());
        assertTrue(e.getMessage().contains("field run.seed: is missing"), e.getMessage());
    }

    @Test
    void aMissingNestedFieldIsNamedWithItsPath() throws IOException {
        MalformedResultsException e =
                malformed("results[4].metrics.accuracy", score -> score.remove("high"));
        assertEquals("results[4].metrics.accuracy.high", e.field());
    }

    @Test
    void aStringInANumberFieldIsNamed() throws IOException {
        MalformedResultsException e =
                malformed("results[1].metrics.accuracy", score -> score.put("low", "abc"));
        assertEquals("results[1].metrics.accuracy.low", e.field());
        assertTrue(e.getMessage().contains(
                "field results[1].metrics.accuracy.low: must be a number, got a string (\"abc\")"),
                e.getMessage());
    }

    @Test
    void aNumericStringIsNotTakenForANumber() throws IOException {
        MalformedResultsException e = malformed("run", run -> run.put("seed", "42"));
        assertEquals("run.seed", e.field());
    }

    @Test
    void aNumberInAStringFieldIsNamed() throws IOException {
        MalformedResultsException e = malformed("tasks[0]", task -> task.put("split", 5));
        assertEquals("tasks[0].split", e.field());
    }

    @Test
    void aFractionInAnIntegerFieldIsNamed() throws IOException {
        MalformedResultsException e = malformed("tasks[2]", task -> task.put("examples", 2.5));
        assertEquals("tasks[2].examples", e.field());
    }

    @Test
    void aNullIsNamed() throws IOException {
        MalformedResultsException e = malformed("run", run -> run.putNull("machine"));
        assertEquals("run.machine", e.field());
    }

    @Test
    void anUnknownFieldIsNamed() throws IOException {
        MalformedResultsException e =
                malformed("systems[3]", system -> system.put("colour", "red"));
        assertEquals("systems[3].colour", e.field());
    }

    @Test
    void aReferenceToAnUnknownSystemIsNamed() throws IOException {
        MalformedResultsException e =
                malformed("results[0]", result -> result.put("system", "GPT-5"));
        assertEquals("results[0].system", e.field());
        assertTrue(e.getMessage().contains("unknown system \"GPT-5\""), e.getMessage());
    }

    @Test
    void anIntervalWithLowAboveHighIsNamed() throws IOException {
        MalformedResultsException e =
                malformed("results[0].metrics.accuracy", score -> score.put("low", 99.0));
        assertEquals("results[0].metrics.accuracy.low", e.field());
        assertTrue(e.getMessage().contains("must be <= high"), e.getMessage());
    }

    @Test
    void aBadTableKindIsNamed() throws IOException {
        MalformedResultsException e =
                malformed("tables[1]", table -> table.put("kind", "appendix"));
        assertEquals("tables[1].kind", e.field());
        assertTrue(e.getMessage().contains("must be one of [main, ablation], got \"appendix\""),
                e.getMessage());
    }

    @Test
    void aValueTheStatisticsRecordRefusesIsNamed() throws IOException {
        MalformedResultsException e =
                malformed("bootstrap", bootstrap -> bootstrap.put("level", 1.5));
        assertEquals("bootstrap.level", e.field());
    }

    @Test
    void aMissingOrUnknownSchemaVersionIsNamed() throws IOException {
        MalformedResultsException missing =
                malformed("", root -> root.remove("schemaVersion"));
        assertEquals("schemaVersion", missing.field());
        MalformedResultsException future = malformed("", root -> root.put("schemaVersion", Results.SCHEMA_VERSION + 1));
        assertEquals("schemaVersion", future.field());
        assertTrue(future.getMessage().contains("reads schemaVersion " + Results.SCHEMA_VERSION), future.getMessage());
    }

    @Test
    void aTruncatedFileIsReportedAsInvalidJson() throws IOException {
        String json = ResultsJson.toJson(results);
        Path file = folder.resolve("truncated.json");
        Files.writeString(file, json.substring(0, json.length() / 2));
        MalformedResultsException e = assertThrows(MalformedResultsException.class,
                () -> ResultsJson.read(file));
        assertEquals("", e.field());
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
    }

    /** Reads the fixture's JSON after damaging the object at {@code path} ("" for the root). */
    private static MalformedResultsException malformed(String path, Consumer<ObjectNode> damage)
            throws IOException {
        JsonNode root = JSON.readTree(ResultsJson.toJson(results));
        damage.accept(at(root, path));
        Path file = Files.createTempFile(folder, "malformed", ".json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return assertThrows(MalformedResultsException.class, () -> ResultsJson.read(file));
    }

    /** The object at a path such as {@code results[4].metrics.accuracy}; "" is the root. */
    private static ObjectNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            Matcher indexed = Pattern.compile("([^\\[]*)(?:\\[(\\d+)\\])?").matcher(part);
            indexed.matches();
            node = indexed.group(1).isEmpty() ? node : node.get(indexed.group(1));
            node = indexed.group(2) == null ? node : node.get(Integer.parseInt(indexed.group(2)));
        }
        return (ObjectNode) node;
    }

    /** Section heading to the fields its table documents, in document order. */
    private static Map<String, Set<String>> documentedFields() throws IOException {
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        Pattern heading = Pattern.compile("^#{2,3} (Top level|`[^`]+`)$");
        Pattern row = Pattern.compile("^\\| `([A-Za-z0-9]+)` \\|");
        Set<String> current = null;
        for (String line : Files.readAllLines(SCHEMA)) {
            Matcher h = heading.matcher(line);
            Matcher r = row.matcher(line);
            if (h.matches()) {
                current = new LinkedHashSet<>();
                sections.put(h.group(1), current);
            } else if (line.startsWith("## ")) {
                current = null;
            } else if (current != null && r.find()) {
                current.add(r.group(1));
            }
        }
        return sections;
    }

    /** Follows a heading such as {@code `curves.<system>.points[]`}, into first entries. */
    private static JsonNode navigate(JsonNode root, String heading) {
        if (heading.equals("Top level")) {
            return root;
        }
        JsonNode node = root;
        for (String part : heading.replace("`", "").split("\\.")) {
            boolean list = part.endsWith("[]");
            String name = list ? part.substring(0, part.length() - 2) : part;
            node = name.startsWith("<") ? node.elements().next() : node.get(name);
            if (list) {
                node = node.get(0);
            }
        }
        return node;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
