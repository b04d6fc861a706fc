package calm.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calm run} with its jobs in processes of their own: two side by side give every saved model,
 * composition and adapter, and every evaluated output, bit for bit what the same jobs give one at a
 * time with the same threads; each job's lines come relayed under its name.
 */
class SideBySideRunTest {

    private static final Path CONFIG = Path.of("..", "configs", "kv-arithmetic-tiny.yaml");

    @TempDir
    Path folder;

    @Test
    void jobsSideBySideSaveWhatTheyDoOneAtATime() throws IOException {
        String tiny = Files.readString(CONFIG);
        assertTrue(tiny.contains("execution: {parallelJobs: 1}"), "the tiny config runs its jobs in calm run's process");
        Path twoAtOnce = config("two.yaml", tiny.replace("execution: {parallelJobs: 1}",
                "execution: {parallelJobs: 2, threadsPerJob: 1}"));
        Path oneAtATime = config("one.yaml", tiny.replace("execution: {parallelJobs: 1}",
                "execution: {parallelJobs: 1, threadsPerJob: 1}"));

        InProcessCalm.Outcome side = calm("run", twoAtOnce.toString(), "--output", folder.resolve("side").toString(), "--max-steps", "12");
        assertEquals(0, side.exitCode(), side.err());
        InProcessCalm.Outcome alone = calm("run", oneAtATime.toString(), "--output", folder.resolve("alone").toString(), "--max-steps", "12");
        assertEquals(0, alone.exitCode(), alone.err());

        Map<String, String> sideFiles = digests(folder.resolve("side"));
        Map<String, String> aloneFiles = digests(folder.resolve("alone"));
        assertTrue(sideFiles.keySet().containsAll(List.of("model-a/model.safetensors", "model-b/model.safetensors",
                "composition/connections.safetensors", "lora-b/adapters.safetensors")), sideFiles.keySet().toString());
        assertTrue(sideFiles.keySet().stream().filter(f -> f.startsWith("report/outputs/")).count() >= 9,
                sideFiles.keySet().toString());
        assertEquals(aloneFiles, sideFiles);

        // Each job's lines come under its name; pretrain-b started before pretrain-a finished.
        String out = side.out();
        assertTrue(out.contains("[pretrain-a] "), out);
        assertTrue(out.contains("[compose] "), out);
        int bStarted = out.indexOf("pretrain-b           started");
        int aTrained = out.indexOf("pretrain-a           finished in");
        assertTrue(bStarted >= 0 && aTrained > bStarted, out);
        assertFalse(alone.out().contains("pretrain-b           started") && alone.out().indexOf("pretrain-b           started")
                < alone.out().indexOf("pretrain-a           trained in"), "one at a time: " + alone.out());
        assertEquals(1, new ObjectMapper().readTree(folder.resolve("side/model-a/provenance.json").toFile())
                .path("threads").asInt());
    }

    @Test
    void aParallelJobsOptionOutOfRangeIsAUsageError() throws IOException {
        InProcessCalm.Outcome run = calm("run", CONFIG.toString(), "--output", folder.resolve("x").toString(), "--parallel-jobs", "0");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--parallel-jobs must be 1 to 16, got 0"), run.err());
        assertFalse(Files.exists(folder.resolve("x")), "nothing written");
    }

    private Path config(String name, String text) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, text.replace("output: runs/kv-arithmetic-tiny", "output: " + folder.resolve("unused")));
        return file;
    }

    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (name.endsWith(".safetensors") && !name.contains("/checkpoints/") || name.startsWith("report/outputs/")) {
                    digests.put(name, sha256(Files.readAllBytes(file)));
                }
            }
        }
        return digests;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InProcessCalm.Outcome calm(String... args) {
        return InProcessCalm.run(args);
    }
}
