package calm.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's share of the kill, stop and corruption trials (scripts/trials/interrupt-trials.sh, whose
 * campaign docs/evaluation.md records): the tiny experiment capped at 30 updates a job, killed with
 * SIGKILL once at a random moment and once during a checkpoint write, stopped once with SIGTERM,
 * each time run again, and two saved files damaged; every run again must end with exactly the
 * uninterrupted run's models and outputs. It runs {@code bin/calm}, so the module's classes and
 * class path file must be built (they are by the test phase).
 */
class InterruptTrialsTest {

    @TempDir
    Path work;

    @Test
    void killedStoppedAndDamagedRunsEndWithTheUninterruptedRunsFiles() throws IOException, InterruptedException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process trials = new ProcessBuilder("bash", root.resolve("scripts/trials/interrupt-trials.sh").toString(),
                "--kills", "1", "--write-kills", "1", "--stops", "1", "--corruptions", "2", "--max-steps", "30", "--seed", "7",
                "--work", work.resolve("trials").toString())
                .directory(root.toFile()).redirectErrorStream(true).start();
        trials.getOutputStream().close();
        String output = new String(trials.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(trials.waitFor(10, TimeUnit.MINUTES), output);
        assertEquals(0, trials.exitValue(), output);
        List<String> lines = output.lines().filter(line -> !line.contains(" Killed ")).toList();
        assertTrue(lines.get(0).startsWith("reference: "), output);
        assertEquals(2, lines.stream().filter(line -> line.startsWith("SIGKILL ") && line.endsWith(" identical")
                && line.contains("restart exit 0")).count(), output);
        assertEquals(1, lines.stream().filter(line -> line.startsWith("SIGTERM ") && line.endsWith(" identical")).count(), output);
        assertEquals(2, lines.stream().filter(line -> line.startsWith("corruption ")
                && (line.contains(": identical") || line.contains(": refused (exit "))).count(), output);
    }
}
