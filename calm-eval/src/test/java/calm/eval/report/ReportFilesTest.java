package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @TempDir
    Path folder;

    @Test
    void writesResultsAndBothReportsAndNothingElse() throws IOException {
        Results results = SmallResults.build();
        Path reports = folder.resolve("report");
        ReportFiles.write(results, reports);
        try (Stream<Path> files = Files.list(reports)) {
            assertEquals(List.of("report.html", "report.md", "results.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals(results, ResultsJson.read(reports.resolve("results.json")));
        assertEquals(MarkdownReport.render(results),
                Files.readString(reports.resolve("report.md")));
        assertTrue(Files.readString(reports.resolve("report.html"))
                .contains("84.3 <span class=\"ci\">[81.2, 87.1]</span>"));
    }
}
