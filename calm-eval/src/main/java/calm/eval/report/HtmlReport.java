package calm.eval.report;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders results as a self-contained {@code report.html}, in {@link MarkdownReport}'s order (the
 * paper's claim checked, the tables, the comparison matrices, the summaries, then breakdowns and
 * details), with a bar chart with error bars per task and a training-loss panel per trained system;
 * the per-pair sentences are collapsed. Styles are inline and charts
 * are PNG data URIs, so the file can be mailed or archived alone; it needs no JavaScript.
 */
public final class HtmlReport {

    /** The conventional file name. */
    public static final String FILE_NAME = "report.html";

    private static final Pattern SCORE = Pattern.compile("(\\S+) (\\[[^\\]]*\\])( [" + AtAGlance.AHEAD + AtAGlance.BEHIND + "])?");

    private static final String STYLE = """
            body { font: 15px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial,
                   sans-serif; color: #1f2328; background: #fff; margin: 0; }
            main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; }
            h1 { font-size: 26px; margin: 8px 0 4px; }
            h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px;
                 border-bottom: 1px solid #d8dee4; }
            p.lead { color: #59636e; margin: 0 0 16px; }
            p.headline { font-size: 16px; font-weight: 600; margin: 0 0 8px; }
            table { border-collapse: collapse; margin: 8px 0 20px;
                    font-variant-numeric: tabular-nums; }
            th, td { border: 1px solid #d8dee4; padding: 5px 10px; vertical-align: top; }
            th { background: #f6f8fa; text-align: left; }
            td.r { text-align: right; white-space: nowrap; }
            th.r { text-align: right; }
            td:first-child { white-space: nowrap; }
            tbody tr:nth-child(even) { background: #fbfcfd; }
            .ci { color: #59636e; font-size: 0.9em; }
            .wide td { word-break: break-word; overflow-wrap: anywhere; }
            ul.verdicts { list-style: none; padding-left: 4px; }
            ul.verdicts li { margin: 4px 0; padding-left: 1.4em; text-indent: -1.4em; }
            .holds, .ahead { color: #1a7f37; font-weight: 600; }
            .partly { color: #9a6700; font-weight: 600; }
            .fails, .behind { color: #cf222e; font-weight: 600; }
            details { margin: 24px 0 8px; }
            summary { font-size: 17px; font-weight: 600; cursor: pointer; }
            .scroll { overflow-x: auto; }
            .warning { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px;
                       padding: 8px 12px; margin: 8px 0; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            figure { margin: 0; border: 1px solid #d8dee4; border-radius: 6px; padding: 8px; }
            figure img { display: block; max-width: 100%; height: auto; }
            code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; }
            @media (max-width: 900px) {
              main { padding: 16px 12px 32px; }
              th, td { padding: 4px 6px; }
              td .ci { display: block; }
            }
            """;

    private HtmlReport() {
    }

    /**
     * Renders a report.
     *
     * @param results the results
     * @return one HTML5 document with everything inline
     */
    public static String render(Results results) {
        StringBuilder html = new StringBuilder();
        String title = "Evaluation report: " + results.run().experiment();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" ")
                .append("content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n");
        for (String sentence : results.headline()) {
            html.append("<p class=\"headline\">").append(escape(sentence)).append("</p>\n");
        }
        html.append("<p class=\"lead\">Every score is on a 0-100 scale with its ")
                .append(ReportText.level(results.bootstrap()))
                .append(" bootstrap confidence interval, <code>value [low, high]</code>.")
                .append(" Commit <code>")
                .append(escape(results.run().gitCommit())).append("</code>, seed ")
                .append(results.run().seed()).append(".")
                .append(results.comparisons().isEmpty() ? "" : " " + escape(AtAGlance.matrixLegend(results)))
                .append("</p>\n");

        List<AtAGlance.Claim> claims = AtAGlance.claims(results);
        if (!claims.isEmpty()) {
            html.append("<h2>The paper&#39;s claim, checked</h2>\n<p>").append(escape(AtAGlance.claimIntro(results)))
                    .append("</p>\n<ul class=\"verdicts\">\n");
            for (AtAGlance.Claim claim : claims) {
                html.append("<li><span class=\"").append(claim.verdict().name().toLowerCase(Locale.ROOT)).append("\">")
                        .append(claim.verdict().mark).append("</span> ").append(escape(claim.text())).append("</li>\n");
            }
            html.append("</ul>\n");
        }
        List<TableSpec> breakdowns = results.tables().stream().filter(AtAGlance::breakdown).toList();
        for (TableSpec spec : results.tables()) {
            if (!breakdowns.contains(spec)) {
                scoreTable(html, ReportTables.table(results, spec));
            }
        }
        List<Grid> matrices = AtAGlance.matrices(results);
        for (Grid matrix : matrices) {
            if (AtAGlance.onTop(matrix)) {
                scoreTable(html, matrix);
            }
        }
        for (Summary summary : results.summaries()) {
            html.append("<h2>").append(escape(summary.title())).append("</h2>\n<table class=\"wide\">\n<thead><tr>");
            summary.header().forEach(cell -> html.append("<th>").append(escape(cell)).append("</th>"));
            html.append("</tr></thead>\n<tbody>\n");
            for (List<String> row : summary.rows()) {
                html.append("<tr>");
                row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
                html.append("</tr>\n");
            }
            html.append("</tbody>\n</table>\n");
            if (!summary.note().isEmpty()) {
                html.append("<p>").append(escape(summary.note())).append("</p>\n");
            }
        }
        for (ChartSpec chart : results.charts()) {
            html.append("<h2>").append(escape(chart.title())).append("</h2>\n");
            html.append("<figure><img width=\"").append(Charts.WIDE).append("\" height=\"").append(2 * Charts.HEIGHT)
                    .append("\" alt=\"").append(escape(chart.title())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Charts.comparisonChart(results, chart)))
                    .append("\"></figure>\n");
        }
        for (TableSpec spec : breakdowns) {
            scoreTable(html, ReportTables.table(results, spec));
        }
        for (Grid matrix : matrices) {
            if (!AtAGlance.onTop(matrix)) {
                scoreTable(html, matrix);
            }
        }
        html.append("<h2>Scores by task</h2>\n<div class=\"charts\">\n");
        for (TaskInfo task : results.tasks()) {
            figure(html, Charts.taskChart(results, task), Charts.taskChartWidth(results), task.name() + ": "
                    + task.metric() + " by system, with " + ReportText.level(results.bootstrap())
                    + " intervals");
        }
        html.append("</div>\n");
        if (!results.curves().isEmpty()) {
            html.append("<h2>Training curves</h2>\n<p>").append(escape(ReportText.CURVES)).append("</p>\n");
            for (String warning : ReportTables.curveWarnings(results)) {
                html.append("<p class=\"warning\"><strong>Warning:</strong> ")
                        .append(escape(warning)).append("</p>\n");
            }
            html.append("<div class=\"charts\">\n");
            for (String system : results.curves().keySet()) {
                if (!results.curves().get(system).points().isEmpty()) {
                    figure(html, Charts.lossChart(results, system), Charts.WIDTH, "Training loss of " + system + " against the update");
                }
            }
            html.append("</div>\n");
            table(html, ReportTables.curves(results), true);
        }
        if (!results.comparisons().isEmpty()) {
            html.append("<details>\n<summary>Every paired comparison, one sentence each (")
                    .append(results.comparisons().size()).append(")</summary>\n<ul class=\"verdicts\">\n");
            for (Comparison comparison : results.comparisons()) {
                html.append("<li><span class=\"").append(comparison.low() > 0 ? "holds" : "fails")
                        .append("\">").append(comparison.low() > 0 ? "&#10003;" : "&#10007;")
                        .append("</span> ")
                        .append(escape(ReportText.verdict(comparison, results))).append("</li>\n");
            }
            html.append("</ul>\n</details>\n");
        }
        if (!results.mcnemar().isEmpty()) {
            html.append("<details>\n<summary>McNemar&#39;s exact test, one line per pair (")
                    .append(results.mcnemar().size()).append(")</summary>\n<ul class=\"verdicts\">\n");
            for (McNemarTest test : results.mcnemar()) {
                html.append("<li>").append(escape(ReportText.mcnemar(test, results)))
                        .append("</li>\n");
            }
            html.append("</ul>\n</details>\n");
        }
        html.append("<h2>Systems</h2>\n");
        table(html, ReportTables.systems(results), true);
        html.append("<h2>Tasks</h2>\n");
        table(html, ReportTables.tasks(results), false);
        html.append("<h2>All scores</h2>\n");
        table(html, ReportTables.allScores(results), false);
        html.append("<h2>Run</h2>\n");
        table(html, ReportTables.provenance(results), true);
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /** A table of scores or differences under its caption as a heading, scrolling sideways when wide. */
    private static void scoreTable(StringBuilder html, Grid grid) {
        html.append("<h2>").append(escape(grid.caption())).append("</h2>\n<div class=\"scroll\">\n");
        table(html, grid, false);
        html.append("</div>\n");
    }

    private static void table(StringBuilder html, Grid grid, boolean wide) {
        html.append(wide ? "<table class=\"wide\">\n" : "<table>\n");
        html.append("<thead><tr>");
        for (int c = 0; c < grid.header().size(); c++) {
            html.append(grid.rightAligned(c) ? "<th class=\"r\">" : "<th>")
                    .append(escape(grid.header().get(c))).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : grid.rows()) {
            html.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                html.append(grid.rightAligned(c) ? "<td class=\"r\">" : "<td>")
                        .append(cell(row.get(c))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    /** Sets a score's interval in a quieter style: {@code 84.3 [81.2, 87.1]}. */
    private static String cell(String text) {
        Matcher score = SCORE.matcher(text);
        if (score.matches()) {
            // A difference's mark follows its value, so that a narrow page that sets the interval on a
            // line of its own keeps the two together.
            String mark = score.group(3) == null ? "" : " <span class=\""
                    + (score.group(3).strip().equals(AtAGlance.AHEAD) ? "ahead" : "behind") + "\">" + score.group(3).strip() + "</span>";
            return escape(score.group(1)) + mark + " <span class=\"ci\">" + escape(score.group(2))
                    + "</span>";
        }
        return escape(text);
    }

    private static void figure(StringBuilder html, byte[] png, int width, String caption) {
        html.append("<figure><img width=\"").append(width).append("\" height=\"")
                .append(Charts.HEIGHT).append("\" alt=\"").append(escape(caption))
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></figure>\n");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
