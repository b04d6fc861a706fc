package calm.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code calm run} reads {@code --retrain}: alone it means every job, and it never takes the config. */
class RunCommandOptionsTest {

    private static RunCommand parse(String... args) {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void retrainAloneMeansEveryJobWhereverItStands() {
        RunCommand before = parse("--retrain", "configs/x.yaml");
        assertEquals(List.of("all"), before.retrain);
        assertEquals(Path.of("configs/x.yaml"), before.config);
        RunCommand after = parse("configs/x.yaml", "--retrain");
        assertEquals(List.of("all"), after.retrain);
        assertEquals(Path.of("configs/x.yaml"), after.config);
    }

    @Test
    void retrainWithAnAttachedValueNamesJobs() {
        RunCommand named = parse("configs/x.yaml", "--retrain=compose,lora-b");
        assertEquals(List.of("compose", "lora-b"), named.retrain);
        assertEquals(List.of(), parse("configs/x.yaml").retrain);
    }
}
