package calm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders written all at once: built under a temporary name beside the target, then renamed. */
public final class Folders {

    /** Writes a folder's files. */
    @FunctionalInterface
    public interface Content {
        /** @param staging the empty folder to fill */
        void writeTo(Path staging) throws IOException;
    }

    private Folders() {}

    /**
     * Writes a folder atomically: readers see the old folder or the complete new one. A folder that
     * exists is replaced. The SHA-256 of its files is recorded in it ({@link Checksums}).
     */
    public static void writeAtomically(Path folder, Content content) throws IOException {
        Path parent = folder.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = "." + folder.getFileName();
        deleteLeftovers(parent, entry -> entry.startsWith(name + ".saving-") || entry.startsWith(name + ".old-"));
        Path staging = Files.createTempDirectory(parent, "." + folder.getFileName() + ".saving-");
        try {
            content.writeTo(staging);
            Checksums.record(staging);
            sync(staging);
            replace(folder, staging);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // A stream's error ("No space left on device") names no file: name the folder being written.
            throw named(folder, e);
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * @return the error as a {@link FileSystemException} naming the path, with the error's message
     *     as the reason ({@code runs/x/model-a: No space left on device})
     */
    public static FileSystemException named(Path path, IOException error) {
        FileSystemException named = new FileSystemException(path.toString(), null, "writing it failed: " + error.getMessage());
        named.initCause(error);
        return named;
    }

    /**
     * Puts a complete folder in the place of another by renames: readers see the old folder or the
     * new one (for a moment, neither).
     *
     * @param folder the folder to replace, or to create when it does not exist
     * @param complete the complete new folder, beside it
     */
    public static void replace(Path folder, Path complete) throws IOException {
        Path parent = folder.toAbsolutePath().getParent();
        if (Files.exists(folder)) {
            Path old = Files.createTempDirectory(parent, "." + folder.getFileName() + ".old-");
            Files.delete(old);
            Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(complete, folder, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.move(complete, folder, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Deletes what a write of the same target left when its process was killed (its staging or old
     * folder, its temporary file). One writer holds an output folder ({@link OutputLock}), so none
     * of them is in use.
     *
     * @param parent the target's folder
     * @param leftover whether a name in it is such a leftover
     */
    static void deleteLeftovers(Path parent, java.util.function.Predicate<String> leftover) throws IOException {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path entry : entries.toList()) {
                if (leftover.test(entry.getFileName().toString())) {
                    deleteTree(entry);
                }
            }
        }
    }

    /** Deletes a folder and everything in it; nothing happens when it does not exist. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forces the folder's files to the disk, so that a crash after the rename cannot leave them empty. */
    private static void sync(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
    }
}
