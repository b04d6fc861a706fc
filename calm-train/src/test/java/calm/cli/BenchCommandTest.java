package calm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code calm bench} at its smallest: every row printed, every figure a positive number. */
class BenchCommandTest {

    private static final Pattern ROW = Pattern.compile(
            "^(.+?)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9]+)%\\s+([0-9.]+)\\s+([0-9.]+)$");

    @Test
    void printsTheCeilingEveryStepWithItsFloorDecodingAndMemory() {
        CalmRunner.Result bench = CalmRunner.run("bench", "--repeats", "1", "--decode", "8", "--config",
                "../configs/kv-arithmetic-tiny.yaml");
        assertEquals(0, bench.exitCode(), bench.err());
        String out = bench.out();
        assertTrue(out.matches("(?s).*ceiling: fp32 1024\\^3 matrix product through the engine, [0-9.]+ GFLOP/s.*"), out);
        List<String> steps = List.of("reference forward", "reference training step", "CALM step, anchor 4x256",
                "CALM step, every layer", "pretraining kv-arithmetic-tiny m_A 2x64, batch 32x20, 3 tokens/position",
                "pretraining kv-arithmetic-tiny m_B 2x64, batch 32x20");
        for (String step : steps) {
            String line = out.lines().filter(l -> l.startsWith(step)).findFirst().orElse(null);
            assertTrue(line != null, "no row " + step + " in\n" + out);
            Matcher row = ROW.matcher(line.strip());
            assertTrue(row.matches(), line);
            double millis = Double.parseDouble(row.group(2));
            double gflop = Double.parseDouble(row.group(3));
            double floor = Double.parseDouble(row.group(6));
            double multiple = Double.parseDouble(row.group(7));
            assertTrue(millis > 0 && gflop > 0 && floor > 0, line);
            assertEquals(millis / floor, multiple, 0.01 + 0.005 * multiple, line);
        }
        // The reference training step does three times its forward pass's products (every weight trains).
        double forward = gflop(out, "reference forward");
        double training = gflop(out, "reference training step");
        assertEquals(3 * forward, training, 0.02 * training);
        assertTrue(out.matches("(?s).*cached decoding per token, batch 16, 8 tokens: anchor alone [0-9.]+ ms; CALM \\(4,4\\) "
                + "[0-9.]+ ms \\(x[0-9.]+\\); CALM every layer [0-9.]+ ms \\(x[0-9.]+\\).*"), out);
        assertTrue(out.matches("(?s).*peak resident memory: [0-9,]+ MiB.*"), out);
    }

    @Test
    void tooFewRepeatsIsAUsageError() {
        CalmRunner.Result bench = CalmRunner.run("bench", "--repeats", "0");
        assertEquals(Calm.USAGE, bench.exitCode());
        assertTrue(bench.err().contains("--repeats must be at least 1 and --decode at least 8, got 0 and 128"), bench.err());
    }

    private static double gflop(String out, String step) {
        String line = out.lines().filter(l -> l.startsWith(step)).findFirst().orElseThrow();
        Matcher row = ROW.matcher(line.strip());
        assertTrue(row.matches(), line);
        return Double.parseDouble(row.group(3));
    }
}
