package calm.eval.report;

import calm.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a report folder: {@code results.json}, {@code report.md} and {@code report.html}. */
public final class ReportFiles {

    private ReportFiles() {
    }

    /**
     * Writes the three files, each atomically.
     *
     * @param results the results
     * @param folder the report folder; created if missing, files in it replaced
     */
    public static void write(Results results, Path folder) throws IOException {
        ResultsJson.write(results, folder.resolve(ResultsJson.FILE_NAME));
        AtomicFiles.writeString(folder.resolve(MarkdownReport.FILE_NAME), MarkdownReport.render(results));
        AtomicFiles.writeString(folder.resolve(HtmlReport.FILE_NAME), HtmlReport.render(results));
    }
}
