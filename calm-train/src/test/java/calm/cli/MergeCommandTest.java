package calm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.testing.ModelFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code calm merge}: what it prints and its exit codes. */
class MergeCommandTest {

    @TempDir
    Path folder;

    @Test
    void mergesAndSaysWhatItWrote() throws Exception {
        Path config = config("""
                merge_method: dare_linear
                base_model: %s
                models:
                  - {model: %s, parameters: {weight: 0.5, density: 0.2}}
                  - {model: %s, parameters: {weight: 0.5, density: 0.2}}
                """.formatted(ModelFolders.fixture("llama-tiny"), ModelFolders.fixture("llama-tiny-tuned-a"),
                ModelFolders.fixture("llama-tiny-tuned-b")));
        Path out = folder.resolve("merged");
        CalmRunner.Result result = CalmRunner.run("merge", config.toString(), "--output", out.toString(), "--random-seed", "3",
                "--max-shard-size", "60KB");
        assertEquals(Calm.OK, result.exitCode(), result.err());
        assertTrue(result.out().contains("merging with dare_linear into " + out), result.out());
        assertTrue(result.out().matches("(?s).*wrote .*: 21 tensors, 0\\.2 MB in [3-9] weights files.*"), result.out());
        assertTrue(Files.readString(out.resolve("provenance.json")).contains("\"randomSeed\" : 3"));
        assertEquals(Files.readString(config), Files.readString(out.resolve("merge-config.yaml")));
    }

    @Test
    void configAndOutputProblemsExitWithTwoAndOneLine() throws Exception {
        CalmRunner.Result missing = CalmRunner.run("merge", folder.resolve("none.yaml").toString(), "-o", folder.resolve("o").toString());
        assertEquals(Calm.USAGE, missing.exitCode());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("none.yaml: no such file"), missing.err());

        Path unknown = config("merge_method: karcher\nmodels: [a, b]\n");
        CalmRunner.Result method = CalmRunner.run("merge", unknown.toString(), "-o", folder.resolve("o").toString());
        assertEquals(Calm.USAGE, method.exitCode());
        assertTrue(method.err().contains("merge_method: \"karcher\" is not supported; supported: linear, slerp, task_arithmetic, ties, "
                + "dare_linear, dare_ties, breadcrumbs, breadcrumbs_ties, model_stock, passthrough"), method.err());

        Path notFolder = config("merge_method: linear\nmodels:\n  - {model: org/not-here, parameters: {weight: 1}}\n");
        CalmRunner.Result hub = CalmRunner.run("merge", notFolder.toString(), "-o", folder.resolve("o").toString());
        assertEquals(Calm.USAGE, hub.exitCode());
        assertTrue(hub.err().contains(":3: org/not-here is not a folder"), hub.err());

        Path ok = config("merge_method: linear\nmodels:\n  - {model: %s, parameters: {weight: 1}}\n"
                .formatted(ModelFolders.fixture("gpt2-tiny")));
        CalmRunner.Result size = CalmRunner.run("merge", ok.toString(), "-o", folder.resolve("o").toString(), "--max-shard-size", "lots");
        assertEquals(Calm.USAGE, size.exitCode());
        assertTrue(size.err().contains("--max-shard-size: \"lots\" is not a size"), size.err());
        assertFalse(Files.exists(folder.resolve("o")), "nothing written");
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        for (String command : Calm.commandLine().getSubcommands().keySet()) {
            CalmRunner.Result result = CalmRunner.run(command, "--version");
            assertEquals(Calm.OK, result.exitCode(), command);
            assertTrue(result.out().startsWith("calm "), command + " --version printed: " + result.out());
        }
    }

    @Test
    void aMergeConfigGivenToAnExperimentCommandSaysWhichCommandRunsIt() {
        CalmRunner.Result result = CalmRunner.run("pretrain", "../configs/merge-example.yaml", "--model", "a");
        assertEquals(Calm.USAGE, result.exitCode());
        assertTrue(result.err().contains("this is a merge config: run it with `calm merge ../configs/merge-example.yaml "
                + "--output FOLDER`"), result.err());
    }

    @Test
    void theShippedExampleMerges() throws Exception {
        // Its paths are relative to the checkout's root; the tests run in calm-train.
        String text = Files.readString(Path.of("../configs/merge-example.yaml")).replace("calm-model/", "../calm-model/");
        Path out = folder.resolve("example");
        CalmRunner.Result result = CalmRunner.run("merge", config(text).toString(), "-o", out.toString());
        assertEquals(Calm.OK, result.exitCode(), result.err());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"dtype\" : \"bfloat16\""));
    }

    private Path config(String text) throws Exception {
        Path file = Files.createTempFile(folder, "merge", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
