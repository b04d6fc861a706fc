package calm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One output folder, one writer: a {@code calm} command that writes into a folder holds an
 * operating-system lock on its {@value #FILE} for as long as it runs, and writes its process id
 * and command line there. A second command on the same folder refuses, naming the folder and the
 * running process, instead of interleaving its writes with the first one's.
 *
 * <p>The operating system releases the lock when the process ends, however it ends, so a lock left
 * by a killed job is free: the next command takes it over and says whose it was. The file itself is
 * kept (emptied on a clean release): deleting a lock file lets two processes lock two files of the
 * same name.
 *
 * <p>The jobs that {@code calm run} starts side by side write into its folder under its lock: it
 * names the lock file in their environment ({@value #HELD_BY_PARENT}).
 */
public final class OutputLock implements AutoCloseable {

    /** The lock file's name inside the output folder. */
    public static final String FILE = ".calm.lock";
    /** The environment variable through which a process passes its lock to the jobs it starts. */
    public static final String HELD_BY_PARENT = "CALM_OUTPUT_LOCK";

    private static final Logger LOG = LogManager.getLogger(OutputLock.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** The lock files this process holds. */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder's lock, creating the folder if needed.
     *
     * @param folder the output folder
     * @param command what holds it, for the message another command prints, e.g. {@code calm run configs/x.yaml}
     * @throws OutputInUseException when another process (or another command of this one) holds it
     */
    public static OutputLock acquire(Path folder, String command) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.toAbsolutePath().normalize().resolve(FILE);
        String inherited = System.getenv(HELD_BY_PARENT);
        if (inherited != null && !inherited.isEmpty() && java.util.Arrays.stream(inherited.split(java.io.File.pathSeparator))
                .map(held -> Path.of(held).toAbsolutePath().normalize()).anyMatch(file::equals)) {
            return new OutputLock(file, null, null); // the calm run that started this job holds it
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process holds it already, through another command
            }
            String holder = read(channel);
            if (lock == null) {
                throw new OutputInUseException(folder + " is in use by " + describe(holder)
                        + ": one calm command writes into an output folder at a time; wait for it to finish, stop it, "
                        + "or give --output another folder");
            }
            if (!holder.isBlank()) {
                LOG.warn("{}: taking over the lock of {}, which ended without releasing it (killed?)", folder,
                        describe(holder));
            }
            String record = ProcessHandle.current().pid() + "\n" + command + "\n" + Instant.now() + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            HELD.add(file);
            return new OutputLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the lock file */
    public Path file() {
        return file;
    }

    /**
     * @return the value of {@value #HELD_BY_PARENT} that lets a process this one starts write where
     *     this one holds the lock: the lock files, separated as in a path list; empty when none
     */
    public static String heldByThisProcess() {
        return String.join(java.io.File.pathSeparator, HELD.stream().map(Path::toString).sorted().toList());
    }

    /** Empties the lock file and releases the lock. */
    @Override
    public void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            HELD.remove(file);
            channel.close();
        }
    }

    private static String read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 4096);
        ByteBuffer bytes = ByteBuffer.allocate((int) size);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
            // read on
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    }

    /** "calm process 1234 (calm run configs/x.yaml, since 2026-12-07 19:20:01)", from the record. */
    private static String describe(String record) {
        List<String> lines = record.lines().toList();
        if (lines.isEmpty() || !lines.get(0).matches("\\d{1,19}")) {
            return "another calm process";
        }
        String what = lines.size() > 1 ? lines.get(1) : "calm";
        String since = "";
        if (lines.size() > 2) {
            try {
                since = ", since " + TIME.format(Instant.parse(lines.get(2)));
            } catch (java.time.format.DateTimeParseException e) {
                since = "";
            }
        }
        return "calm process " + lines.get(0) + " (" + what + since + ")";
    }

    /** Another command holds an output folder's lock. */
    public static final class OutputInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        OutputInUseException(String message) {
            super(message);
        }
    }
}
