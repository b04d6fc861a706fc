package calm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up part-way through a write, injected: the writer fails as the file system
 * does ({@code FileSystemException: No space left on device}) after writing part of its files. The
 * last complete folder, and every file of a report written together, must stay as they were, with
 * nothing left behind, and the error names the path. docs/evaluation.md records a run on a 3 MiB
 * tmpfs mount.
 */
class FullDiskTest {

    @TempDir
    Path folder;

    @Test
    void aFolderWriteThatFailsPartWayLeavesTheLastCompleteFolder() throws IOException {
        Path saved = folder.resolve("model");
        Folders.writeAtomically(saved, staging -> Files.writeString(staging.resolve("model.safetensors"), "the good weights"));
        // As a stream reports it: an IOException that names no file.
        FileSystemException full = assertThrows(FileSystemException.class, () -> Folders.writeAtomically(saved, staging -> {
            Files.writeString(staging.resolve("config.json"), "{}");
            Files.writeString(staging.resolve("model.safetensors"), "half of the new");
            throw new IOException("No space left on device");
        }));
        assertEquals(saved.toString(), full.getFile());
        assertEquals("writing it failed: No space left on device", full.getReason());
        assertEquals("the good weights", Files.readString(saved.resolve("model.safetensors")));
        assertEquals(null, Checksums.problem(saved));
        try (var listed = Files.list(folder)) {
            assertEquals(List.of(saved), listed.toList(), "no staging folder is left");
        }
    }

    @Test
    void whatAKilledWriteLeftIsRemovedByTheNextWriteOfTheSameTarget() throws IOException {
        Files.createDirectories(folder.resolve(".model.saving-123"));
        Files.writeString(folder.resolve(".model.saving-123").resolve("model.safetensors"), "half");
        Files.createDirectories(folder.resolve(".model.old-456"));
        Files.writeString(folder.resolve(".report.md.0b1c.tmp"), "half");
        Files.writeString(folder.resolve(".other.saving-1"), "another target's");
        Folders.writeAtomically(folder.resolve("model"), staging -> Files.writeString(staging.resolve("config.json"), "{}"));
        AtomicFiles.writeString(folder.resolve("report.md"), "# report");
        try (var listed = Files.list(folder)) {
            assertEquals(List.of(".other.saving-1", "model", "report.md"),
                    listed.map(path -> path.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void filesWrittenTogetherAreAllReplacedOrNoneIs() throws IOException {
        Path a = folder.resolve("results.json");
        Path b = folder.resolve("report.html");
        AtomicFiles.writeAll(Map.of(a, "old results", b, "old report"));
        Map<Path, String> next = new LinkedHashMap<>();
        next.put(a, "new results");
        next.put(b, "x".repeat(64));
        // The second file's folder is a file: its write fails after the first was written under its temporary name.
        next.put(folder.resolve("results.json").resolve("cannot"), "z");
        assertThrows(IOException.class, () -> AtomicFiles.writeAll(next));
        FileSystemException named = assertThrows(FileSystemException.class, () -> AtomicFiles.writeText(a, writer -> {
            writer.write("half");
            throw new IOException("No space left on device");
        }));
        assertEquals(a.toString(), named.getFile());
        assertEquals("old results", Files.readString(a));
        assertEquals("old report", Files.readString(b));
        try (var listed = Files.list(folder)) {
            assertEquals(2, listed.count(), "no temporary file is left");
        }
    }
}
