/**
 * Evaluation reports, independent of how the systems were run.
 *
 * <p>{@link calm.eval.report.Results} holds everything a report shows: provenance
 * ({@link calm.eval.report.RunMetadata}), the systems and tasks, each system's scores with their
 * bootstrap intervals, paired comparisons (bootstrap and McNemar), training curves read from metrics logs
 * ({@link calm.eval.report.MetricsLog}) and the tables to render. It is written and read as
 * {@code results.json} by {@link calm.eval.report.ResultsJson} (layout in
 * docs/results-schema.md) and rendered as {@code report.md} by
 * {@link calm.eval.report.MarkdownReport} and as a self-contained {@code report.html} with charts
 * by {@link calm.eval.report.HtmlReport}. {@link calm.eval.report.ReportFiles} writes all three.
 *
 * <p>Scores are on a 0-100 scale; {@link calm.eval.report.Score#of} and
 * {@link calm.eval.report.Comparison#of} convert results of {@code calm.eval.stats}.
 */
package calm.eval.report;
