package calm.eval.report;

import calm.eval.stats.Bootstrap;
import calm.eval.stats.IndexedMetric;
import calm.eval.stats.McNemar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Realistic fake results for report tests and for looking at a rendered report: six systems of a
 * small CALM experiment on three tasks, scored on simulated per-example outcomes with the real
 * bootstrap, and training curves written as metrics logs and read back with {@link MetricsLog}.
 *
 * <p>{@code main(folder)} writes results.json, report.md and report.html there.
 */
final class FakeResults {

    static final String M_A = "m_A";
    static final String M_B = "m_B";
    static final String FINE_TUNED = "m_B fine-tuned";
    static final String LORA = "LoRA on m_B";
    static final String CALM = "CALM";
    static final String RANDOM_M_A = "CALM with random m_A";

    private FakeResults() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        ReportFiles.write(build(folder.resolve("logs")), folder);
        System.out.println("wrote " + folder.toAbsolutePath());
    }

    /**
     * Builds the results.
     *
     * @param logs a folder for the fake metrics logs the curves are read from
     */
    static Results build(Path logs) throws IOException {
        Bootstrap bootstrap = Bootstrap.DEFAULT;
        // D_A = 256, D_B = 512, n = 2 connections: n (D_A D_B + D_B + 4 D_B^2).
        long thetaC = 2L * (256 * 512 + 512 + 4L * 512 * 512);
        long mA = 5_326_080;
        long mB = 38_597_120;
        List<SystemInfo> systems = List.of(
                new SystemInfo(M_A, "m_A", mA, 0, ""),
                new SystemInfo(M_B, "m_B", mB, 0, ""),
                new SystemInfo(FINE_TUNED, "fine-tuned anchor", mB, mB, "all of m_B"),
                new SystemInfo(LORA, "LoRA", mB + 2_359_296, 2_359_296,
                        "rank 36 on Q, K, V, O of 12 layers, matched to Theta_C"),
                new SystemInfo(CALM, "CALM", mA + mB + thetaC, thetaC,
                        "n (D_A D_B + D_B + 4 D_B^2), n = 2, D_A = 256, D_B = 512"),
                new SystemInfo(RANDOM_M_A, "ablation: random m_A", mA + mB + thetaC, thetaC,
                        "as CALM, m_A with random weights"));
        List<TaskInfo> tasks = List.of(
                new TaskInfo("KV-Arithmetic", "test", 500, "accuracy"),
                new TaskInfo("Numeric arithmetic", "test", 400, "accuracy"),
                new TaskInfo("Translation xx-en", "test", 300, "chrF"));
        // Expected accuracy (or mean chrF) of each system on each task, in task order.
        Map<String, double[]> skill = new LinkedHashMap<>();
        skill.put(M_A, new double[] {0.02, 0.71, 21.0});
        skill.put(M_B, new double[] {0.05, 0.09, 34.0});
        skill.put(FINE_TUNED, new double[] {0.39, 0.18, 36.5});
        skill.put(LORA, new double[] {0.47, 0.22, 37.0});
        skill.put(CALM, new double[] {0.84, 0.63, 38.4});
        skill.put(RANDOM_M_A, new double[] {0.06, 0.10, 33.8});

        Random random = new Random(7);
        Map<String, double[]> outcomes = new LinkedHashMap<>();
        List<TaskResult> results = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            TaskInfo task = tasks.get(t);
            boolean accuracy = task.metric().equals("accuracy");
            for (String system : skill.keySet()) {
                double[] perExample = new double[task.examples()];
                for (int i = 0; i < perExample.length; i++) {
                    perExample[i] = accuracy
                            ? (random.nextDouble() < skill.get(system)[t] ? 1 : 0)
                            : Math.max(0, Math.min(100, skill.get(system)[t]
                                    + 14 * random.nextGaussian()));
                }
                outcomes.put(task.name() + "/" + system, perExample);
                Map<String, Score> metrics = new LinkedHashMap<>();
                metrics.put(task.metric(), Score.of(
                        bootstrap.interval(IndexedMetric.mean(perExample)), accuracy ? 100 : 1));
                results.add(new TaskResult(task.name(), system, metrics));
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        List<McNemarTest> mcnemar = new ArrayList<>();
        for (TaskInfo task : tasks) {
            double scale = task.metric().equals("accuracy") ? 100 : 1;
            // Against m_A on its own skill, CALM is expected to lose: a verdict of each kind.
            List<String> baselines = task.name().equals("Numeric arithmetic")
                    ? List.of(LORA, M_A) : List.of(LORA, FINE_TUNED);
            for (String baseline : baselines) {
                comparisons.add(Comparison.of(CALM, baseline, task.name(), task.metric(),
                        bootstrap.compare(
                                IndexedMetric.mean(outcomes.get(task.name() + "/" + CALM)),
                                IndexedMetric.mean(outcomes.get(task.name() + "/" + baseline))),
                        scale));
                if (task.metric().equals("accuracy")) {
                    mcnemar.add(McNemarTest.of(CALM, baseline, task.name(), task.metric(),
                            McNemar.exact(outcomes.get(task.name() + "/" + CALM),
                                    outcomes.get(task.name() + "/" + baseline))));
                }
            }
        }
        Map<String, TrainingCurve> curves = new LinkedHashMap<>();
        curves.put(FINE_TUNED, MetricsLog.read(log(logs, "fine-tuned", 0.9, random, false)));
        curves.put(LORA, MetricsLog.read(log(logs, "lora", 1.05, random, false)));
        curves.put(CALM, MetricsLog.read(log(logs, "calm", 0.62, random, true)));
        curves.put(RANDOM_M_A, MetricsLog.read(log(logs, "calm-random", 1.2, random, false)));

        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", "17.0.15");
        versions.put("djl", "0.35.1");
        versions.put("pytorch", "2.7.1");
        versions.put("jfreechart", "1.5.6");
        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("load models", 3.7);
        phases.put("train", 2_712.4);
        phases.put("evaluate", 418.9);
        phases.put("report", 1.2);
        RunMetadata run = new RunMetadata("kv-arithmetic-calm", "configs/kv-arithmetic-calm.yaml",
                "9f2c4e0b7a1d3c5e8f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6", 20240104L,
                "7d59a2c1e0b44f3e9a8c2d1f0e9b8a7c6d5e4f3a", versions,
                "Linux 6.1 amd64, 2 cores, Java 17.0.15 (Debian), no GPU", phases);
        List<TableSpec> tables = List.of(
                new TableSpec("main", TableKind.MAIN, "Table 1: CALM against its baselines",
                        List.of("KV-Arithmetic", "Numeric arithmetic", "Translation xx-en"),
                        List.of(M_A, M_B, FINE_TUNED, LORA, CALM)),
                new TableSpec("ablation", TableKind.ABLATION, "Table 2: ablations",
                        List.of(CALM, RANDOM_M_A, LORA),
                        List.of("KV-Arithmetic", "Numeric arithmetic", "Translation xx-en")));
        return Results.of(run, bootstrap, systems, tasks, results, comparisons, mcnemar, curves,
                tables).withComposedTasks(List.of(tasks.get(0).name()));
    }

    /**
     * Writes a 3000-step metrics log whose loss decays from 2.1 to about {@code end}, optionally
     * ending in a line cut short, as a killed job leaves it.
     */
    private static Path log(Path folder, String name, double end, Random random,
            boolean truncatedLastLine) throws IOException {
        Files.createDirectories(folder);
        StringBuilder lines = new StringBuilder();
        for (int step = 0; step <= 3000; step += 50) {
            double loss = end + (2.1 - end) * Math.exp(-step / 600.0)
                    + 0.04 * random.nextGaussian();
            double lr = 3e-4 * Math.min(1, (step + 1) / 200.0);
            lines.append(String.format(Locale.ROOT,
                    "{\"step\": %d, \"loss\": %.4f, \"lr\": %.6f}%n", step, loss, lr));
        }
        if (truncatedLastLine) {
            lines.append("{\"step\": 3050, \"lo");
        }
        Path file = folder.resolve(name + ".jsonl");
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        return file;
    }
}
