package calm.kv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvDatasetFilesTest {

    @TempDir
    Path folder;

    @Test
    void examplesRoundTripThroughJsonLines() throws IOException {
        List<KvExample> examples = List.of(
                new KvExample(KvTask.KV_ARITHMETIC, "ab+cd-ef=", "8", List.of("ab", "cd", "ef")),
                new KvExample(KvTask.NUMERIC_ARITHMETIC, "01+22-42=", "8", List.of()));
        Path file = folder.resolve("examples.jsonl");
        KvDatasetFiles.writeExamples(file, examples);
        assertEquals(List.of(
                "{\"task\":\"kv-arithmetic\",\"prompt\":\"ab+cd-ef=\",\"target\":\"8\",\"keys\":[\"ab\",\"cd\",\"ef\"]}",
                "{\"task\":\"numeric-arithmetic\",\"prompt\":\"01+22-42=\",\"target\":\"8\",\"keys\":[]}"),
                Files.readAllLines(file, StandardCharsets.UTF_8));
        assertEquals(examples, KvDatasetFiles.readExamples(file));
    }

    @Test
    void writingReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = folder.resolve("examples.jsonl");
        Files.writeString(file, "old content\n");
        List<KvExample> examples = List.of(new KvExample(KvTask.KV_SUBSTITUTION, "ab=", "1", List.of("ab")));
        KvDatasetFiles.writeExamples(file, examples);
        assertEquals(examples, KvDatasetFiles.readExamples(file));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void malformedLinesAreReportedWithFileAndLine() throws IOException {
        Path file = folder.resolve("bad.jsonl");
        Files.writeString(file, "{\"task\":\"kv-arithmetic\",\"prompt\":\"ab=\",\"target\":\"1\",\"keys\":[\"ab\"]}\n"
                + "{\"task\":\"kv-division\",\"prompt\":\"ab=\",\"target\":\"1\",\"keys\":[]}\n");
        IOException error = assertThrows(IOException.class, () -> KvDatasetFiles.readExamples(file));
        assertEquals(file + ":2: unknown task 'kv-division'; known: kv-substitution, numeric-arithmetic, kv-lookup, "
                + "kv-arithmetic, kv-arithmetic-scratchpad", error.getMessage());
    }

    @Test
    void aWholeDatasetIsWrittenWithStoreAndManifest() throws IOException {
        KvArithmeticSettings settings = KvArithmeticSettings.defaults()
                .withNumKeys(50).withSizes(new DatasetSizes(40, 30, 20, 10));
        KvArithmeticDatasets datasets = KvArithmeticDatasets.build(settings, 5);
        Path out = folder.resolve("kv");
        KvDatasetFiles.writeDatasets(out, datasets);

        for (KvSplit split : datasets.splits()) {
            assertEquals(datasets.get(split), KvDatasetFiles.readExamples(out.resolve(split.fileName())), split.id());
        }
        Path keyValues = out.resolve(KvDatasetFiles.KEY_VALUES_FILE);
        assertEquals(datasets.store(), KvDatasetFiles.readStore(keyValues));
        assertEquals(datasets.keySplit(), KvDatasetFiles.readKeySplit(keyValues));

        JsonNode manifest = new ObjectMapper().readTree(out.resolve(KvDatasetFiles.MANIFEST_FILE).toFile());
        assertEquals("calm-kv-arithmetic/1", manifest.get("format").asText());
        assertEquals(5, manifest.get("seed").asLong());
        assertEquals(50, manifest.get("settings").get("numKeys").asInt());
        assertEquals("MOST_SIGNIFICANT_FIRST", manifest.get("settings").get("digitOrder").asText());
        assertEquals(10, manifest.get("keys").get("composition").asInt());
        assertEquals(20, manifest.get("splits").get("train-composition").get("examples").asInt());
        assertEquals(8, manifest.get("splits").size());
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(path -> path.getFileName().toString().endsWith(".tmp")));
        }
    }
}
