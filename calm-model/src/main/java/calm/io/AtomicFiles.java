package calm.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Text files written all at once: into a temporary file beside the target, forced to the disk, then
 * renamed over it, so that a reader (or a restart after a crash) sees the old file or the complete
 * new one. {@link Folders} does the same for folders.
 */
public final class AtomicFiles {

    /** Writes a file's text. */
    @FunctionalInterface
    public interface Body {
        /** @param writer the temporary file, UTF-8 */
        void writeTo(Writer writer) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes or replaces a UTF-8 text file atomically.
     *
     * @param target the file
     * @param body what it holds
     */
    public static void writeText(Path target, Body body) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        String leftover = "." + target.getFileName() + ".";
        Folders.deleteLeftovers(folder, name -> name.startsWith(leftover) && name.endsWith(".tmp"));
        // Not Files.createTempFile: its owner-only permissions would carry over to the final file.
        Path temporary = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(writer);
            }
            // Without this the rename can reach the disk before the data, leaving an empty file after a crash.
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw Folders.named(target, e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Writes or replaces several UTF-8 text files, each atomically, and none unless all were
     * written: every file is written and forced to disk under a temporary name first, and only then
     * renamed into place (a rename takes no space). A disk that fills up part-way leaves every
     * target as it was.
     *
     * @param contents each target file and its whole text, renamed in this order
     */
    public static void writeAll(Map<Path, String> contents) throws IOException {
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, String> entry : contents.entrySet()) {
                Path folder = entry.getKey().toAbsolutePath().getParent();
                Files.createDirectories(folder);
                String leftover = "." + entry.getKey().getFileName() + ".";
                Folders.deleteLeftovers(folder, name -> name.startsWith(leftover) && name.endsWith(".tmp"));
                Path temporary = folder.resolve("." + entry.getKey().getFileName() + "." + UUID.randomUUID() + ".tmp");
                temporaries.put(entry.getKey(), temporary);
                try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    writer.write(entry.getValue());
                }
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            for (Map.Entry<Path, Path> entry : temporaries.entrySet()) {
                Files.move(entry.getValue(), entry.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw Folders.named(temporaries.isEmpty() ? contents.keySet().iterator().next()
                    : List.copyOf(temporaries.keySet()).get(temporaries.size() - 1), e);
        } finally {
            for (Path temporary : temporaries.values()) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Writes or replaces a UTF-8 text file atomically.
     *
     * @param target the file
     * @param content its whole text
     */
    public static void writeString(Path target, String content) throws IOException {
        writeText(target, writer -> writer.write(content));
    }
}
