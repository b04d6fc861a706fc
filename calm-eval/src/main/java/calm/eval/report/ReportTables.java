package calm.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tables of a report, as text, shared by {@link MarkdownReport} and {@link HtmlReport}. */
final class ReportTables {

    private ReportTables() {
    }

    /** A table from a {@link TableSpec}: headline scores with their intervals. */
    static Grid table(Results results, TableSpec spec) {
        List<String> header = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        if (spec.kind() == TableKind.MAIN) {
            header.add("Task");
            header.addAll(spec.columns());
            for (String task : spec.rows()) {
                List<String> row = new ArrayList<>();
                row.add(ReportText.taskHeading(results.task(task)));
                for (String system : spec.columns()) {
                    row.add(cell(results, task, system));
                }
                rows.add(row);
            }
        } else {
            header.add("System");
            for (String task : spec.columns()) {
                header.add(ReportText.taskHeading(results.task(task)));
            }
            for (String system : spec.rows()) {
                List<String> row = new ArrayList<>();
                row.add(system);
                for (String task : spec.columns()) {
                    row.add(cell(results, task, system));
                }
                rows.add(row);
            }
        }
        return new Grid(spec.title(), header, "l" + "r".repeat(header.size() - 1), rows);
    }

    /** The systems with their roles and parameter counts. */
    static Grid systems(Results results) {
        List<List<String>> rows = results.systems().stream()
                .map(s -> List.of(s.name(), s.role(), ReportText.count(s.totalParameters()),
                        ReportText.trainable(s), s.formula()))
                .toList();
        return new Grid("", List.of("System", "Role", "Parameters", "Trainable", "Formula"),
                "llrrl", rows);
    }

    /** The tasks with their splits, sizes and headline metrics. */
    static Grid tasks(Results results) {
        List<List<String>> rows = results.tasks().stream()
                .map(t -> List.of(t.name(), t.split(), ReportText.count(t.examples()), t.metric()))
                .toList();
        return new Grid("", List.of("Task", "Split", "Examples", "Metric"), "llrl", rows);
    }

    /** Every reported score, one row per task, system and metric. */
    static Grid allScores(Results results) {
        List<List<String>> rows = new ArrayList<>();
        for (TaskResult result : results.results()) {
            for (Map.Entry<String, Score> metric : result.metrics().entrySet()) {
                rows.add(List.of(result.task(), result.system(), metric.getKey(),
                        ReportText.score(metric.getValue())));
            }
        }
        return new Grid("", List.of("Task", "System", "Metric",
                "Value [" + ReportText.level(results.bootstrap()) + " CI]"), "lllr", rows);
    }

    /** A summary of each training curve. */
    static Grid curves(Results results) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, TrainingCurve> entry : results.curves().entrySet()) {
            TrainingCurve curve = entry.getValue();
            List<CurvePoint> points = curve.points();
            boolean empty = points.isEmpty();
            CurvePoint first = empty ? null : points.get(0);
            CurvePoint last = empty ? null : points.get(points.size() - 1);
            rows.add(List.of(entry.getKey(), ReportText.count(points.size()),
                    empty ? ReportText.MISSING : ReportText.count(last.step()),
                    empty ? ReportText.MISSING : loss(first.loss()),
                    empty ? ReportText.MISSING : loss(last.loss()),
                    empty ? ReportText.MISSING : loss(points.stream()
                            .mapToDouble(CurvePoint::loss).min().orElseThrow()),
                    ReportText.count(curve.skippedLines()), curve.source()));
        }
        return new Grid("", List.of("System", "Points", "Last step", "First loss", "Last loss",
                "Lowest loss", "Skipped lines", "Source"), "lrrrrrrl", rows);
    }

    /** Where the numbers came from. */
    static Grid provenance(Results results) {
        RunMetadata run = results.run();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Experiment", run.experiment()));
        rows.add(List.of("Configuration", run.configPath()));
        rows.add(List.of("Configuration SHA-256", run.configSha256()));
        rows.add(List.of("Seed", Long.toString(run.seed())));
        rows.add(List.of("Git commit", run.gitCommit()));
        rows.add(List.of("Machine", run.machine()));
        rows.add(List.of("Intervals", ReportText.level(results.bootstrap())
                + " percentile bootstrap, " + ReportText.count(results.bootstrap().resamples())
                + " resamples, seed " + results.bootstrap().seed()));
        run.phaseSeconds().forEach((phase, seconds) ->
                rows.add(List.of("Wall time: " + phase, ReportText.duration(seconds))));
        run.libraryVersions().forEach((library, version) ->
                rows.add(List.of("Version: " + library, version)));
        return new Grid("", List.of("Field", "Value"), "ll", rows);
    }

    /** Curves whose logs had unreadable lines, as warnings to show above the curves. */
    static List<String> curveWarnings(Results results) {
        List<String> warnings = new ArrayList<>();
        results.curves().forEach((system, curve) -> {
            if (curve.skippedLines() > 0) {
                warnings.add(ReportText.count(curve.skippedLines()) + " unreadable "
                        + (curve.skippedLines() == 1 ? "line" : "lines") + " skipped in "
                        + curve.source() + " (" + system + ")");
            }
        });
        return warnings;
    }

    private static String cell(Results results, String task, String system) {
        return results.headline(task, system).map(ReportText::score).orElse(ReportText.MISSING);
    }

    private static String loss(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
