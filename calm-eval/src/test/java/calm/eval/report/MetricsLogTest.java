package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @TempDir
    Path folder;

    @Test
    void readsStepsLossesAndOtherNumbersAndCountsUnreadableLines() throws IOException {
        Path log = folder.resolve("metrics.jsonl");
        Files.writeString(log, String.join("\n",
                "{\"step\": 0, \"loss\": 2.5, \"lr\": 0.0}",
                "{\"step\": 10, \"loss\": 2.25, \"phase\": \"train\","
                        + " \"eval\": {\"accuracy\": 0.125}}",
                "not json at all",
                "",
                "{\"step\": 20, \"lr\": 0.001}",
                "{\"step\": \"30\", \"loss\": 2.0}",
                "[1, 2, 3]",
                "{\"step\": 40, \"loss\": 1.75}",
                "{\"step\": 50, \"lo"));
        TrainingCurve curve = MetricsLog.read(log);
        assertEquals(List.of(
                new CurvePoint(0, 2.5, Map.of("lr", 0.0)),
                new CurvePoint(10, 2.25, Map.of("eval.accuracy", 0.125)),
                new CurvePoint(40, 1.75, Map.of())), curve.points());
        // Not JSON, no loss, a string step, not an object, truncated; the blank line is no error.
        assertEquals(5, curve.skippedLines());
        assertEquals(log.toString(), curve.source());
    }

    @Test
    void stagesJoinIntoOneCurveWhoseStepsRunOn() throws IOException {
        Path first = folder.resolve("first.jsonl");
        Path second = folder.resolve("second.jsonl");
        Files.writeString(first, "{\"step\": 10, \"loss\": 3.0}\n{\"step\": 20, \"loss\": 2.0, \"lr\": 0.5}\nbroken\n");
        Files.writeString(second, "{\"step\": 10, \"loss\": 1.5}\n{\"step\": 20, \"lo\n{\"step\": 30, \"loss\": 1.25}\n");
        TrainingCurve curve = MetricsLog.readStages(List.of(first, second));
        assertEquals(List.of(
                new CurvePoint(10, 3.0, Map.of("stage", 1.0)),
                new CurvePoint(20, 2.0, Map.of("lr", 0.5, "stage", 1.0)),
                new CurvePoint(30, 1.5, Map.of("stage", 2.0)),
                new CurvePoint(50, 1.25, Map.of("stage", 2.0))), curve.points());
        assertEquals(2, curve.skippedLines());
        assertEquals(first + " + " + second, curve.source());
        assertEquals(MetricsLog.read(first), MetricsLog.readStages(List.of(first)), "one stage is the log itself");
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.readStages(List.of()));
    }

    @Test
    void anEmptyLogGivesAnEmptyCurve() throws IOException {
        Path log = folder.resolve("empty.jsonl");
        Files.writeString(log, "\n\n");
        TrainingCurve curve = MetricsLog.read(log);
        assertEquals(List.of(), curve.points());
        assertEquals(0, curve.skippedLines());
    }
}
