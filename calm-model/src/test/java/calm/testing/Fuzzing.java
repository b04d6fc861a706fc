package calm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every fuzz target asserts: an input either loads or ends with the project's own named
 * error, an {@link IllegalArgumentException} (a config error, a damaged file) or an I/O error whose
 * message names the file. Any other exception, a hang or an out-of-memory is a finding, which
 * Jazzer saves as a regression input.
 *
 * <p>The campaign (docs/fuzzing.md): {@code scripts/fuzz/campaign.sh}; every build replays the
 * committed inputs ({@code src/test/resources/.../*Inputs/<method>/}).
 */
public final class Fuzzing {

    /** Something that reads a file. */
    @FunctionalInterface
    public interface Load {
        /** Reads it; returns normally when it loads. */
        void run() throws Exception;
    }

    /** Inputs per target in a campaign ({@code JAZZER_FUZZ=1}); every build replays the committed ones only. */
    public static final long CAMPAIGN_INPUTS = 10_000;

    private static Path scratch;

    private Fuzzing() {}

    /** @return a folder for this JVM's fuzz inputs, created once */
    public static synchronized Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("calm-fuzz-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }

    /**
     * Writes the input to {@code name} in a fresh folder of the scratch folder.
     *
     * @return the file written
     */
    public static Path write(String folder, String name, byte[] input) throws IOException {
        Path dir = scratch().resolve(folder);
        if (Files.isDirectory(dir)) {
            try (var listed = Files.list(dir)) {
                for (Path file : listed.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.write(file, input);
        return file;
    }

    /**
     * Runs the load; the input passes when it loads or fails with a named error.
     *
     * @param file the file the load reads, which its error must name
     * @throws AssertionError (the finding) for any other outcome
     */
    @SafeVarargs
    public static void loadsOrNames(Path file, Load load, Class<? extends RuntimeException>... alsoNamed) throws Exception {
        try {
            load.run();
        } catch (IllegalArgumentException | IOException e) {
            requireNamed(file, e);
        } catch (RuntimeException e) {
            for (Class<? extends RuntimeException> named : alsoNamed) {
                if (named.isInstance(e)) {
                    requireNamed(file, e);
                    return;
                }
            }
            throw e;
        }
    }

    private static void requireNamed(Path file, Exception e) {
        String message = String.valueOf(e.getMessage());
        String name = file.getFileName().toString();
        if (!message.contains(name) && !message.contains(file.getParent().getFileName().toString())) {
            throw new AssertionError("the error does not name " + file + ": " + e, e);
        }
    }
}
