package calm.code;

import calm.io.Folders;
import calm.io.Sha256;
import calm.translation.CorpusCache;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A local cache of libraries' {@code -sources.jar} files, fetched with the ordinary Maven client
 * ({@code mvn dependency:copy}) and checked against a pinned SHA-256: those of {@value #PINS_RESOURCE},
 * and any a config adds ({@code data.checksums}).
 *
 * <p>Layout: {@code ROOT/maven/ARTIFACT-VERSION-sources.jar}, the corpus cache's root
 * ({@link CorpusCache#defaultRoot()}: {@code ~/.cache/calm/corpora} or {@code $CALM_CORPORA}). A jar
 * is fetched into a staging folder, verified, and moved into place in one step, so a failed fetch
 * leaves nothing behind; a jar in place is verified again each time it is used. Without network, a
 * jar fetched elsewhere can be copied into {@code ROOT/maven}: it is verified like a fetched one.
 */
public final class SourcesCache {

    /** The class-path resource pinning the SHA-256 of each known library's sources jar. */
    public static final String PINS_RESOURCE = "/calm/code/libraries.json";
    /** The system property naming the Maven client to run (default {@code mvn}, found on the PATH). */
    public static final String MVN_PROPERTY = "calm.mvn";
    /** How long one {@code mvn dependency:copy} may run before it is stopped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LogManager.getLogger(SourcesCache.class);
    private static final int OUTPUT_LINES_IN_MESSAGES = 8;

    private final Path folder;
    private final String mvnCommand;
    private final Duration timeout;
    private final Map<String, String> pins;

    /**
     * @param folder the folder the jars are kept in, created when first needed
     * @param mvnCommand the Maven client: {@code mvn}, or a path to it
     * @param timeout how long one fetch may take
     * @param extraPins SHA-256s by coordinates beside the bundled ones (a config's {@code data.checksums})
     */
    public SourcesCache(Path folder, String mvnCommand, Duration timeout, Map<String, String> extraPins) {
        if (mvnCommand == null || mvnCommand.isBlank()) {
            throw new IllegalArgumentException("mvnCommand must name the Maven client, such as mvn, got " + mvnCommand);
        }
        this.folder = folder.toAbsolutePath().normalize();
        this.mvnCommand = mvnCommand;
        this.timeout = timeout;
        Map<String, String> all = new LinkedHashMap<>(bundledPins());
        all.putAll(extraPins);
        this.pins = Map.copyOf(all);
    }

    /**
     * @param extraPins a config's {@code data.checksums}
     * @return the cache under the corpus cache's root, fetching with the client named by {@value #MVN_PROPERTY}
     */
    public static SourcesCache standard(Map<String, String> extraPins) {
        return new SourcesCache(CorpusCache.defaultRoot().resolve("maven"), System.getProperty(MVN_PROPERTY, "mvn"),
                DEFAULT_TIMEOUT, extraPins);
    }

    /** @return the pinned SHA-256s of {@value #PINS_RESOURCE}, by coordinates */
    public static Map<String, String> bundledPins() {
        try (InputStream in = SourcesCache.class.getResourceAsStream(PINS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PINS_RESOURCE + ": resource missing from the class path");
            }
            JsonNode libraries = new ObjectMapper().readTree(in).path("libraries");
            Map<String, String> pins = new LinkedHashMap<>();
            libraries.fields().forEachRemaining(entry -> pins.put(entry.getKey(), entry.getValue().asText()));
            return pins;
        } catch (IOException e) {
            throw new UncheckedIOException(PINS_RESOURCE + ": cannot read", e);
        }
    }

    /** @return the folder the jars are kept in */
    public Path folder() {
        return folder;
    }

    /**
     * The verified sources jar of a library: the cached one, or one fetched with Maven now.
     *
     * @param library the library
     * @return the jar's path in the cache
     * @throws LibraryFetchException if no SHA-256 is pinned for it, Maven cannot be started or fails,
     *     or the jar's checksum differs; the message says how to fix or retry it
     */
    public Path fetch(Library library) throws LibraryFetchException {
        Path jar = folder.resolve(library.jarName());
        String pinned = pins.get(library.coordinates());
        if (Files.isRegularFile(jar)) {
            verify(library, jar, pinned, "the jar in the cache (" + jar + "); delete it and run again to fetch it anew");
            return jar;
        }
        Path staging = null;
        try {
            Files.createDirectories(folder);
            staging = Files.createTempDirectory(folder, "." + library.folderName() + ".fetching-");
            Path fetched = mvnCopy(library, staging);
            verify(library, fetched, pinned, "the jar Maven downloaded; nothing was kept");
            Files.move(fetched, jar, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("{}: verified sources jar stored as {}", library, jar);
            return jar;
        } catch (LibraryFetchException e) {
            throw e;
        } catch (IOException e) {
            throw new LibraryFetchException(library + ": could not store its sources jar in " + folder + " (" + e.getMessage()
                    + "); check that the folder is writable and has room, then run again", e);
        } finally {
            if (staging != null) {
                try {
                    Folders.deleteTree(staging);
                } catch (UncheckedIOException e) {
                    LOG.warn("could not delete the staging folder {}: {}", staging, e.getMessage());
                }
            }
        }
    }

    private Path mvnCopy(Library library, Path staging) throws IOException {
        Path output = staging.resolve("mvn-output.txt");
        Path download = Files.createDirectories(staging.resolve("download"));
        List<String> command = List.of(mvnCommand, "-q", "-B", "dependency:copy", "-Dartifact=" + library.sourcesArtifact(),
                "-DoutputDirectory=" + download);
        LOG.info("{}: running {}", library, String.join(" ", command));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(staging.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new LibraryFetchException(library + ": could not start the Maven client '" + mvnCommand + "' ("
                    + e.getMessage() + "). Install Maven, or fetch the jar on a machine that has it: " + byHand(library), e);
        }
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new LibraryFetchException(library + ": '" + String.join(" ", command) + "' did not finish within "
                        + timeout.toSeconds() + " s. " + retry(library), null);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LibraryFetchException(library + ": interrupted while Maven was fetching it", e);
        }
        if (process.exitValue() != 0) {
            throw new LibraryFetchException(library + ": 'mvn dependency:copy -Dartifact=" + library.sourcesArtifact()
                    + "' failed with exit " + process.exitValue() + ": " + tail(output) + ". " + retry(library), null);
        }
        Path jar = download.resolve(library.jarName());
        if (!Files.isRegularFile(jar)) {
            throw new LibraryFetchException(library + ": Maven finished but wrote no " + library.jarName() + " (output: "
                    + tail(output) + "). " + retry(library), null);
        }
        return jar;
    }

    private void verify(Library library, Path jar, String pinned, String which) throws LibraryFetchException {
        String actual;
        try {
            actual = Sha256.of(jar);
        } catch (IOException e) {
            throw new LibraryFetchException(library + ": cannot read " + jar + " (" + e.getMessage() + ")", e);
        }
        if (pinned == null) {
            throw new LibraryFetchException(library + ": no SHA-256 is pinned for its sources jar (" + PINS_RESOURCE
                    + " pins " + pins.keySet() + "). Its jar has sha256 " + actual + ": check its contents, then pin it in "
                    + "the config: data.checksums: {\"" + library.coordinates() + "\": \"" + actual + "\"}", null);
        }
        if (!pinned.equals(actual)) {
            throw new LibraryFetchException(library + ": checksum mismatch: " + which + " has sha256 " + actual
                    + " but the pinned one is " + pinned + ". If the download was damaged, fetching it again fixes it; if "
                    + "it still differs, the artifact changed: check it before changing the pin.", null);
        }
    }

    private String byHand(Library library) {
        return "mvn dependency:copy -Dartifact=" + library.sourcesArtifact() + " -DoutputDirectory=" + folder
                + " (the next run verifies it)";
    }

    private String retry(Library library) {
        return "Run the command again once the network is back, or fetch the jar by hand: " + byHand(library) + ".";
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? "no output"
                    : String.join(" | ", lines.subList(Math.max(0, lines.size() - OUTPUT_LINES_IN_MESSAGES), lines.size()));
        } catch (IOException e) {
            return "output unreadable: " + e.getMessage();
        }
    }
}
