package calm.translation;

import calm.io.AtomicFiles;
import calm.io.Folders;
import calm.io.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A local cache of corpus packages, fetched with the ordinary {@code npm} client and checked against
 * the SHA-256 pinned in {@link CorpusSource}.
 *
 * <p>Layout: {@code ROOT/NAME-VERSION/package/...} is the unpacked package, {@code ROOT/NAME-VERSION/NAME-VERSION.tgz}
 * the verified archive it came from, and {@code ROOT/NAME-VERSION/}{@value #COMPLETE_MARKER} is written
 * last. The folder is assembled in a staging folder in ROOT and renamed into place in one step, so a
 * folder of that name is always complete, and a failed fetch leaves nothing behind.
 *
 * <p>The default root is {@code ~/.cache/calm/corpora}, or the folder named by the environment variable
 * {@value #ROOT_VARIABLE}. Without network, an archive can be fetched elsewhere with
 * {@code npm pack NAME@VERSION} and copied into the root: the next {@link #fetch} verifies and unpacks
 * it instead of calling npm.
 */
public final class CorpusCache {

    /** The environment variable that overrides the default cache root. */
    public static final String ROOT_VARIABLE = "CALM_CORPORA";
    /** The file, in a source's folder, whose presence means the folder is complete. */
    public static final String COMPLETE_MARKER = ".complete";
    /** How long {@code npm pack} may run before it is stopped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final Logger LOG = LogManager.getLogger(CorpusCache.class);
    private static final int OUTPUT_LINES_IN_MESSAGES = 10;

    private final Path root;
    private final String npmCommand;
    private final Duration timeout;

    /**
     * @param root the cache folder, created when first needed
     * @param npmCommand the npm client to run: {@code npm}, or a path to it
     */
    public CorpusCache(Path root, String npmCommand) {
        this(root, npmCommand, DEFAULT_TIMEOUT);
    }

    /**
     * @param root the cache folder, created when first needed
     * @param npmCommand the npm client to run: {@code npm}, or a path to it
     * @param timeout how long one {@code npm pack} may take
     */
    public CorpusCache(Path root, String npmCommand, Duration timeout) {
        if (npmCommand == null || npmCommand.isBlank()) {
            throw new IllegalArgumentException("npmCommand must name the npm client, such as npm, got " + npmCommand);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.root = root.toAbsolutePath().normalize();
        this.npmCommand = npmCommand;
        this.timeout = timeout;
    }

    /** The system property naming the npm client to run (default {@code npm}, found on the PATH). */
    public static final String NPM_PROPERTY = "calm.npm";
    /** The system property naming the cache folder; it wins over {@value #ROOT_VARIABLE}. */
    public static final String ROOT_PROPERTY = "calm.corpora";

    /**
     * The cache on this machine: {@link #defaultRoot()} and the npm client named by the system
     * property {@value #NPM_PROPERTY}, by default the {@code npm} on the PATH.
     *
     * @return the cache
     */
    public static CorpusCache standard() {
        return new CorpusCache(defaultRoot(), System.getProperty(NPM_PROPERTY, "npm"));
    }

    /**
     * @return the folder named by the system property {@value #ROOT_PROPERTY}, else by the
     *     environment variable {@value #ROOT_VARIABLE}, if set and not blank, else
     *     {@code ~/.cache/calm/corpora}
     */
    public static Path defaultRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String configured = System.getenv(ROOT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "calm", "corpora");
    }

    /** @return the cache folder */
    public Path root() {
        return root;
    }

    /**
     * @param source a source
     * @return whether it is in the cache, complete, so that {@link #fetch} needs no network
     */
    public boolean isCached(CorpusSource source) {
        return Files.isRegularFile(root.resolve(source.folderName()).resolve(COMPLETE_MARKER));
    }

    /**
     * The unpacked package of a source: from the cache if it is there, else fetched with
     * {@code npm pack}, verified against its SHA-256 and unpacked.
     *
     * @param source the source
     * @return the package's folder, {@code ROOT/NAME-VERSION/package}
     * @throws CorpusFetchException if npm cannot be started or fails, the checksum differs, or the
     *     archive cannot be unpacked; the message names the source, the problem and how to retry
     */
    public Path fetch(CorpusSource source) throws CorpusFetchException {
        Path folder = root.resolve(source.folderName());
        if (isCached(source)) {
            return folder.resolve("package");
        }
        if (Files.exists(folder)) {
            // Only a person or another tool makes a folder without the marker: this class renames complete ones into place.
            throw new CorpusFetchException(source, source.spec() + ": " + folder + " exists but has no " + COMPLETE_MARKER
                    + " marker, so it was not made by this cache and may be incomplete; delete it and run again", null);
        }
        Path staging = null;
        try {
            Files.createDirectories(root);
            staging = Files.createTempDirectory(root, "." + source.folderName() + ".fetching-");
            Path byHand = root.resolve(source.archive());
            boolean placedByHand = Files.isRegularFile(byHand);
            Path archive = placedByHand ? copyArchive(source, byHand, staging) : npmPack(source, staging);
            verify(source, archive, placedByHand ? byHand : null);
            Path tree = staging.resolve(source.folderName());
            unpack(source, archive, tree);
            Files.move(archive, tree.resolve(source.archive()));
            AtomicFiles.writeString(tree.resolve(COMPLETE_MARKER), source.sha256() + "  " + source.archive() + "\n");
            moveIntoPlace(source, tree, folder);
            if (placedByHand) {
                Files.delete(byHand);
            }
            LOG.info("{}: verified and unpacked into {}", source.spec(), folder);
            return folder.resolve("package");
        } catch (CorpusFetchException e) {
            throw e;
        } catch (IOException | UncheckedIOException e) {
            throw new CorpusFetchException(source, source.spec() + ": could not store it in " + root + " ("
                    + e.getMessage() + "); check that the folder is writable and has room, then run again", e);
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    /** A copy, in staging, of an archive put in the root by hand; the original goes only once installed. */
    private Path copyArchive(CorpusSource source, Path byHand, Path staging) throws IOException {
        LOG.info("{}: using {} found in the cache folder", source.spec(), byHand);
        Path copy = staging.resolve("download").resolve(source.archive());
        Files.createDirectories(copy.getParent());
        return Files.copy(byHand, copy);
    }

    private Path npmPack(CorpusSource source, Path staging) throws IOException {
        Path download = Files.createDirectories(staging.resolve("download"));
        Path output = staging.resolve("npm-output.txt");
        List<String> command = List.of(npmCommand, "pack", source.spec(), "--pack-destination", download.toString());
        LOG.info("{}: running {}", source.spec(), String.join(" ", command));
        // Output goes to a file, not a pipe: npm's progress output would otherwise fill the pipe and stall it.
        ProcessBuilder builder = new ProcessBuilder(command).directory(staging.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CorpusFetchException(source, source.spec() + ": could not start the npm client '" + npmCommand
                    + "' (" + e.getMessage() + "). Install Node.js with npm, or fetch the archive on a machine that has "
                    + "it: " + byHandCommand(source), e);
        }
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new CorpusFetchException(source, source.spec() + ": '" + String.join(" ", command)
                        + "' did not finish within " + timeout.toSeconds() + " s. " + retry(source), null);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CorpusFetchException(source, source.spec() + ": interrupted while npm pack was running", e);
        }
        if (process.exitValue() != 0) {
            throw new CorpusFetchException(source, source.spec() + ": 'npm pack " + source.spec() + "' failed with exit "
                    + process.exitValue() + ": " + tail(output) + ". " + retry(source), null);
        }
        Path archive = download.resolve(source.archive());
        if (!Files.isRegularFile(archive)) {
            throw new CorpusFetchException(source, source.spec() + ": npm pack finished but wrote " + list(download)
                    + " instead of " + source.archive() + " (npm output: " + tail(output) + "). " + retry(source), null);
        }
        return archive;
    }

    /** @param byHand where the archive was put by hand, or null if npm fetched it */
    private void verify(CorpusSource source, Path archive, Path byHand) throws IOException {
        String actual = Sha256.of(archive);
        if (!actual.equals(source.sha256())) {
            String origin = byHand == null ? "the archive npm downloaded" : byHand + " (put there by hand)";
            throw new CorpusFetchException(source, source.spec() + ": checksum mismatch: " + origin + " has sha256 "
                    + actual + " but " + CorpusSource.SOURCES_RESOURCE + " expects " + source.sha256()
                    + ". Nothing was unpacked. If the download was damaged, fetching it again fixes it: "
                    + (byHand == null ? "run the command again, or " : "delete " + byHand + " and run again, or ")
                    + byHandCommand(source) + ". If it still differs, the package was republished: check its contents "
                    + "before updating " + CorpusSource.SOURCES_RESOURCE + ".", null);
        }
    }

    private void unpack(CorpusSource source, Path archive, Path tree) throws IOException {
        Path base = Files.createDirectories(tree).toAbsolutePath().normalize();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path target = base.resolve(entry.getName()).normalize();
                if (!target.startsWith(base) || target.equals(base)) {
                    throw new CorpusFetchException(source, source.spec() + ": " + source.archive() + " holds the entry '"
                            + entry.getName() + "', which would be written outside its folder; refusing to unpack it",
                            null);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    // npm packs only files and folders; a link could point anywhere.
                    throw new CorpusFetchException(source, source.spec() + ": " + source.archive() + " holds '"
                            + entry.getName() + "', which is neither a file nor a folder; refusing to unpack it", null);
                }
            }
        } catch (CorpusFetchException e) {
            throw e;
        } catch (IOException e) {
            throw new CorpusFetchException(source, source.spec() + ": " + source.archive() + " matches its checksum but is "
                    + "not a readable .tgz (" + e.getMessage() + "); its pinned sha256 in " + CorpusSource.SOURCES_RESOURCE
                    + " is probably wrong; fetch the archive to check it: " + byHandCommand(source) + ".", e);
        }
        if (!Files.isDirectory(base.resolve("package"))) {
            throw new CorpusFetchException(source, source.spec() + ": " + source.archive() + " has no package/ folder, "
                    + "so it is not an npm package archive; fetch it to check it: " + byHandCommand(source) + ".", null);
        }
    }

    private static void moveIntoPlace(CorpusSource source, Path tree, Path folder) throws IOException {
        try {
            Files.move(tree, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Another process fetched the same source meanwhile; its folder is as good as ours.
            if (!Files.isRegularFile(folder.resolve(COMPLETE_MARKER))) {
                throw e;
            }
            LOG.info("{}: fetched by another process meanwhile; using its copy", source.spec());
        }
    }

    private String byHandCommand(CorpusSource source) {
        return "npm pack " + source.spec() + " --pack-destination " + root + " (this writes " + root.resolve(source.archive())
                + ", which the next run verifies and unpacks)";
    }

    private String retry(CorpusSource source) {
        return "Run the command again once the network is back, or fetch the archive on a machine with network: "
                + byHandCommand(source) + ".";
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
            if (lines.isEmpty()) {
                return "no output";
            }
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - OUTPUT_LINES_IN_MESSAGES), lines.size()));
        } catch (IOException e) {
            return "output unreadable: " + e.getMessage();
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteQuietly(Path staging) {
        try {
            Folders.deleteTree(staging);
        } catch (UncheckedIOException e) {
            LOG.warn("could not delete the staging folder {}: {}", staging, e.getMessage());
        }
    }
}
