package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private final String markdown = MarkdownReport.render(SmallResults.build());

    @Test
    void mainTableHasTasksAsRowsAndSystemsAsColumnsWithIntervals() {
        List<List<String>> table = tableAfter("## Table 1: main results");
        assertEquals(List.of("Task", "m_B", "LoRA", "CALM"), table.get(0));
        assertEquals(List.of("KV-Arithmetic (accuracy)", "4.2 [2.6, 6.0]", "72.0 [68.1, 75.9]",
                "84.3 [81.2, 87.1]"), table.get(1));
        assertEquals(List.of("Translation (chrF)", "30.1 [28.4, 31.9]", "35.5 [33.9, 37.2]",
                "35.9 [34.2, 37.5]"), table.get(2));
        assertEquals(3, table.size());
    }

    @Test
    void ablationTableHasSystemsAsRowsAndShowsMissingScoresAsADash() {
        List<List<String>> table = tableAfter("## Table 2: ablations");
        assertEquals(List.of("System", "KV-Arithmetic (accuracy)", "Translation (chrF)"),
                table.get(0));
        assertEquals(List.of("CALM", "84.3 [81.2, 87.1]", "35.9 [34.2, 37.5]"), table.get(1));
        assertEquals(List.of("random m_A", "5.0 [3.2, 7.0]", "–"), table.get(2));
    }

    @Test
    void pairedComparisonsStateTheirVerdicts() {
        assertTrue(markdown.contains("- CALM beats LoRA on KV-Arithmetic: +12.3 points, "
                + "95% CI [8.1, 16.0], p = 0.001\n"), markdown);
        assertTrue(markdown.contains("- CALM does not beat LoRA on Translation: +0.4 points, "
                + "95% CI [-1.2, 2.0], p = 0.310 (interval includes zero)\n"), markdown);
        assertTrue(markdown.contains("- random m_A does not beat LoRA on KV-Arithmetic: "
                + "-67.0 points, 95% CI [-71.5, -62.4], p < 0.001 "
                + "(LoRA is better: the interval lies below zero)\n"), markdown);
    }

    @Test
    void mcnemarTestsStateTheirDiscordantCounts() {
        assertTrue(markdown.contains("<summary>McNemar's exact test, one line per pair (1)</summary>\n\n"
                + "- CALM against LoRA on KV-Arithmetic: "
                + "70 examples only CALM gets right, 8 only LoRA, p < 0.001\n"),
                markdown);
    }

    @Test
    void curvesAreSummarisedAndSkippedLinesWarnedAbout() {
        assertTrue(markdown.contains(
                "> **Warning:** 2 unreadable lines skipped in runs/calm/metrics.jsonl (CALM)"),
                markdown);
        List<List<String>> table = tableAfter("## Training curves");
        assertEquals(List.of("CALM", "3", "200", "2.500", "0.750", "0.750", "2",
                "runs/calm/metrics.jsonl"), table.get(1));
    }

    @Test
    void systemsShowParameterCounts() {
        List<List<String>> table = tableAfter("## Systems");
        assertEquals(List.of("CALM", "CALM", "1,300,000", "50,000 (3.8%)", "n (D_A D_B + 4 D_B^2)"),
                table.get(3));
        assertEquals(List.of("m_B", "m_B", "1,000,000", "0", ""), table.get(1));
    }

    @Test
    void runSectionRecordsProvenance() {
        List<List<String>> table = tableAfter("## Run");
        assertTrue(table.contains(List.of("Configuration SHA-256", "ab".repeat(32))));
        assertTrue(table.contains(List.of("Wall time: train", "1 min 15 s")));
        assertTrue(table.contains(List.of("Intervals",
                "95% percentile bootstrap, 1,000 resamples, seed 12345")));
    }

    /** The first Markdown table after a heading, header first, separator row dropped. */
    private List<List<String>> tableAfter(String heading) {
        List<String> lines = Arrays.asList(markdown.split("\n"));
        int line = lines.indexOf(heading);
        assertTrue(line >= 0, "no heading " + heading + " in\n" + markdown);
        while (!lines.get(line).startsWith("|")) {
            line++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (; line < lines.size() && lines.get(line).startsWith("|"); line++) {
            if (!lines.get(line).startsWith("| ---")) {
                rows.add(cells(lines.get(line)));
            }
        }
        return rows;
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.length() - 1);
        return Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(String::strip).toList();
    }
}
