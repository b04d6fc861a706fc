package calm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.io.Folders;
import calm.io.ModelFolder;
import calm.train.checkpoint.Checkpoint;
import calm.train.io.CompositionFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalmCommandTest {

    /** A key store and datasets small enough for a one-layer model to train on in a second. */
    private static final String SMALL_DATA = """
            data:
              numKeys: 30
              expressions: {minOperands: 2, maxOperands: 2}
              sizes: {substitutionTrain: 40, numericTrain: 40, compositionTrain: 20, evalPerSplit: 4}
            """;

    @TempDir
    Path folder;

    @Test
    void everySubcommandHasHelp() {
        for (String command : List.of("pretrain", "compose", "finetune", "generate", "demo")) {
            CalmRunner.Result result = CalmRunner.run(command, "--help");
            assertEquals(0, result.exitCode(), command);
            assertTrue(result.out().startsWith("Usage: calm " + command), result.out());
            // Help wraps at spaces only, within 80 columns: file names and config fields stay whole.
            result.out().lines().forEach(line -> assertTrue(line.length() <= 80, line));
        }
        assertTrue(CalmRunner.run("pretrain", "--help").out().contains("e.g.\n                         configs/kv-arithmetic.yaml\n"));
        assertTrue(CalmRunner.run("--help").out().contains(" (models.X.prefixStage).\n"));
        CalmRunner.Result top = CalmRunner.run("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("Exit codes: 0 success, 2 usage or config error, 1 failure at run time."), top.out());
    }

    @Test
    void versionNamesTheBuildsCommitAndTheEngine() throws IOException {
        String djl;
        String pytorch;
        try (var in = ai.djl.engine.Engine.class.getResourceAsStream("/pytorch-engine.properties")) {
            java.util.Properties engine = new java.util.Properties();
            engine.load(in);
            djl = engine.getProperty("djl_version");
            pytorch = engine.getProperty("pytorch_version");
        }
        assertEquals(ai.djl.engine.Engine.getDjlVersion(), djl);
        for (String command : List.of("--version", "pretrain --version", "merge --version")) {
            CalmRunner.Result result = CalmRunner.run(command.split(" "));
            assertEquals(0, result.exitCode(), command);
            List<String> lines = result.out().lines().toList();
            assertEquals(3, lines.size(), result.out());
            // The build writes calm/build.properties from git; a build outside a clone says "unknown".
            assertTrue(lines.get(0).matches("calm \\S.* commit ([0-9a-f]{40}(-dirty)?|unknown)"), lines.get(0));
            assertEquals("engine: DJL " + djl + ", PyTorch " + pytorch, lines.get(1));
            assertTrue(lines.get(2).startsWith("Java " + System.getProperty("java.version")), lines.get(2));
        }
    }

    @Test
    void everyJobCommandWritesWhereOutputSays() throws IOException {
        Path config = folder.resolve("tiny.yaml");
        Path configured = folder.resolve("configured");
        Files.writeString(config, SMALL_DATA + """
                models:
                  a:
                    architecture: {hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 24}
                    training: {steps: 2, batchSize: 4, warmupSteps: 1, evalExamples: 2}
                  b:
                    architecture: {hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 24}
                    training: {steps: 2, batchSize: 4, warmupSteps: 1, evalExamples: 2}
                training: {steps: 2, batchSize: 4, warmupSteps: 1, evalExamples: 2}
                output: %s
                """.formatted(configured));
        Path elsewhere = folder.resolve("elsewhere");
        List<List<String>> commands = List.of(List.of("pretrain", "--model", "a"), List.of("pretrain", "--model", "b"),
                List.of("compose"), List.of("finetune"));
        for (int i = 0; i < commands.size(); i++) {
            List<String> args = new java.util.ArrayList<>(commands.get(i));
            args.add(1, config.toString());
            args.addAll(i % 2 == 0 ? List.of("--output", elsewhere.toString()) : List.of("-o", elsewhere.toString()));
            CalmRunner.Result result = CalmRunner.run(args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), args + ": " + result.err());
            assertTrue(result.out().contains("saved to " + elsewhere), result.out());
        }
        for (String saved : List.of("model-a", "model-b", "composition", "model-b-finetuned")) {
            assertTrue(Files.isRegularFile(elsewhere.resolve(saved).resolve("provenance.json")), saved);
        }
        assertTrue(Files.notExists(configured), "nothing was written to the config's output");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, CalmRunner.run().exitCode());
        assertEquals(2, CalmRunner.run("train").exitCode());
        CalmRunner.Result noModel = CalmRunner.run("pretrain", "configs/demo.yaml");
        assertEquals(2, noModel.exitCode());
        // One line, then where the help is: not the whole usage.
        assertEquals("calm: Missing required option: '--model=a|b'\nTry 'calm pretrain --help' for more information.\n",
                noModel.err().replace(System.lineSeparator(), "\n"));
        CalmRunner.Result badModel = CalmRunner.run("pretrain", "configs/demo.yaml", "--model", "c");
        assertEquals(2, badModel.exitCode());
        assertTrue(badModel.err().contains("expected one of [A, B] (case-insensitive) but was 'c'"), badModel.err());
        CalmRunner.Result notAModel = CalmRunner.run("generate", folder.toString(), "--prompt", "ab=");
        assertEquals(2, notAModel.exitCode());
        assertTrue(notAModel.err().startsWith("calm: " + folder + " is not a saved model folder (it has no config.json)"),
                notAModel.err());
    }

    @Test
    void theDemoRunsEveryStepAndItsModelsGenerate() throws IOException {
        Path output = folder.resolve("demo");
        CalmRunner.Result demo = CalmRunner.run("demo", "--output", output.toString(), "--max-steps", "3");
        assertEquals(0, demo.exitCode(), demo.err());
        for (String step : List.of("1/5 data: 60 keys", "2/5 m_A", "3/5 m_B", "4/5 composition: both models frozen; "
                + "1 x (64 x 64 + 64 + 4 x 64^2) = 20544", "5/5 generate", "Done.")) {
            assertTrue(demo.out().contains(step), step + " missing from:\n" + demo.out());
        }
        assertTrue(Files.isRegularFile(output.resolve("model-a").resolve(ModelFolder.WEIGHTS)));
        assertTrue(Files.isRegularFile(output.resolve("composition").resolve(CompositionFolder.CONNECTIONS)));
        JsonNode provenance = new ObjectMapper().readTree(output.resolve("composition").resolve(CompositionFolder.PROVENANCE).toFile());
        assertEquals("compose", provenance.get("job").asText());
        assertEquals(64, provenance.get("configSha256").asText().length());
        assertEquals(3, provenance.get("seed").asInt());
        assertTrue(provenance.get("versions").has("djl") && provenance.get("versions").has("java"), provenance.toString());
        assertTrue(provenance.get("gitCommit").asText().matches("unknown|[0-9a-f]{40}"), provenance.toString());
        assertEquals(3, provenance.get("steps").asInt());

        CalmRunner.Result alone = CalmRunner.run("generate", output.resolve("model-b").toString(), "--prompt", "12+3=",
                "--max-new-tokens", "4");
        assertEquals(0, alone.exitCode(), alone.err());
        assertTrue(alone.out().strip().matches("[0-9a-z+= -]{0,4}"), alone.out());
        CalmRunner.Result composed = CalmRunner.run("generate", output.resolve("model-b").toString(), "--composition",
                output.resolve("composition").toString(), "--prompt", "ab+cd=", "--temperature", "0.8", "--top-k", "5",
                "--seed", "4");
        assertEquals(0, composed.exitCode(), composed.err());
        assertEquals(composed.out(), CalmRunner.run("generate", output.resolve("model-b").toString(), "--composition",
                output.resolve("composition").toString(), "--prompt", "ab+cd=", "--temperature", "0.8", "--top-k", "5",
                "--seed", "4").out(), "the same seed samples the same text");
        CalmRunner.Result wrongAnchor = CalmRunner.run("generate", output.resolve("model-a").toString(), "--composition",
                output.resolve("composition").toString(), "--prompt", "ab=");
        assertEquals(2, wrongAnchor.exitCode());
        assertTrue(wrongAnchor.err().contains("the anchor in " + output.resolve("model-a")
                + " is not the model this composition was trained with (its weights' SHA-256 is "), wrongAnchor.err());
    }

    @Test
    void aTrainingVerbRefusesToOverwriteACheckpointWithoutResume() throws IOException {
        Path config = folder.resolve("tiny.yaml");
        Files.writeString(config, SMALL_DATA + """
                models:
                  a:
                    architecture: {hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 24}
                    training: {steps: 2, batchSize: 4, warmupSteps: 1, evalExamples: 2}
                output: %s
                """.formatted(folder.resolve("out")));
        assertEquals(0, CalmRunner.run("pretrain", config.toString(), "--model", "a").exitCode());
        Path job = folder.resolve("out").resolve("train").resolve("pretrain-a");
        assertEquals(2, Checkpoint.latest(job.resolve("checkpoints")).orElseThrow().step());
        CalmRunner.Result again = CalmRunner.run("pretrain", config.toString(), "--model", "a");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().startsWith("calm: " + job + " holds a checkpoint at step 2 of an earlier run: pass --resume to continue it"),
                again.err());
        CalmRunner.Result resumed = CalmRunner.run("pretrain", config.toString(), "--model", "a", "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().startsWith("m_A: 2 steps (0 in this run"), resumed.out());
        CalmRunner.Result noAnchor = CalmRunner.run("compose", config.toString());
        assertEquals(1, noAnchor.exitCode());
        assertTrue(noAnchor.err().contains("no m_B in " + folder.resolve("out").resolve("model-b")
                + ": run `calm pretrain " + config + " --model b` first"), noAnchor.err());
    }

    @Test
    void aPretrainingKilledBetweenItsStagesResumesToTheUninterruptedModel() throws IOException {
        // TrainingLoopTest covers a job killed within a stage; each stage is one such job in its own folder.
        String yaml = SMALL_DATA + """
                models:
                  b:
                    architecture: {hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 32}
                    training: {steps: 4, batchSize: 4, warmupSteps: 1, evalExamples: 2, checkpointInterval: 2, seed: 5}
                    prefixStage: {steps: 4, longest: 8}
                output: %s
                """;
        Path whole = folder.resolve("whole.yaml");
        Files.writeString(whole, yaml.formatted(folder.resolve("whole")));
        CalmRunner.Result uninterrupted = CalmRunner.run("pretrain", whole.toString(), "--model", "b");
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());
        // Both stages count: 4 updates, then 4 of the prefix stage.
        assertTrue(uninterrupted.out().startsWith("m_B: 8 steps (8 in this run"), uninterrupted.out());

        Path killed = folder.resolve("killed.yaml");
        Path out = folder.resolve("killed");
        Files.writeString(killed, yaml.formatted(out));
        assertEquals(0, CalmRunner.run("pretrain", killed.toString(), "--model", "b").exitCode());
        // What a kill after the first stage leaves: its last checkpoint, nothing of the prefix stage, no model.
        Path job = out.resolve("train").resolve("pretrain-b");
        assertEquals(4, Checkpoint.latest(job.resolve("prefix-stage").resolve("checkpoints")).orElseThrow().step());
        Folders.deleteTree(job.resolve("prefix-stage"));
        Folders.deleteTree(out.resolve("model-b"));
        assertEquals(4, Checkpoint.latest(job.resolve("checkpoints")).orElseThrow().step());

        CalmRunner.Result resumed = CalmRunner.run("pretrain", killed.toString(), "--model", "b", "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().startsWith("m_B: 8 steps (4 in this run"), resumed.out());
        assertArrayEquals(Files.readAllBytes(folder.resolve("whole").resolve("model-b").resolve(ModelFolder.WEIGHTS)),
                Files.readAllBytes(out.resolve("model-b").resolve(ModelFolder.WEIGHTS)),
                "the resumed m_B is bitwise the uninterrupted one");
        CalmRunner.Result again = CalmRunner.run("pretrain", killed.toString(), "--model", "b", "--resume");
        assertTrue(again.out().startsWith("m_B: 8 steps (0 in this run"), again.out());
        assertArrayEquals(Files.readAllBytes(folder.resolve("whole").resolve("model-b").resolve(ModelFolder.WEIGHTS)),
                Files.readAllBytes(out.resolve("model-b").resolve(ModelFolder.WEIGHTS)), "resuming a finished job changes nothing");
    }
}
