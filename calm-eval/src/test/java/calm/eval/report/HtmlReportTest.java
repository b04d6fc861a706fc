package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final Pattern PNG =
            Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @TempDir
    static Path folder;
    private static Results results;
    private static String html;

    @BeforeAll
    static void render() throws IOException {
        results = FakeResults.build(folder.resolve("logs"));
        html = HtmlReport.render(results);
    }

    @Test
    void loadsNothingFromOutside() {
        Matcher external =
                Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html);
        assertFalse(external.find(), () -> "external reference: " + external.group());
        assertFalse(html.contains("http://") || html.contains("https://"));
        assertFalse(html.toLowerCase().contains("<script"), "the page needs no JavaScript");
        assertFalse(html.toLowerCase().contains("<link"), "styles are inline");
    }

    @Test
    void embedsOneDecodablePngPerTaskAndOneLossPanelPerTrainedSystem() throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher png = PNG.matcher(html);
        while (png.find()) {
            byte[] bytes = Base64.getDecoder().decode(png.group(1));
            images.add(ImageIO.read(new ByteArrayInputStream(bytes)));
        }
        assertEquals(results.tasks().size() + results.curves().size(), images.size());
        for (BufferedImage image : images) {
            assertEquals(2 * Charts.WIDTH, image.getWidth(), "six systems: task charts side by side");
            assertEquals(2 * Charts.HEIGHT, image.getHeight());
        }
        assertTrue(GraphicsEnvironment.isHeadless(), "charts are drawn without a display");
    }

    @Test
    void containsEveryTableValue() {
        String text = visibleText(html);
        List<Grid> grids = new ArrayList<>();
        results.tables().forEach(spec -> grids.add(ReportTables.table(results, spec)));
        grids.add(ReportTables.systems(results));
        grids.add(ReportTables.tasks(results));
        grids.add(ReportTables.allScores(results));
        grids.add(ReportTables.curves(results));
        grids.add(ReportTables.provenance(results));
        int cells = 0;
        for (Grid grid : grids) {
            for (List<String> row : grid.rows()) {
                for (String cell : row) {
                    assertTrue(text.contains(cell), () -> "missing cell: " + cell);
                    cells++;
                }
            }
        }
        assertTrue(cells > 150, "checked " + cells + " cells");
        // A value checked independently of the table code: CALM on KV-Arithmetic.
        Score calm = results.headline("KV-Arithmetic", FakeResults.CALM).orElseThrow();
        assertTrue(text.contains(String.format(Locale.ROOT, "%.1f [%.1f, %.1f]",
                calm.value(), calm.low(), calm.high())));
    }

    @Test
    void statesEachComparisonsVerdictAndWarnsAboutSkippedLogLines() {
        String text = visibleText(html);
        for (Comparison comparison : results.comparisons()) {
            assertTrue(text.contains(ReportText.verdict(comparison, results)));
        }
        assertTrue(text.contains("CALM does not beat m_A on Numeric arithmetic"), text);
        assertTrue(text.contains("Warning: 1 unreadable line skipped in"), text);
    }

    /** The page's text as a reader sees it: tags removed, entities decoded. */
    private static String visibleText(String page) {
        return page.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }
}
