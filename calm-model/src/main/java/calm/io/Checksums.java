package calm.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file a saved folder holds (its tensors, config, spec and provenance),
 * recorded beside them as {@value #FILE} when the folder is written ({@link Folders#writeAtomically}), in the format
 * {@code sha256sum} prints and {@code sha256sum -c SHA256SUMS} checks. Loading a folder and
 * reusing a saved result check them first, so a file changed or damaged since it was written is
 * named before anything reads it, rather than failing later or, worse, loading as other weights.
 *
 * <p>A folder without {@value #FILE} (written before this record existed, or a Hugging Face
 * folder from elsewhere) is not checked.
 */
public final class Checksums {

    /** The record's file name. */
    public static final String FILE = "SHA256SUMS";

    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](\\S(?:.*\\S)?)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checksums() {}

    /** Records the SHA-256 of every file in the folder (not in its subfolders) in {@value #FILE}. */
    public static void record(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(file -> !file.getFileName().toString().equals(FILE))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (Path file : files) {
            lines.append(Sha256.of(file)).append("  ").append(file.getFileName()).append('\n');
        }
        Files.writeString(folder.resolve(FILE), lines.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Checks every file the folder's {@value #FILE} records.
     *
     * @throws DamagedFileException naming the first file that is missing or whose SHA-256 differs,
     *     and how to make it again
     */
    public static void verify(Path folder) throws IOException {
        String problem = problem(folder);
        if (problem != null) {
            throw new DamagedFileException(problem + retrainHint(folder));
        }
    }

    /**
     * Checks one file against its folder's {@value #FILE}, when the folder records it.
     *
     * @throws DamagedFileException naming the file when its SHA-256 differs, and how to make it again
     */
    public static void verifyFile(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path record = folder.resolve(FILE);
        if (!Files.isRegularFile(record)) {
            return;
        }
        String name = file.getFileName().toString();
        List<String> recorded;
        try {
            recorded = TextFiles.lines(record);
        } catch (IllegalArgumentException e) {
            throw new DamagedFileException(e.getMessage() + " (damaged)" + retrainHint(folder), e);
        }
        for (String line : recorded) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches() && matcher.group(2).equals(name)) {
                String actual = Sha256.of(file);
                if (!actual.equals(matcher.group(1))) {
                    throw new DamagedFileException(changed(file, actual, matcher.group(1), record) + retrainHint(folder));
                }
                return;
            }
        }
    }

    /**
     * @return what is wrong with the first recorded file that is missing or changed, or with the
     *     record itself, naming the file; null when every recorded file matches or nothing is
     *     recorded
     */
    public static String problem(Path folder) throws IOException {
        Path record = folder.resolve(FILE);
        if (!Files.isRegularFile(record)) {
            return null;
        }
        List<String> lines;
        try {
            lines = TextFiles.lines(record);
        } catch (IllegalArgumentException e) {
            return record + ": not text (damaged)";
        }
        List<String[]> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher matcher = LINE.matcher(lines.get(i));
            String name = matcher.matches() ? matcher.group(2) : null;
            if (name == null || name.contains("/") || name.contains("\\") || name.equals("..")) {
                return record + ": line " + (i + 1) + " is not \"<64 hex digits>  <file name>\" (damaged)";
            }
            entries.add(new String[] {matcher.group(1), name});
        }
        if (entries.isEmpty()) {
            return record + ": records no file (damaged)";
        }
        for (String[] entry : entries) {
            Path file = folder.resolve(entry[1]);
            if (!Files.isRegularFile(file)) {
                return file + ": missing (" + record + " records it)";
            }
            String actual = Sha256.of(file);
            if (!actual.equals(entry[0])) {
                return changed(file, actual, entry[0], record);
            }
        }
        return null;
    }

    private static String changed(Path file, String actual, String recorded, Path record) {
        return file + ": its SHA-256 is " + actual + ", not the " + recorded + " recorded in " + record
                + " when it was saved; the file was changed or damaged since";
    }

    /**
     * How to make a damaged folder again, from what its provenance.json records: the command and
     * config that wrote it ({@code calm merge}, {@code calm compose} over model folders, or a job
     * of {@code calm run}); nothing when the folder does not say.
     */
    static String retrainHint(Path folder) {
        Path provenance = folder.resolve(ModelFolder.PROVENANCE);
        try {
            JsonNode saved = JSON.readTree(provenance.toFile());
            String job = saved.path("job").asText("");
            String config = saved.path("configSource").asText("");
            if (job.isEmpty() || config.isEmpty() || config.startsWith("classpath:")) {
                return "";
            }
            if (saved.has("mergeMethod")) {
                return "; make it again with: calm merge " + config + " --output " + folder + " --overwrite";
            }
            if (saved.path("models").isObject()) {
                return "; make it again with: calm compose " + config;
            }
            String output = saved.path("config").path("output").asText("");
            return "; make it again with: calm run " + config + (output.isEmpty() ? "" : " --output " + output)
                    + " --retrain=" + job;
        } catch (IOException e) {
            return ""; // no readable provenance: nothing to suggest beyond the message itself
        }
    }
}
