package calm.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The terminal bar (the path a job takes on a console) draws the step, loss, tokens/s and time left. */
class ProgressBarTest {

    @Test
    void theBarShowsStepLossThroughputAndTimeLeft() {
        ByteArrayOutputStream drawn = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(drawn, true, StandardCharsets.UTF_8);
                Progress bar = new Progress.Bar(out)) {
            bar.started("pretrain-b", 10, 40);
            for (int step = 11; step <= 25; step++) {
                bar.stepped(new StepReport(step, 40, 1.0 / step, 1.0 / step, 1, 1e-3, 0.5, 12_345));
            }
        }
        String text = drawn.toString(StandardCharsets.UTF_8);
        String last = text.substring(text.lastIndexOf('\r') + 1);
        assertTrue(last.contains("pretrain-b"), text);
        assertTrue(last.contains("25/40"), last);
        assertTrue(last.contains("mean loss 0.0400"), last);
        assertTrue(last.strip().length() <= 79, "fits an 80-column terminal: " + last);
        assertTrue(last.contains("12,345 tok/s"), last);
        assertTrue(last.matches("(?s).*\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\).*"), "elapsed / time left: " + last);
    }
}
