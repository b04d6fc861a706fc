package calm.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.code.CodeDatasets.DroppedMethod;
import calm.code.CodeDatasets.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code data built from the committed samples: the split by library, D_C, the evaluation's exclusions and the leak check. */
class CodeDatasetsTest {

    private static final Path PROSE = Path.of("..", "datasets", "translation", "samples", "sotu");
    private static final String FILES = "calm.samples:sample-files:1.0";
    private static CodeDataConfig config;
    private static CodeDatasets data;

    @TempDir
    static Path temp;

    @BeforeAll
    static void build() throws IOException {
        config = new CodeDataConfig(2403, List.of("calm.samples:sample-text:1.0", "calm.samples:sample-numbers:1.0"), FILES,
                Map.of(), MethodExtractorTest.SAMPLES.toString(), PROSE.toString(), 0.3, 0.2, 400, 300, 12, 4, 0.5);
        data = build(config);
    }

    private static CodeDatasets build(CodeDataConfig section) throws IOException {
        Map<Library, Path> sources = new LinkedHashMap<>();
        Map<Library, String> provenance = new LinkedHashMap<>();
        for (String coordinates : List.of("calm.samples:sample-text:1.0", "calm.samples:sample-numbers:1.0", FILES)) {
            Library library = Library.parse(coordinates);
            sources.put(library, MethodExtractorTest.SAMPLES.resolve(library.folderName()));
            provenance.put(library, "folder");
        }
        return CodeDatasets.build(section, sources, provenance, PROSE);
    }

    @Test
    void eachRuleLeavesOutTheHeldOutMethodItWasWrittenFor() {
        assertEquals(List.of(
                new DroppedMethod(where("toString"), Reason.DELEGATING, ""),
                new DroppedMethod(where("toString"), Reason.REPEATED_SENTENCE,
                        "Reads the whole stream as text in the given encoding."),
                new DroppedMethod(where("lastSeparator"), Reason.IN_TRAINING_CODE, ""),
                // countLines is TextTools.count with '\n' for c: 37 of the 47 distinct 5-grams of the two are shared.
                new DroppedMethod(where("countLines"), Reason.NEAR_DUPLICATE, "TextTools.count (calm.samples:sample-text:1.0 "
                        + "calm/samples/TextTools.java), Jaccard 0.79"),
                new DroppedMethod(where("isEmptyName"), Reason.SENTENCE_IN_TRAINING,
                        "Returns whether the text is null or has no characters.")), data.dropped());
        Set<String> evaluated = new HashSet<>();
        data.get(CodeSplit.EVAL_TEXT_TO_CODE).forEach(example -> evaluated.add(example.source()));
        assertEquals(Set.of(where("copy"), where("toString"), where("extension"), where("baseName"), where("skip"),
                where("closeQuietly"), where("sameExtension"), where("separatorsToUnix"), where("write")), evaluated);
        assertEquals(9, data.get(CodeSplit.EVAL_CODE_TO_TEXT).size());
        assertEquals(9, data.get(CodeSplit.EVAL_COMPLETION).size());
    }

    private static String where(String method) {
        return "FileTools." + method + " (" + FILES + " calm/samples/FileTools.java)";
    }

    /**
     * The two training libraries have 24 methods, all within 400 bytes; 22 are documented, have a
     * statement and do not delegate (TextTools.reverse delegates, TextTools.undocumented has no
     * Javadoc): D_C takes round(0.3 x 22) = 7 of them, its validation split round(0.2 x 22) = 4, each
     * in both directions.
     */
    @Test
    void mALearnsEveryTrainingMethodAndDcTakesItsShareOfTheDocumentedOnesInBothDirections() {
        assertEquals(24, data.get(CodeSplit.PRETRAIN_A).size());
        assertEquals(14, data.get(CodeSplit.TRAIN_COMPOSITION).size());
        assertEquals(8, data.get(CodeSplit.VALIDATION_COMPOSITION).size());
        assertEquals(Map.of("text-to-code", 7L, "code-to-text", 7L), tasks(CodeSplit.TRAIN_COMPOSITION));
        Set<String> composition = new HashSet<>();
        data.get(CodeSplit.TRAIN_COMPOSITION).forEach(example -> composition.add(example.source()));
        data.get(CodeSplit.VALIDATION_COMPOSITION).forEach(example -> assertTrue(!composition.contains(example.source()),
                example.source() + " is in D_C and in its validation split"));
        assertEquals(12, data.get(CodeSplit.PRETRAIN_B).size());
        assertEquals(4, data.get(CodeSplit.EVAL_B).size());
        data.get(CodeSplit.PRETRAIN_B).forEach(example -> assertTrue(!example.completion().contains("{"), "prose only"));
    }

    private static Map<String, Long> tasks(CodeSplit split) {
        Map<String, Long> counts = new LinkedHashMap<>();
        data.get(split).forEach(example -> counts.merge(example.task(), 1L, Long::sum));
        return counts;
    }

    @Test
    void theFormatsAreTheDocumentedOnes() {
        CodeExample code = data.get(CodeSplit.PRETRAIN_A).stream().filter(e -> e.source().startsWith("TextTools.count "))
                .findFirst().orElseThrow();
        assertEquals("", code.prompt());
        assertEquals("/** Counts how often a character occurs in the text. */\npublic static int count(String text, char c) "
                + "{\n  int count = 0;\n  for (int i = 0; i < text.length(); i++) {\n    if (text.charAt(i) == c) {\n"
                + "      count++;\n    }\n  }\n  return count;\n}", code.completion());
        CodeExample completion = data.get(CodeSplit.EVAL_COMPLETION).stream().filter(e -> e.source().equals(where("skip")))
                .findFirst().orElseThrow();
        // Eleven body lines: the line to write is line max(1, 10 / 2) = 5, counted from the opening brace at 0.
        assertEquals("/** Skips up to n bytes of the stream and returns how many were skipped. */\n"
                + "public static long skip(InputStream in, long n) throws IOException {\n  long left = n;\n"
                + "  while (left > 0) {\n    int read = in.read();\n    if (read < 0) {\n", completion.prompt());
        assertEquals("      break;", completion.completion());
        CodeExample toText = data.get(CodeSplit.EVAL_CODE_TO_TEXT).stream().filter(e -> e.source().equals(where("write")))
                .findFirst().orElseThrow();
        assertEquals("public static void write(String text, OutputStream out) throws IOException {\n"
                + "  byte[] bytes = text.getBytes(StandardCharsets.UTF_8);\n  out.write(bytes);\n}\n/** ", toText.prompt());
        assertEquals("Writes the text to the stream in UTF-8.", toText.completion());
        CodeExample toCode = data.get(CodeSplit.EVAL_TEXT_TO_CODE).stream().filter(e -> e.source().equals(where("write")))
                .findFirst().orElseThrow();
        assertEquals("/** Writes the text to the stream in UTF-8. */\n"
                + "public static void write(String text, OutputStream out) throws IOException ", toCode.prompt());
        assertEquals("{\n  byte[] bytes = text.getBytes(StandardCharsets.UTF_8);\n  out.write(bytes);\n}", toCode.completion());
    }

    /** The leak test: no held-out body, white space removed, occurs in any training split's text. */
    @Test
    void noHeldOutMethodBodyIsInAnyTrainingSplit() {
        StringBuilder training = new StringBuilder();
        for (CodeSplit split : CodeSplit.values()) {
            if (split.training()) {
                data.get(split).forEach(e -> training.append(JavaMethod.normalise(e.prompt() + e.completion())).append('\n'));
            }
        }
        List<CodeExample> bodies = data.get(CodeSplit.EVAL_TEXT_TO_CODE);
        assertEquals(9, bodies.size());
        for (CodeExample example : bodies) {
            String body = JavaMethod.normalise(example.completion());
            assertTrue(!training.toString().contains(body), example.source() + "'s body is in a training split");
            assertTrue(!training.toString().contains(JavaMethod.normalise(example.prompt())), example.source());
        }
    }

    @Test
    void theSameSectionGivesTheSameDataAndItReadsBackAsWritten() throws IOException {
        assertEquals(data.splits(), build(config).splits());
        data.write(temp.resolve("data"));
        assertEquals(data.splits(), CodeDatasets.readSplits(temp.resolve("data")));
    }

    @Test
    void theSectionRefusesTheHeldOutLibraryInTrainingInAnyVersionAndBadCoordinates() {
        IllegalArgumentException inTraining = assertThrows(IllegalArgumentException.class, () -> new CodeDataConfig(1,
                List.of("commons-io:commons-io:2.16.0"), "commons-io:commons-io:2.18.0", Map.of(), "", "", 0.07, 0.02, 400,
                400, 10, 1, 0.5));
        assertEquals("evalLibrary: commons-io:commons-io is also in libraries; the evaluated library must never be seen in "
                + "training, in any version", inTraining.getMessage());
        IllegalArgumentException coordinates = assertThrows(IllegalArgumentException.class, () -> new CodeDataConfig(1,
                List.of("commons-lang3"), "commons-io:commons-io:2.18.0", Map.of(), "", "", 0.07, 0.02, 400, 400, 10, 1, 0.5));
        assertEquals("libraries: 'commons-lang3' is not Maven coordinates GROUP:ARTIFACT:VERSION, such as "
                + "commons-io:commons-io:2.18.0", coordinates.getMessage());
        IllegalArgumentException pin = assertThrows(IllegalArgumentException.class, () -> new CodeDataConfig(1,
                List.of("a:b:1"), "c:d:1", Map.of("c:d:1", "abc"), "", "", 0.07, 0.02, 400, 400, 10, 1, 0.5));
        assertEquals("checksums: c:d:1 must map to a SHA-256 of 64 lower-case hex digits, got abc", pin.getMessage());
    }
}
