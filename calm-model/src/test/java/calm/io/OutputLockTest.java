package calm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {

    @TempDir
    Path folder;

    @Test
    void aSecondWriterInAnotherProcessIsRefusedNamingTheFolderAndTheProcess() throws Exception {
        Process holder = hold(null);
        try {
            assertEquals("locked", firstLine(holder));
            OutputLock.OutputInUseException refused = assertThrows(OutputLock.OutputInUseException.class,
                    () -> OutputLock.acquire(folder, "calm eval x.yaml"));
            assertTrue(refused.getMessage().startsWith(folder + " is in use by calm process " + holder.pid()
                    + " (calm run held.yaml, since "), refused.getMessage());
            assertTrue(refused.getMessage().endsWith("wait for it to finish, stop it, or give --output another folder"),
                    refused.getMessage());
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLockLeftByAKilledProcessIsTakenOver() throws Exception {
        Process holder = hold(null);
        assertEquals("locked", firstLine(holder));
        holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no clean release
        assertTrue(Files.readString(folder.resolve(OutputLock.FILE)).startsWith(holder.pid() + "\n"));
        try (OutputLock lock = OutputLock.acquire(folder, "calm run again.yaml")) {
            List<String> record = Files.readAllLines(lock.file());
            assertEquals(List.of(String.valueOf(ProcessHandle.current().pid()), "calm run again.yaml"), record.subList(0, 2));
        }
        assertEquals("", Files.readString(folder.resolve(OutputLock.FILE)), "a clean release empties the record");
    }

    @Test
    void aSecondCommandInThisProcessIsRefusedAndTheLockIsFreeAfterClose() throws Exception {
        try (OutputLock lock = OutputLock.acquire(folder, "calm run a.yaml")) {
            OutputLock.OutputInUseException refused = assertThrows(OutputLock.OutputInUseException.class,
                    () -> OutputLock.acquire(folder, "calm run b.yaml"));
            assertTrue(refused.getMessage().contains("calm process " + ProcessHandle.current().pid() + " (calm run a.yaml"),
                    refused.getMessage());
            assertEquals(lock.file().toString(), OutputLock.heldByThisProcess());
        }
        assertEquals("", OutputLock.heldByThisProcess());
        try (OutputLock again = OutputLock.acquire(folder, "calm run b.yaml")) {
            assertTrue(Files.readString(again.file()).contains("calm run b.yaml"));
        }
    }

    @Test
    void aJobStartedByTheHolderWritesUnderItsLock() throws Exception {
        try (OutputLock lock = OutputLock.acquire(folder, "calm run a.yaml")) {
            Process refused = hold(null);
            assertTrue(firstLine(refused).startsWith("refused: " + folder + " is in use by calm process "));
            refused.waitFor(30, TimeUnit.SECONDS);
            Process job = hold(OutputLock.heldByThisProcess());
            try {
                assertEquals("locked", firstLine(job));
            } finally {
                job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts a JVM that takes the folder's lock, with {@value OutputLock#HELD_BY_PARENT} set when not null. */
    private Process hold(String inherited) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldOutputLock.class.getName(), folder.toString());
        builder.environment().remove(OutputLock.HELD_BY_PARENT);
        if (inherited != null) {
            builder.environment().put(OutputLock.HELD_BY_PARENT, inherited);
        }
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return reader.readLine();
    }
}
