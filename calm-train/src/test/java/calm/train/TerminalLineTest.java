package calm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a terminal shows after a bar, a log line in the middle of it, and the bar's end. */
class TerminalLineTest {

    /** A terminal's screen: {@code \r} returns to the line's start and overwrites, {@code \n} starts a line. */
    private static List<String> screen(String written) {
        List<String> lines = new ArrayList<>();
        for (String line : written.split("\n", -1)) {
            StringBuilder shown = new StringBuilder();
            int column = 0;
            for (char c : line.toCharArray()) {
                if (c == '\r') {
                    column = 0;
                } else {
                    if (column < shown.length()) {
                        shown.setCharAt(column, c);
                    } else {
                        shown.append(c);
                    }
                    column++;
                }
            }
            lines.add(shown.toString().stripTrailing());
        }
        return lines;
    }

    @Test
    void aLogLineInTheMiddleOfABarStandsOnItsOwnAndTheBarIsLeftOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TerminalLine line = new TerminalLine(out, 40);
        line.accept("job  10% [=         ] 1/10 loss 3.9000");
        line.accept("job  50% [=====     ] 5/10 loss 2.5");
        line.around(() -> out.println("12:00:00 INFO  job: step 5 eval: loss 2.4"));
        line.accept("job 100% [==========] 10/10 loss 1.2");
        line.close();
        assertEquals(List.of("12:00:00 INFO  job: step 5 eval: loss 2.4", "job 100% [==========] 10/10 loss 1.2", ""),
                screen(bytes.toString(StandardCharsets.UTF_8)));
    }

    @Test
    void aBarWiderThanTheLineIsCutRatherThanWrapped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalLine line = new TerminalLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10);
        line.accept("0123456789abcdef");
        line.close();
        assertEquals(List.of("0123456789", ""), screen(bytes.toString(StandardCharsets.UTF_8)));
    }

    @Test
    void anEvaluationIsLoggedOneShortLinePerSplit() {
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        metrics.put("eval-kv-arithmetic-dc-keys.loss", 1.57514);
        metrics.put("eval-kv-arithmetic-dc-keys.accuracy", 0.05);
        metrics.put("eval-kv-arithmetic-other-keys.loss", 1.6226);
        metrics.put("eval-kv-arithmetic-other-keys.accuracy", 0.0);
        assertEquals(List.of("compose: step 100 eval-kv-arithmetic-dc-keys: loss 1.5751, accuracy 0.0500",
                "compose: step 100 eval-kv-arithmetic-other-keys: loss 1.6226, accuracy 0.0000"),
                Progress.lines("compose", 100, metrics));
    }
}
