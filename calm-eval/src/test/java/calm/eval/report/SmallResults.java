package calm.eval.report;

import calm.eval.stats.Bootstrap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-written results with round numbers, for checking rendered text digit by digit. */
final class SmallResults {

    private SmallResults() {
    }

    static Results build() {
        List<SystemInfo> systems = List.of(
                new SystemInfo("m_B", "m_B", 1_000_000, 0, ""),
                new SystemInfo("LoRA", "LoRA", 1_050_000, 50_000, "rank 4"),
                new SystemInfo("CALM", "CALM", 1_300_000, 50_000, "n (D_A D_B + 4 D_B^2)"),
                new SystemInfo("random m_A", "ablation: random m_A", 1_300_000, 50_000, ""));
        List<TaskInfo> tasks = List.of(
                new TaskInfo("KV-Arithmetic", "test", 500, "accuracy"),
                new TaskInfo("Translation", "test", 200, "chrF"));
        List<TaskResult> results = List.of(
                result("KV-Arithmetic", "m_B", "accuracy", new Score(4.2, 2.6, 6.0)),
                result("KV-Arithmetic", "LoRA", "accuracy", new Score(72.0, 68.1, 75.9)),
                result("KV-Arithmetic", "CALM", "accuracy", new Score(84.3, 81.2, 87.1)),
                result("KV-Arithmetic", "random m_A", "accuracy", new Score(5.0, 3.2, 7.0)),
                result("Translation", "m_B", "chrF", new Score(30.1, 28.4, 31.9)),
                result("Translation", "LoRA", "chrF", new Score(35.5, 33.9, 37.2)),
                result("Translation", "CALM", "chrF", new Score(35.9, 34.2, 37.5)));
        List<Comparison> comparisons = List.of(
                new Comparison("CALM", "LoRA", "KV-Arithmetic", "accuracy", 12.3, 8.1, 16.0, 0.001),
                new Comparison("CALM", "LoRA", "Translation", "chrF", 0.4, -1.2, 2.0, 0.31),
                new Comparison("random m_A", "LoRA", "KV-Arithmetic", "accuracy", -67.0, -71.5,
                        -62.4, 0.0009));
        Map<String, TrainingCurve> curves = new LinkedHashMap<>();
        curves.put("CALM", new TrainingCurve("runs/calm/metrics.jsonl", List.of(
                new CurvePoint(0, 2.5, Map.of()),
                new CurvePoint(100, 1.25, Map.of("lr", 0.001)),
                new CurvePoint(200, 0.75, Map.of())), 2));
        curves.put("LoRA", new TrainingCurve("runs/lora/metrics.jsonl", List.of(
                new CurvePoint(0, 2.5, Map.of()),
                new CurvePoint(200, 1.5, Map.of())), 0));
        List<TableSpec> tables = List.of(
                new TableSpec("main", TableKind.MAIN, "Table 1: main results",
                        List.of("KV-Arithmetic", "Translation"), List.of("m_B", "LoRA", "CALM")),
                new TableSpec("ablation", TableKind.ABLATION, "Table 2: ablations",
                        List.of("CALM", "random m_A"), List.of("KV-Arithmetic", "Translation")));
        RunMetadata run = new RunMetadata("small", "configs/small.yaml", "ab".repeat(32), 42,
                "0123456789abcdef0123456789abcdef01234567", Map.of("djl", "0.35.1"), "test machine",
                Map.of("train", 75.0));
        return Results.of(run, new Bootstrap(1000, 12345, 0.95), systems, tasks, results,
                comparisons, List.of(new McNemarTest("CALM", "LoRA", "KV-Arithmetic", "accuracy", 70,
                        8, 0.0004)), curves, tables);
    }

    private static TaskResult result(String task, String system, String metric, Score score) {
        return new TaskResult(task, system, Map.of(metric, score));
    }
}
