package calm.eval.report;

import calm.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a report folder: {@code results.json}, {@code report.md} and {@code report.html}. */
public final class ReportFiles {

    private ReportFiles() {
    }

    /**
     * Writes the three files, each atomically and none unless all were written.
     *
     * @param results the results
     * @param folder the report folder; created if missing, files in it replaced
     */
    public static void write(Results results, Path folder) throws IOException {
        // All three are rendered, then written under temporary names, then renamed: a disk that fills
        // up part-way leaves the last complete report as it was.
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(folder.resolve(ResultsJson.FILE_NAME), ResultsJson.toJson(results));
        files.put(folder.resolve(MarkdownReport.FILE_NAME), MarkdownReport.render(results));
        files.put(folder.resolve(HtmlReport.FILE_NAME), HtmlReport.render(results));
        AtomicFiles.writeAll(files);
    }
}
