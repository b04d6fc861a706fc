package calm.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.train.experiment.Job;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Jobs in processes of their own: what a failing one does to the run, and the command each runs. */
class JobProcessesTest {

    @Test
    void aFailingJobFailsTheRunNamingItsExitCodeAndItsLinesComeUnderItsName() {
        Job job = new Job("pretrain-a", Path.of("nowhere/provenance.json"), List.of(), List.of(), (resume, manager) -> {
            throw new AssertionError("runs in its own process, never here");
        });
        StringWriter out = new StringWriter();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        JobProcesses processes = new JobProcesses(2, 1, failing -> List.of("job", "no-such-config.yaml", "--name",
                failing.name()), new PrintWriter(out, true), new PrintStream(err, true, StandardCharsets.UTF_8));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> processes.run(List.of(new JobProcesses.Planned(job, false)), Set.of()));
        assertTrue(failure.getMessage().startsWith("job pretrain-a failed with exit code 2"), failure.getMessage());
        assertTrue(failure.getMessage().contains("resumes the others from their last checkpoints"), failure.getMessage());
        String relayed = err.toString(StandardCharsets.UTF_8);
        assertTrue(relayed.contains("[pretrain-a] calm: config error: no-such-config.yaml"), relayed);
        assertTrue(out.toString().contains("pretrain-a           started (from scratch, 1 intra-op thread)"), out.toString());
    }

    @Test
    void eachJobRunsThisJvmWithItsThreadsSetAndNoOtherThreadSetting() {
        List<String> command = JobProcesses.javaCommand(3);
        assertEquals("calm.cli.Calm", command.get(command.size() - 1));
        assertEquals(1, command.stream().filter(option -> option.startsWith("-Dai.djl.pytorch.num_threads=")).count());
        assertTrue(command.contains("-Dai.djl.pytorch.num_threads=3"), command.toString());
        assertEquals(System.getProperty("java.class.path"), command.get(command.size() - 2));
    }
}
