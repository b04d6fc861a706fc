package calm.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import calm.io.hf.HfFolder;
import calm.testing.ModelFolders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A merge killed with SIGKILL while it writes leaves no output folder, and the same merge run again completes. */
class KilledMergeTest {

    @TempDir
    Path folder;

    @Test
    void aMergeKilledMidWriteLeavesNoOutputFolder() throws Exception {
        Path config = folder.resolve("merge.yaml");
        Files.writeString(config, """
                merge_method: ties
                base_model: %s
                models:
                  - {model: %s, parameters: {weight: 1.0, density: 0.5}}
                  - {model: %s, parameters: {weight: 1.0, density: 0.5}}
                """.formatted(ModelFolders.fixture("llama-tiny"), ModelFolders.fixture("llama-tiny-tuned-a"),
                ModelFolders.fixture("llama-tiny-tuned-b")));
        Path output = folder.resolve("merged");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process merge = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowMerge.class.getName(),
                config.toString(), output.toString()).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(merge.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.startsWith("written 3 of"));
            assertTrue(line != null, "the merge started writing");
            // Three of 21 tensors are written; the process now sleeps before the fourth.
            assertTrue(stagingFolders().size() == 1, "the merge writes into a staging folder beside the output");
            merge.destroyForcibly();
            assertTrue(merge.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, merge.exitValue(), "killed by SIGKILL");
        assertFalse(Files.exists(output), "no output folder after the kill");

        Merge.run(MergeConfig.read(config), Merge.Options.to(output));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(2, HfFolder.load(output, manager).config().numLayers(), "the merge run again completes and loads");
        }
    }

    private List<Path> stagingFolders() throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".merged.saving-")).toList();
        }
    }
}
