package calm.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import calm.eval.kv.KvTasks;
import calm.eval.report.McNemarTest;
import calm.eval.report.Results;
import calm.eval.report.ResultsJson;
import calm.eval.report.RunMetadata;
import calm.eval.report.TableKind;
import calm.eval.report.TableSpec;
import calm.eval.stats.Bootstrap;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskExample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    private static final EvalTask TASK = KvTasks.KV_ARITHMETIC_DC_KEYS;
    private static final List<TaskExample> EXAMPLES = List.of(
            new TaskExample("ab+cd=", "32"),
            new TaskExample("ab+ab=", "20"),
            new TaskExample("cd+ef=", "46"),
            new TaskExample("ef+ab=", "34"),
            new TaskExample("cd+cd=", "44"),
            new TaskExample("ef+ef=", "48"),
            new TaskExample("ab+ef=", "34"));

    @TempDir
    Path folder;

    /** Right on examples 0, 2, 4 and 6; a wrong number, an unstopped answer and an empty one. */
    private static EvalSystem mostlyRight() {
        Map<String, String> script = new LinkedHashMap<>();
        script.put("ab+cd=", "32");
        script.put("ab+ab=", "21");
        script.put("cd+ef=", "46");
        script.put("ef+ab=", "34444444");
        script.put("cd+cd=", "44");
        script.put("ab+ef=", "34");
        return new EvalSystem("right", "mostly right", "m_B", new ScriptedModel(script), 10, 0, "", List.of());
    }

    /** Right on examples 0 and 1 only. */
    private static EvalSystem mostlyWrong() {
        return new EvalSystem("wrong", "mostly wrong", "m_A",
                new ScriptedModel(Map.of("ab+cd=", "32", "ab+ab=", "20", "cd+ef=", "4")), 10, 0, "", List.of());
    }

    @Test
    void outputsAreKeptAndScoredExactly() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TaskOutputs outputs = Evaluator.run(mostlyRight(), TASK, EXAMPLES, 3, manager, done -> { });
            List<ExampleOutput> examples = outputs.examples();
            assertEquals(new ExampleOutput(0, "ab+cd=", "32", "32", true, true), examples.get(0));
            assertEquals(new ExampleOutput(1, "ab+ab=", "20", "21", true, false), examples.get(1));
            // The budget is the longest answer plus the stop token: 3 tokens, then generation ends unstopped.
            assertEquals(new ExampleOutput(3, "ef+ab=", "34", "344", false, false), examples.get(3));
            assertEquals(new ExampleOutput(5, "ef+ef=", "48", "", true, false), examples.get(5));
            assertEquals(4 / 7.0, outputs.accuracy());

            Path file = folder.resolve("outputs.jsonl");
            OutputsFile.write(file, examples);
            assertEquals(examples, OutputsFile.read(file));
        }
    }

    @Test
    void theBatchSizeChangesNoOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Integer> batches = new ArrayList<>();
            TaskOutputs one = Evaluator.run(mostlyRight(), TASK, EXAMPLES, 1, manager, batches::add);
            assertEquals(List.of(1, 1, 1, 1, 1, 1, 1), batches);
            assertEquals(one.examples(), Evaluator.run(mostlyRight(), TASK, EXAMPLES, 64, manager, done -> { }).examples());
        }
    }

    @Test
    void reportedScoresAndPairedTestsFollowFromTheOutputs() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<EvalSystem> systems = List.of(mostlyRight(), mostlyWrong());
            Map<String, Map<String, TaskOutputs>> outputs = new LinkedHashMap<>();
            for (EvalSystem system : systems) {
                outputs.computeIfAbsent(TASK.name(), name -> new LinkedHashMap<>()).put(system.name(),
                        Evaluator.run(system, TASK, EXAMPLES, 4, manager, done -> { }));
            }
            RunMetadata run = new RunMetadata("test", "test.yaml", "0".repeat(64), 1, "unknown", Map.of(), "here", Map.of());
            Results results = Scoring.results(run, new Bootstrap(200, 1, 0.95), systems, List.of(TASK), outputs,
                    List.of("mostly right"), system -> true, List.of(new TableSpec("main", TableKind.MAIN, "t", List.of(TASK.name()),
                            List.of("mostly right", "mostly wrong"))));
            assertEquals(100 * 4 / 7.0, results.headline(TASK.name(), "mostly right").orElseThrow().value(), 1e-9);
            assertEquals(100 * 2 / 7.0, results.headline(TASK.name(), "mostly wrong").orElseThrow().value(), 1e-9);
            assertEquals(7, results.task(TASK.name()).examples());
            // Right only for "mostly right": examples 2, 4, 6; only for "mostly wrong": example 1.
            McNemarTest test = results.mcnemar().get(0);
            assertEquals(3, test.systemOnly());
            assertEquals(1, test.baselineOnly());
            assertEquals(0.625, test.pValue(), 1e-12, "2 P(Binomial(4, 1/2) <= 1) = 2 * 5/16");
            assertEquals(100 * 2 / 7.0, results.comparisons().get(0).difference(), 1e-9);
            assertTrue(results.curves().isEmpty());
            Path file = folder.resolve("results.json");
            ResultsJson.write(results, file);
            assertEquals(results, ResultsJson.read(file));
        }
    }
}
