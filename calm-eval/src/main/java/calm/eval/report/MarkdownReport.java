package calm.eval.report;

import java.util.List;

/**
 * Renders results as {@code report.md}, in reading order: the headline; the paper's claim checked
 * system by system; the tables and the comparison matrices (CALM minus each system); the summaries;
 * the breakdowns (tables over more than {@value AtAGlance#MOST_TASKS_ON_TOP} tasks, by language say);
 * the training curves; every paired comparison and McNemar test in collapsed sections; systems,
 * tasks, all scores and provenance.
 */
public final class MarkdownReport {

    /** The conventional file name. */
    public static final String FILE_NAME = "report.md";

    private MarkdownReport() {
    }

    /**
     * Renders a report.
     *
     * @param results the results
     * @return GitHub-flavoured Markdown
     */
    public static String render(Results results) {
        StringBuilder md = new StringBuilder();
        md.append("# Evaluation report: ").append(inline(results.run().experiment()))
                .append("\n\n");
        for (String sentence : results.headline()) {
            md.append("**").append(inline(sentence)).append("**\n\n");
        }
        md.append("Every score is on a 0-100 scale with its ")
                .append(ReportText.level(results.bootstrap()))
                .append(" bootstrap confidence interval: `value [low, high]`.")
                .append(results.comparisons().isEmpty() ? "" : " " + inline(AtAGlance.matrixLegend(results)))
                .append("\n\n");
        List<AtAGlance.Claim> claims = AtAGlance.claims(results);
        if (!claims.isEmpty()) {
            md.append("## The paper's claim, checked\n\n").append(inline(AtAGlance.claimIntro(results))).append("\n\n");
            for (AtAGlance.Claim claim : claims) {
                md.append("- ").append(claim.verdict().mark).append(' ').append(inline(claim.text())).append('\n');
            }
            md.append('\n');
        }
        List<TableSpec> breakdowns = results.tables().stream().filter(AtAGlance::breakdown).toList();
        for (TableSpec spec : results.tables()) {
            if (!breakdowns.contains(spec)) {
                table(md, ReportTables.table(results, spec), "## ");
            }
        }
        List<Grid> matrices = AtAGlance.matrices(results);
        for (Grid matrix : matrices) {
            if (AtAGlance.onTop(matrix)) {
                table(md, matrix, "## ");
            }
        }
        for (Summary summary : results.summaries()) {
            md.append("## ").append(inline(summary.title())).append("\n\n");
            md.append('|');
            summary.header().forEach(cell -> md.append(' ').append(inline(cell)).append(" |"));
            md.append("\n|");
            summary.header().forEach(cell -> md.append(" --- |"));
            md.append('\n');
            for (List<String> row : summary.rows()) {
                md.append('|');
                row.forEach(cell -> md.append(' ').append(inline(cell)).append(" |"));
                md.append('\n');
            }
            md.append('\n');
            if (!summary.note().isEmpty()) {
                md.append(inline(summary.note())).append("\n\n");
            }
        }
        for (TableSpec spec : breakdowns) {
            table(md, ReportTables.table(results, spec), "## ");
        }
        for (Grid matrix : matrices) {
            if (!AtAGlance.onTop(matrix)) {
                table(md, matrix, "## ");
            }
        }
        if (!results.curves().isEmpty()) {
            md.append("## Training curves\n\n").append(inline(ReportText.CURVES)).append("\n\n");
            for (String warning : ReportTables.curveWarnings(results)) {
                md.append("> **Warning:** ").append(inline(warning)).append("\n\n");
            }
            table(md, ReportTables.curves(results), "");
        }
        if (!results.comparisons().isEmpty()) {
            md.append("<details>\n<summary>Every paired comparison, one sentence each (")
                    .append(results.comparisons().size()).append(")</summary>\n\n");
            for (Comparison comparison : results.comparisons()) {
                md.append("- ").append(inline(ReportText.verdict(comparison, results)))
                        .append('\n');
            }
            md.append("\n</details>\n\n");
        }
        if (!results.mcnemar().isEmpty()) {
            md.append("<details>\n<summary>McNemar's exact test, one line per pair (")
                    .append(results.mcnemar().size()).append(")</summary>\n\n");
            for (McNemarTest test : results.mcnemar()) {
                md.append("- ").append(inline(ReportText.mcnemar(test, results))).append('\n');
            }
            md.append("\n</details>\n\n");
        }
        md.append("## Systems\n\n");
        table(md, ReportTables.systems(results), "");
        md.append("## Tasks\n\n");
        table(md, ReportTables.tasks(results), "");
        md.append("## All scores\n\n");
        table(md, ReportTables.allScores(results), "");
        md.append("## Run\n\n");
        table(md, ReportTables.provenance(results), "");
        return md.toString();
    }

    /**
     * Renders one of the report's tables alone, e.g. to print it.
     *
     * @param results the results
     * @param id a {@link TableSpec#id()} of the results
     * @return the table's caption and its Markdown rows
     * @throws IllegalArgumentException when the results have no table of that id
     */
    public static String table(Results results, String id) {
        TableSpec spec = results.tables().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table \"" + id + "\""));
        StringBuilder md = new StringBuilder();
        table(md, ReportTables.table(results, spec), "");
        return md.toString();
    }

    private static void table(StringBuilder md, Grid grid, String captionPrefix) {
        if (!grid.caption().isEmpty()) {
            md.append(captionPrefix).append(inline(grid.caption())).append("\n\n");
        }
        row(md, grid.header());
        md.append('|');
        for (int c = 0; c < grid.header().size(); c++) {
            md.append(grid.rightAligned(c) ? " ---: |" : " --- |");
        }
        md.append('\n');
        for (List<String> row : grid.rows()) {
            row(md, row);
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String cell : cells) {
            md.append(' ').append(inline(cell).replace("|", "\\|")).append(" |");
        }
        md.append('\n');
    }

    /**
     * Keeps user text on one line and out of Markdown's emphasis, code and HTML syntax (a
     * {@code <} only starts HTML before a letter, {@code /}, {@code !} or {@code ?}). Brackets
     * stay as they are (intervals read {@code [81.2, 87.1]}), as do underscores, which GitHub's
     * Markdown does not treat as emphasis inside a word ({@code m_A}).
     */
    private static String inline(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ")
                .replaceAll("([\\\\`*]|<(?=[A-Za-z/!?]))", "\\\\$1");
    }
}
