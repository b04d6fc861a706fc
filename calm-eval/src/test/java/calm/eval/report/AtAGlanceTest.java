package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparisons at a glance, from a results.json written by hand (src/test/resources/report). */
class AtAGlanceTest {

    private static Results handMade() throws IOException, URISyntaxException {
        return ResultsJson.read(Path.of(AtAGlanceTest.class.getResource("/report/comparisons-results.json").toURI()));
    }

    @Test
    void oneMatrixPerMetricHoldsCalmMinusEachSystemMarkedWhereTheIntervalExcludesZero() throws Exception {
        List<Grid> matrices = AtAGlance.matrices(handMade());
        assertEquals(2, matrices.size());
        Grid accuracy = matrices.get(0);
        assertEquals("CALM minus each system: accuracy, in points", accuracy.caption());
        assertEquals(List.of("System", "KV-Arithmetic", "Numeric"), accuracy.header());
        assertEquals(List.of(
                List.of("m_A", "+80.0 [72.0, 88.0] ▲", "–"),
                List.of("m_B", "+78.0 [70.0, 86.0] ▲", "-30.0 [-41.0, -19.0] ▼"),
                List.of("LoRA", "+2.0 [-3.5, 7.3]", "–")), accuracy.rows());
        Grid chrF = matrices.get(1);
        assertEquals(List.of("System", "Translation"), chrF.header());
        assertEquals(List.of(List.of("m_B", "+5.0 [1.3, 8.8] ▲")), chrF.rows());
        assertTrue(AtAGlance.onTop(accuracy));
    }

    @Test
    void theClaimIsCheckedOnTheComposedTaskSystemBySystem() throws Exception {
        Results results = handMade();
        assertEquals(List.of(
                new AtAGlance.Claim(AtAGlance.Verdict.HOLDS, "CALM beats m_A on KV-Arithmetic: +80.0 points [72.0, 88.0]"),
                new AtAGlance.Claim(AtAGlance.Verdict.HOLDS, "CALM beats m_B on KV-Arithmetic: +78.0 points [70.0, 86.0]"),
                new AtAGlance.Claim(AtAGlance.Verdict.FAILS,
                        "CALM does not beat LoRA on KV-Arithmetic: +2.0 points [-3.5, 7.3] (the interval includes zero)")),
                AtAGlance.claims(results));
        // Over every task instead: m_B is beaten on two of three and ahead on one.
        List<AtAGlance.Claim> everywhere = AtAGlance.claims(results.withComposedTasks(
                List.of("KV-Arithmetic", "Numeric", "Translation")));
        assertEquals(new AtAGlance.Claim(AtAGlance.Verdict.PARTLY,
                "CALM beats m_B on 2 of 3 tasks; m_B is ahead on 1; mean difference +17.7 points"), everywhere.get(1));
    }

    @Test
    void theReportsOpenWithTheClaimAndTheMatricesAndCollapseThePerPairSentences() throws Exception {
        Results results = handMade();
        String md = MarkdownReport.render(results);
        int claim = md.indexOf("## The paper's claim, checked");
        int matrix = md.indexOf("## CALM minus each system: accuracy, in points");
        int details = md.indexOf("<details>\n<summary>Every paired comparison, one sentence each (5)</summary>");
        assertTrue(claim > 0 && matrix > claim && details > matrix, md);
        assertTrue(md.contains("- ✗ CALM does not beat LoRA on KV-Arithmetic"), md);
        assertTrue(md.contains("| m_B | +78.0 [70.0, 86.0] ▲ | -30.0 [-41.0, -19.0] ▼ |"), md);
        String html = HtmlReport.render(results);
        assertTrue(html.contains("<td class=\"r\">-30.0 <span class=\"behind\">▼</span> "
                + "<span class=\"ci\">[-41.0, -19.0]</span></td>"), html);
        assertTrue(html.indexOf("The paper&#39;s claim, checked") < html.indexOf("<details>"), html);
    }

    @Test
    void aMatrixOverManyTasksListsTasksAsRowsAndGoesWithTheBreakdowns() {
        List<TaskInfo> tasks = new java.util.ArrayList<>();
        List<Comparison> comparisons = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            tasks.add(new TaskInfo("language " + i, "test", 10, "chrF"));
            comparisons.add(new Comparison("CALM", "m_B", "language " + i, "chrF", i, i - 1, i + 1, 0.5));
        }
        Results results = Results.of(handMadeRun(), calm.eval.stats.Bootstrap.DEFAULT,
                List.of(new SystemInfo("m_B", "m_B", 1, 0, ""), new SystemInfo("CALM", "CALM", 2, 1, "")), tasks,
                List.of(), comparisons, List.of(), java.util.Map.of(), List.of());
        Grid matrix = AtAGlance.matrices(results).get(0);
        assertEquals(List.of("Task", "m_B"), matrix.header());
        assertEquals(List.of("language 0", "+0.0 [-1.0, 1.0]"), matrix.rows().get(0));
        assertEquals(List.of("language 2", "+2.0 [1.0, 3.0] ▲"), matrix.rows().get(2));
        assertTrue(!AtAGlance.onTop(matrix));
    }

    private static RunMetadata handMadeRun() {
        return new RunMetadata("many", "configs/many.yaml", "ab".repeat(32), 1, "unknown", java.util.Map.of(), "none",
                java.util.Map.of());
    }
}
