package calm.eval.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.eval.kv.KvTasks;
import calm.eval.report.CurvePoint;
import calm.eval.report.Results;
import calm.eval.report.ResultsJson;
import calm.eval.report.RunMetadata;
import calm.eval.report.Score;
import calm.eval.report.SystemInfo;
import calm.eval.report.TableKind;
import calm.eval.report.TableSpec;
import calm.eval.report.TaskInfo;
import calm.eval.report.TrainingCurve;
import calm.eval.run.Evaluation;
import calm.eval.run.ExampleOutput;
import calm.eval.run.OutputsFile;
import calm.eval.task.EvalTask;
import calm.io.Checksums;
import calm.io.ModelFolder;
import calm.io.OutputLock;
import calm.io.Sha256;
import calm.io.hf.SafetensorsFile;
import calm.kv.KvExperiment;
import calm.train.TrainingLoop;
import calm.train.checkpoint.Checkpoint;
import calm.train.stop.StopRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped tiny experiment in-process with {@code calm run}, then again (everything
 * reused) and {@code calm eval}: a pipeline test of every job, the evaluation and the report, not
 * of accuracy.
 */
class CalmRunTest {

    /** The shipped config, from the module folder surefire runs in. */
    private static final Path CONFIG = Path.of("..", "configs", "kv-arithmetic-tiny.yaml");
    private static final List<String> JOBS = List.of("pretrain-a", "pretrain-b", "compose", "compose-scratchpad",
            "finetune-b", "lora-b", "pretrain-a-vanilla", "compose-vanilla-a", "init-a-random", "compose-random-a",
            "compose-encoder");
    private static final List<String> SYSTEMS = List.of("m_A", "m_B", "CALM", "CALM (scratchpad)", "m_B fine-tuned",
            "LoRA on m_B", "CALM (vanilla m_A)", "CALM (random m_A)", "CALM (m_A as encoder)");
    private static final List<String> SYSTEM_IDS = List.of("m-a", "m-b", "calm", "calm-scratchpad", "finetune-b", "lora-b",
            "calm-vanilla-a", "calm-random-a", "calm-encoder");
    /** The tiny config asks for the scratchpad rows. */
    private static final List<EvalTask> TASKS = KvTasks.of(true);

    @TempDir
    static Path folder;

    private static Path output;
    private static InProcessCalm.Outcome first;
    private static Results results;
    private static InProcessCalm.Outcome second;
    private static Results reran;
    private static InProcessCalm.Outcome evaluated;
    private static Results reevaluated;
    private static InProcessCalm.Outcome third;
    private static Results rerandomised;


    @BeforeAll
    static void runTheTinyExperimentTwiceAndEvaluateIt() throws IOException {
        output = folder.resolve("tiny");
        Path resultsFile = output.resolve(Evaluation.REPORT).resolve(ResultsJson.FILE_NAME);
        first = calm("run", CONFIG.toString(), "--output", output.toString());
        assertEquals(0, first.exitCode(), first.err());
        results = ResultsJson.read(resultsFile);
        second = calm("run", CONFIG.toString(), "--output", output.toString());
        assertEquals(0, second.exitCode(), second.err());
        reran = ResultsJson.read(resultsFile);
        evaluated = calm("eval", CONFIG.toString(), "--output", output.toString());
        assertEquals(0, evaluated.exitCode(), evaluated.err());
        reevaluated = ResultsJson.read(resultsFile);
        // A model saved without the multi-token heads it was pretrained with (as saves before they were
        // kept are) is not reused: the random m_A, the cheapest such job, is saved again.
        Files.delete(output.resolve("model-a-random").resolve(ModelFolder.HEADS));
        // A job whose result is gone and whose folder has no checkpoint (a run killed before its first
        // one, as with checkpointInterval 0) starts from zero again, and says why.
        calm.io.Folders.deleteTree(output.resolve("composition-encoder"));
        calm.io.Folders.deleteTree(output.resolve("train").resolve("compose-encoder").resolve(TrainingLoop.CHECKPOINTS));
        // A truncated weights file is not reused (it would fail only at evaluation): LoRA resumes at its
        // last checkpoint and saves again. Its SHA256SUMS is deleted, as in a folder saved before they
        // were recorded, so the structural check names what is wrong.
        Files.delete(output.resolve("lora-b").resolve(Checksums.FILE));
        try (var listed = Files.list(output.resolve("lora-b"))) {
            Path adapters = listed.filter(file -> file.toString().endsWith(".safetensors")).findFirst().orElseThrow();
            byte[] whole = Files.readAllBytes(adapters);
            Files.write(adapters, Arrays.copyOf(whole, whole.length - 100));
        }
        // A damaged provenance.json is not trusted: the fine-tuned m_B is saved again from its last checkpoint.
        Files.writeString(output.resolve("model-b-finetuned").resolve("provenance.json"), "{\"job\": \"finetune-b\", ");
        // One changed byte in the vanilla composition's connections leaves a well-formed file that only its
        // recorded SHA-256 tells from the one saved; one in its last checkpoint too: it starts from zero.
        flipByte(output.resolve("composition-vanilla-a").resolve("connections.safetensors"), 200);
        flipByte(Checkpoint.latest(output.resolve("train").resolve("compose-vanilla-a").resolve(TrainingLoop.CHECKPOINTS))
                .orElseThrow().folder().resolve(Checkpoint.OPTIMIZER), 100);
        // --retrain=JOB trains that job again from zero, and nothing else that was saved whole.
        third = calm("run", CONFIG.toString(), "--output", output.toString(), "--retrain=compose-scratchpad");
        assertEquals(0, third.exitCode(), third.err());
        rerandomised = ResultsJson.read(resultsFile);
    }

    @Test
    void everyJobTrainsAndTheRunEndsWithTable1AndTheReportsPath() {
        for (String job : JOBS) {
            String done = job.equals("init-a-random") ? " initialised in " : " trained in ";
            assertTrue(first.out().lines().anyMatch(line -> line.startsWith(job + " ") && line.contains(done)),
                    job + " in\n" + first.out());
        }
        assertTrue(first.out().contains("Table 1: m_A, m_B and their composition (accuracy, %)\n\n"
                + "| Task | m_A | m_B | CALM | CALM (scratchpad) |"), first.out());
        for (EvalTask task : TASKS) {
            assertTrue(first.out().contains("| " + task.name() + " (accuracy) | "), task.name());
        }
        assertTrue(first.out().contains("Report: " + output.resolve("report").resolve("report.html")), first.out());
    }

    @Test
    void theReportHoldsEveryCell() throws IOException {
        assertEquals(SYSTEMS, results.systems().stream().map(SystemInfo::name).toList());
        assertEquals(TASKS.stream().map(EvalTask::name).toList(), results.tasks().stream().map(TaskInfo::name).toList());
        TableSpec main = results.tables().get(0);
        assertEquals(List.of("m_A", "m_B", "CALM", "CALM (scratchpad)"), main.columns());
        TableSpec ablations = results.tables().get(1);
        assertEquals(List.of("CALM", "m_B fine-tuned", "LoRA on m_B", "CALM (vanilla m_A)", "CALM (random m_A)",
                "CALM (m_A as encoder)"), ablations.rows());
        assertEquals(KvTasks.paper().stream().map(EvalTask::name).toList(), ablations.columns(),
                "the baselines and ablations are trained on the paper's format only");
        String markdown = Files.readString(output.resolve("report").resolve("report.md"));
        String html = Files.readString(output.resolve("report").resolve("report.html"));
        for (TableSpec table : results.tables()) {
            for (String task : table.taskNames()) {
                for (String system : table.systemNames()) {
                    assertEquals(answers(system, task), results.headline(task, system).isPresent(), system + " on " + task);
                }
            }
            List<List<String>> rows = markdownTable(markdown, "## " + table.title());
            assertEquals(table.rows().size() + 1, rows.size(), table.id());
            for (int r = 1; r < rows.size(); r++) {
                List<String> row = rows.get(r);
                assertEquals(table.columns().size() + 1, row.size(), row.toString());
                for (int c = 1; c < row.size(); c++) {
                    String cell = row.get(c);
                    String task = table.kind() == TableKind.MAIN ? table.rows().get(r - 1) : table.columns().get(c - 1);
                    String system = table.kind() == TableKind.MAIN ? table.columns().get(c - 1) : table.rows().get(r - 1);
                    assertTrue(answers(system, task) ? cell.matches("\\d+\\.\\d \\[\\d+\\.\\d, \\d+\\.\\d]")
                            : cell.equals("\u2013"), "cell '" + cell + "' in " + row);
                }
            }
            assertTrue(html.contains(table.title()), table.title());
        }
        // CALM against the 7 systems other than the two compositions on the paper's 5 tasks; the
        // scratchpad composition against m_A and m_B on its 3 rows and against all 7 on Numeric-Arithmetic.
        assertEquals(7 * 5 + 2 * 3 + 7, results.comparisons().size());
        assertEquals(7 * 5 + 2 * 3 + 7, results.mcnemar().size());
        assertEquals(SYSTEMS, List.copyOf(results.curves().keySet()), "every system's training curve");
        results.curves().values().forEach(curve -> assertFalse(curve.points().isEmpty(), curve.source()));
        // m_B's curve runs through its 500 first-stage updates and on through its 100 prefix-stage ones.
        TrainingCurve anchorCurve = results.curves().get("m_B");
        assertTrue(anchorCurve.source().endsWith(Path.of("pretrain-b", "prefix-stage", "metrics.jsonl").toString()),
                anchorCurve.source());
        CurvePoint lastOfFirstStage = anchorCurve.points().stream().filter(p -> p.metrics().get("stage") == 1.0)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(500, lastOfFirstStage.step());
        assertEquals(600, anchorCurve.points().get(anchorCurve.points().size() - 1).step());
        assertEquals(2.0, anchorCurve.points().get(anchorCurve.points().size() - 1).metrics().get("stage"));
        List<String> phases = new ArrayList<>(List.of("data"));
        phases.addAll(JOBS);
        phases.add("evaluate");
        assertEquals(phases, List.copyOf(results.run().phaseSeconds().keySet()));
        assertEquals(RunMetadata.sha256(CONFIG), results.run().configSha256());
    }

    @Test
    void everyCompositionHasTheConfigsConnections() throws IOException {
        // The tiny config asks for normalised connections with ALiBi reading m_A's predictions (layer 3
        // of its 2) from '=' on; the ablations must get them too, each with its m_A's heads.
        Map<String, Integer> heads = Map.of("composition", 2, "composition-scratchpad", 2, "composition-vanilla-a", 2,
                "composition-random-a", 2, "composition-encoder", 2);
        for (Map.Entry<String, Integer> composition : heads.entrySet()) {
            String name = composition.getKey();
            JsonNode spec = new ObjectMapper().readTree(output.resolve(name).resolve("composition.json").toFile());
            assertTrue(spec.path("normalize").asBoolean(false), name);
            assertEquals("ALIBI", spec.path("positionBias").asText(), name);
            JsonNode augmenting = spec.path("augmenting").get(0);
            assertEquals("[[3,1],[3,2]]", augmenting.path("wiring").toString(), name);
            assertEquals(KvExperiment.VOCABULARY.id('='), augmenting.path("predictions").path("from").asInt(-2), name);
            assertEquals(composition.getValue(), augmenting.path("predictions").path("heads").asInt(), name);
        }
    }

    @Test
    void mAIsSavedWithTheHeadsItsLastCheckpointHolds() throws IOException {
        Path checkpoints = output.resolve("train").resolve("pretrain-a").resolve(TrainingLoop.CHECKPOINTS);
        Path checkpoint = Checkpoint.latest(checkpoints).orElseThrow().folder().resolve(Checkpoint.PARAMETERS);
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsFile trained = SafetensorsFile.open(checkpoint)) {
            List<NDArray> saved = ModelFolder.readHeads(output.resolve("model-a").resolve(ModelFolder.HEADS), manager);
            assertEquals(2, saved.size());
            for (int k = 2; k <= 3; k++) {
                assertArrayEquals(trained.read("mtp.t" + k + ".weight", manager).toFloatArray(),
                        saved.get(k - 2).toFloatArray(), "t" + k);
            }
            // The random m_A keeps its heads at their initialisation, zero.
            List<NDArray> random = ModelFolder.readHeads(output.resolve("model-a-random").resolve(ModelFolder.HEADS), manager);
            assertEquals(2, random.size());
            assertEquals(0f, random.get(0).abs().sum().getFloat());
        }
        assertFalse(Files.exists(output.resolve("model-b").resolve(ModelFolder.HEADS)), "m_B predicts the next token only");
    }

    @Test
    void pretrainingOptionsStayWithTheirJobs() throws IOException {
        // The tiny config pretrains m_A with multi-token prediction and m_B from random start positions.
        Path checkpoints = output.resolve("train").resolve("pretrain-a").resolve(TrainingLoop.CHECKPOINTS);
        Path checkpoint = Checkpoint.latest(checkpoints).orElseThrow().folder().resolve(Checkpoint.PARAMETERS);
        try (SafetensorsFile trained = SafetensorsFile.open(checkpoint);
                SafetensorsFile saved = SafetensorsFile.open(output.resolve("model-a").resolve(ModelFolder.WEIGHTS));
                SafetensorsFile anchor = SafetensorsFile.open(output.resolve("model-b").resolve(ModelFolder.WEIGHTS))) {
            assertTrue(trained.tensors().containsKey("mtp.t2.weight"), trained.tensors().keySet().toString());
            assertTrue(trained.tensors().containsKey("mtp.t3.weight"), trained.tensors().keySet().toString());
            assertEquals(anchor.tensors().keySet(), saved.tensors().keySet(), "m_A is saved as a plain decoder");
        }
        assertEquals(3, Checkpoint.latest(checkpoints).orElseThrow().training().predictTokens());
        Path anchorCheckpoints = output.resolve("train").resolve("pretrain-b").resolve(TrainingLoop.CHECKPOINTS);
        assertEquals(4, Checkpoint.latest(anchorCheckpoints).orElseThrow().training().positionShift());
    }

    @Test
    void theAnchorIsSavedAfterItsPrefixStage() throws IOException {
        // The tiny config continues m_B for 100 updates behind prefixes, from unshifted positions.
        Path job = output.resolve("train").resolve("pretrain-b");
        Checkpoint first = Checkpoint.latest(job.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow();
        Checkpoint stage = Checkpoint.latest(job.resolve("prefix-stage").resolve(TrainingLoop.CHECKPOINTS)).orElseThrow();
        assertEquals(500, first.step());
        assertEquals(100, stage.step());
        assertEquals(0, stage.training().positionShift());
        assertEquals(0.003, stage.training().learningRate());
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsFile firstStage = SafetensorsFile.open(first.folder().resolve(Checkpoint.PARAMETERS));
                SafetensorsFile prefixStage = SafetensorsFile.open(stage.folder().resolve(Checkpoint.PARAMETERS));
                SafetensorsFile saved = SafetensorsFile.open(output.resolve("model-b").resolve(ModelFolder.WEIGHTS))) {
            for (String name : saved.tensors().keySet()) {
                float[] kept = saved.read(name, manager).toFloatArray();
                assertArrayEquals(prefixStage.read(name, manager).toFloatArray(), kept, name + ": saved after the prefix stage");
                assertFalse(Arrays.equals(firstStage.read(name, manager).toFloatArray(), kept), name + ": trained by the stage");
            }
        }
        JsonNode provenance = new ObjectMapper().readTree(output.resolve("model-b").resolve(ModelFolder.PROVENANCE).toFile());
        assertEquals(500, provenance.path("steps").asInt());
        assertEquals(100, provenance.path("prefixStage").path("steps").asInt());
    }

    @Test
    void everyOutputIsSavedAndScoresAsReported() throws IOException {
        for (int s = 0; s < SYSTEMS.size(); s++) {
            for (EvalTask task : TASKS) {
                if (!answers(SYSTEMS.get(s), task.name())) {
                    assertFalse(Files.exists(output.resolve("report").resolve("outputs").resolve(SYSTEM_IDS.get(s))
                            .resolve(task.id() + ".jsonl")), SYSTEMS.get(s) + " does not answer " + task.name());
                    continue;
                }
                Path file = output.resolve("report").resolve("outputs").resolve(SYSTEM_IDS.get(s)).resolve(task.id() + ".jsonl");
                List<ExampleOutput> outputs = OutputsFile.read(file);
                assertEquals(results.task(task.name()).examples(), outputs.size(), file.toString());
                double accuracy = 100.0 * outputs.stream().filter(ExampleOutput::correct).count() / outputs.size();
                Score reported = results.headline(task.name(), SYSTEMS.get(s)).orElseThrow();
                assertEquals(accuracy, reported.value(), 1e-9, file.toString());
                for (ExampleOutput example : outputs) {
                    assertEquals(example.stopped() && example.output().equals(example.expected()), example.correct(),
                            example.toString());
                }
            }
        }
    }

    @Test
    void loraTrainsAboutAsManyParametersAsCalm() {
        SystemInfo calm = results.system("CALM");
        SystemInfo lora = results.system("LoRA on m_B");
        Matcher formula = Pattern.compile("rank (\\d+) x .* = \\1 x (\\d+) = (\\d+)").matcher(lora.formula());
        assertTrue(formula.matches(), lora.formula());
        long perRank = Long.parseLong(formula.group(2));
        assertEquals(lora.trainableParameters(), Long.parseLong(formula.group(3)));
        assertTrue(Math.abs(lora.trainableParameters() - calm.trainableParameters()) <= perRank / 2,
                lora.trainableParameters() + " against CALM's " + calm.trainableParameters());
        SystemInfo mB = results.system("m_B");
        assertEquals(mB.totalParameters() + lora.trainableParameters(), lora.totalParameters());
        assertEquals(mB.totalParameters(), results.system("m_B fine-tuned").trainableParameters());
    }

    @Test
    void aSecondRunReusesEveryModelAndEvaluatesToTheSameScores() {
        for (String job : JOBS) {
            assertTrue(second.out().lines().anyMatch(line -> line.startsWith(job + " ") && line.contains(" reused ")),
                    job + " in\n" + second.out());
        }
        assertFalse(second.out().contains(" trained in "), second.out());
        assertEquals(results.results(), reran.results());
        assertEquals(results.results(), reevaluated.results());
        assertEquals(List.of("evaluate"), List.copyOf(reevaluated.run().phaseSeconds().keySet()));
        assertTrue(evaluated.out().contains("| Task | m_A | m_B | CALM | CALM (scratchpad) |"), evaluated.out());
    }

    @Test
    void aModelSavedWithoutItsHeadsIsSavedAgainAndWhatReadsItRetrained() {
        for (String job : JOBS) {
            String done = switch (job) {
                case "init-a-random" -> " initialised in ";
                case "compose-random-a", "compose-encoder", "compose-scratchpad", "compose-vanilla-a" -> " trained in ";
                case "finetune-b", "lora-b" -> " resumed and finished in ";
                default -> " reused ";
            };
            assertTrue(third.out().lines().anyMatch(line -> line.startsWith(job + " ") && line.contains(done)),
                    job + " in\n" + third.out());
        }
        assertTrue(Files.isRegularFile(output.resolve("model-a-random").resolve(ModelFolder.HEADS)));
        assertEquals(results.results(), rerandomised.results());
    }

    @Test
    void everyJobToTrainSaysWhetherItResumesOrStartsFromZeroAndWhy() throws IOException {
        for (String job : JOBS) {
            assertTrue(first.out().contains(String.format("%-20s starts from zero: nothing saved yet%n", job)), first.out());
        }
        assertTrue(third.out().contains(String.format("%-20s starts from zero: its saved result lacks [%s]%n", "init-a-random",
                output.resolve("model-a-random").resolve(ModelFolder.HEADS))), third.out());
        assertTrue(third.out().contains(String.format("%-20s starts from zero: it reads init-a-random, trained in this run%n",
                "compose-random-a")), third.out());
        assertTrue(third.out().contains(String.format("%-20s starts from zero: a run before left no checkpoint in %s (one is "
                + "written every checkpointInterval updates; 0 writes one only after the last update)%n", "compose-encoder",
                output.resolve("train").resolve("compose-encoder"))), third.out());
        // Its checkpoint was written for the same sections, so it resumes there (at its last step) and saves again.
        assertTrue(third.out().lines().anyMatch(line -> line.startsWith("finetune-b           resumes from its checkpoint at "
                + "step ")), third.out());
        assertTrue(third.out().lines().anyMatch(line -> line.startsWith("lora-b               resumes from its checkpoint at step ")
                && line.contains(": its saved result is damaged: " + output.resolve("lora-b"))
                && line.contains("reach beyond the data section")), third.out());
        Path connections = output.resolve("composition-vanilla-a").resolve("connections.safetensors");
        Path optimizer = Checkpoint.latest(output.resolve("train").resolve("compose-vanilla-a").resolve(TrainingLoop.CHECKPOINTS))
                .orElseThrow().folder().resolve(Checkpoint.OPTIMIZER);
        assertTrue(third.out().lines().anyMatch(line -> line.startsWith("compose-vanilla-a    starts from zero: its saved "
                + "result is damaged: " + connections + ": its SHA-256 is ")
                && line.contains(" recorded in " + connections.resolveSibling(Checksums.FILE) + " when it was saved; the file "
                        + "was changed or damaged since; its checkpoint at step 100 is damaged too: " + optimizer
                        + ": its SHA-256 is ")), third.out());
        assertTrue(third.out().contains(String.format("%-20s starts from zero: --retrain=compose-scratchpad%n",
                "compose-scratchpad")), third.out());
    }

    @Test
    void everySavedFolderRecordsTheSha256OfItsFiles() throws IOException {
        for (String saved : List.of("model-a", "model-b", "composition", "lora-b", "model-b-finetuned")) {
            Path sums = output.resolve(saved).resolve(Checksums.FILE);
            List<String> lines = Files.readAllLines(sums);
            List<Path> tensors;
            try (var listed = Files.list(output.resolve(saved))) {
                tensors = listed.filter(file -> !file.getFileName().toString().equals(Checksums.FILE)).sorted().toList();
            }
            assertEquals(tensors.size(), lines.size(), sums + ": " + lines);
            for (int i = 0; i < tensors.size(); i++) {
                assertEquals(Sha256.of(tensors.get(i)) + "  " + tensors.get(i).getFileName(), lines.get(i));
            }
        }
        Path checkpoint = Checkpoint.latest(output.resolve("train").resolve("compose").resolve(TrainingLoop.CHECKPOINTS))
                .orElseThrow().folder();
        assertEquals(List.of(Checkpoint.OPTIMIZER, Checkpoint.PARAMETERS, Checkpoint.PROVENANCE, Checkpoint.STATE),
                Files.readAllLines(checkpoint.resolve(Checksums.FILE))
                .stream().map(line -> line.substring(66)).toList());
    }

    @Test
    void aDamagedModelFailsInGenerateWithExitOneNamingTheFileAndHowToRetrainIt() throws IOException {
        Path copy = folder.resolve("damaged-b");
        Files.createDirectories(copy);
        try (var listed = Files.list(output.resolve("model-b"))) {
            for (Path file : listed.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        InProcessCalm.Outcome whole = calm("generate", copy.toString(), "--prompt", "1+2=", "--max-new-tokens", "2");
        assertEquals(0, whole.exitCode(), whole.err());
        flipByte(copy.resolve(ModelFolder.WEIGHTS), 300);
        InProcessCalm.Outcome damaged = calm("generate", copy.toString(), "--prompt", "1+2=", "--max-new-tokens", "2");
        assertEquals(1, damaged.exitCode(), damaged.err());
        assertTrue(damaged.err().contains(copy.resolve(ModelFolder.WEIGHTS) + ": its SHA-256 is "), damaged.err());
        assertTrue(damaged.err().contains("; make it again with: calm run " + CONFIG + " --output " + output
                + " --retrain=pretrain-b"), damaged.err());
    }

    @Test
    void aSecondCommandOnTheSameOutputFolderRefusesAndWritesNothing() throws IOException {
        Path busy = folder.resolve("busy");
        try (OutputLock lock = OutputLock.acquire(busy, "calm run other.yaml")) {
            InProcessCalm.Outcome refused = calm("run", CONFIG.toString(), "--output", busy.toString());
            assertEquals(1, refused.exitCode());
            assertTrue(refused.err().contains("calm: run failed: " + busy + " is in use by calm process "
                    + ProcessHandle.current().pid() + " (calm run other.yaml, since "), refused.err());
            try (var listed = Files.list(busy)) {
                assertEquals(List.of(busy.resolve(OutputLock.FILE)), listed.toList());
            }
        }
    }

    @Test
    void anEvaluationStoppedPartWayLeavesTheLastCompleteReportAndItsOutputs() throws IOException {
        Path report = output.resolve(Evaluation.REPORT);
        Map<String, String> before = digests(report);
        StopRequest.request(new StopRequest.Received("SIGTERM", 143));
        InProcessCalm.Outcome stopped;
        try {
            stopped = calm("eval", CONFIG.toString(), "--output", output.toString());
        } finally {
            StopRequest.clear();
        }
        assertEquals(143, stopped.exitCode(), stopped.err());
        assertTrue(stopped.err().contains("calm: stopped on SIGTERM: the evaluation stopped in m_A on "), stopped.err());
        assertEquals(before, digests(report));
    }

    /** The SHA-256 of every file under a folder, by path within it. */
    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> digests = new java.util.TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                digests.put(root.relativize(file).toString(), Sha256.of(file));
            }
        }
        return digests;
    }

    @Test
    void retrainNamesOnlyJobsOfTheExperiment() {
        InProcessCalm.Outcome unknown = calm("run", CONFIG.toString(), "--output", folder.resolve("never").toString(),
                "--retrain=pretrain-c");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("calm: --retrain: no job 'pretrain-c' in this experiment; its jobs: pretrain-a, "
                + "pretrain-b, compose,"), unknown.err());
        assertFalse(Files.exists(folder.resolve("never")));
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, channel.size() - position);
            one.put(0, (byte) (one.get(0) ^ 0x10));
            one.rewind();
            channel.write(one, channel.size() - position);
        }
    }

    @Test
    void composingFromAnMAWithoutItsHeadsSaysHowToSaveThem() throws IOException {
        Path elsewhere = folder.resolve("headless");
        for (String role : List.of("model-a", "model-b")) {
            Files.createDirectories(elsewhere.resolve(role));
            for (String file : List.of(ModelFolder.CONFIG, ModelFolder.WEIGHTS, ModelFolder.PROVENANCE)) {
                Files.copy(output.resolve(role).resolve(file), elsewhere.resolve(role).resolve(file));
            }
        }
        Path config = folder.resolve("headless.yaml");
        Files.writeString(config, Files.readString(CONFIG).replace("output: runs/kv-arithmetic-tiny", "output: " + elsewhere));
        InProcessCalm.Outcome compose = calm("compose", config.toString());
        assertEquals(1, compose.exitCode(), compose.err());
        assertTrue(compose.err().contains(elsewhere.resolve("model-a") + " holds no heads.safetensors, but the model was "
                + "pretrained with predictTokens 3 and composition.reads PREDICTIONS reads its 2 heads: save it again with "
                + "them (`calm run " + config + "` does for a model saved without them; for m_A alone, `calm pretrain "
                + config + " --model a`)"), compose.err());
        assertFalse(Files.exists(elsewhere.resolve("composition")));
    }

    @Test
    void usageAndConfigErrorsExitWithTwoAndMissingModelsWithOne() throws IOException {
        assertEquals(2, calm("run", folder.resolve("missing.yaml").toString()).exitCode());
        InProcessCalm.Outcome steps = calm("run", CONFIG.toString(), "--max-steps", "0");
        assertEquals(2, steps.exitCode());
        assertTrue(steps.err().contains("--max-steps must be at least 1, got 0"), steps.err());
        Path bad = folder.resolve("bad.yaml");
        Files.writeString(bad, "baselines: {loraRank: -1}\n");
        InProcessCalm.Outcome config = calm("eval", bad.toString());
        assertEquals(2, config.exitCode());
        assertTrue(config.err().contains("loraRank must be in [0, 4096]"), config.err());
        // A context shorter than a sequence is found from the data; the folder the run made is removed.
        Path shortContext = folder.resolve("short-context.yaml");
        Files.writeString(shortContext, Files.readString(CONFIG).replace("contextLength: 26}", "contextLength: 12}"));
        InProcessCalm.Outcome context = calm("run", shortContext.toString(), "--output", folder.resolve("short").toString());
        assertEquals(2, context.exitCode(), context.err());
        assertTrue(context.err().contains("contextLength: must be at least 21"), context.err());
        assertFalse(Files.exists(folder.resolve("short")), "a config error leaves no output folder behind");
        InProcessCalm.Outcome empty = calm("eval", CONFIG.toString(), "--output", folder.resolve("empty").toString());
        assertEquals(1, empty.exitCode());
        assertTrue(empty.err().contains("no m_A in " + folder.resolve("empty").resolve("model-a")), empty.err());
    }

    @Test
    void evalRefusesModelsTrainedFromAnotherConfig() throws IOException {
        Path changed = folder.resolve("changed-b.yaml");
        String tiny = Files.readString(CONFIG);
        Files.writeString(changed, tiny.replace("seed: 2,", "seed: 22,"));
        assertTrue(Files.readString(changed).contains("seed: 22,"), "the tiny config should set m_B's seed to 2");
        InProcessCalm.Outcome stale = calm("eval", changed.toString(), "--output", output.toString());
        assertEquals(1, stale.exitCode(), stale.err());
        assertTrue(stale.err().contains("pretrain-b (" + output.resolve("model-b") + "): it was trained with other models.b"),
                stale.err());
        assertTrue(stale.err().contains("compose (" + output.resolve("composition") + "): it was trained with other models"),
                stale.err());
        assertFalse(stale.err().contains("pretrain-a ("), "m_A does not depend on models.b: " + stale.err());
    }

    /** Which systems answer which tasks: the scratchpad composition its rows and Numeric-Arithmetic, m_A and m_B all. */
    private static boolean answers(String system, String task) {
        boolean scratchpadTask = task.endsWith(", scratchpad");
        return switch (system) {
            case "m_A", "m_B" -> true;
            case "CALM (scratchpad)" -> scratchpadTask || task.equals("Numeric-Arithmetic");
            default -> !scratchpadTask;
        };
    }

    private static InProcessCalm.Outcome calm(String... args) {
        return InProcessCalm.run(args);
    }

    /** The first Markdown table after a heading, header first, separator row dropped. */
    private static List<List<String>> markdownTable(String markdown, String heading) {
        List<String> lines = Arrays.asList(markdown.split("\n"));
        int line = lines.indexOf(heading);
        assertTrue(line >= 0, "no heading " + heading);
        while (!lines.get(line).startsWith("|")) {
            line++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (; line < lines.size() && lines.get(line).startsWith("|"); line++) {
            if (!lines.get(line).startsWith("| ---")) {
                String inner = lines.get(line).substring(1, lines.get(line).length() - 1);
                rows.add(Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(String::strip).toList());
            }
        }
        return rows;
    }
}
