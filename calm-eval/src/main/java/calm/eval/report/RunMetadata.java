package calm.eval.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a report's numbers came from, so that any of them can be traced and re-run.
 *
 * @param experiment the experiment's name, e.g. {@code "kv-arithmetic-calm"}
 * @param configPath the experiment configuration's path as it was given
 * @param configSha256 the SHA-256 of the configuration file's bytes, 64 lower-case hex digits
 * @param seed the experiment's random seed
 * @param gitCommit the source commit, e.g. a full hash, with {@code "-dirty"} appended for
 *     uncommitted changes
 * @param libraryVersions library name to version, e.g. {@code "djl" -> "0.35.1"}
 * @param machine a description of the machine: OS, architecture, cores, Java, accelerator
 * @param phaseSeconds wall time of each phase in seconds, in the order the phases ran, e.g.
 *     {@code "train" -> 812.4}
 */
public record RunMetadata(String experiment, String configPath, String configSha256, long seed,
        String gitCommit, Map<String, String> libraryVersions, String machine,
        Map<String, Double> phaseSeconds) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Validates every field; the maps keep their order. */
    public RunMetadata {
        FieldChecks.text("experiment", experiment);
        FieldChecks.text("configPath", configPath);
        if (configSha256 == null || !SHA256.matcher(configSha256).matches()) {
            throw new InvalidFieldException("configSha256",
                    "must be 64 lower-case hex digits, got " + quoted(configSha256));
        }
        FieldChecks.text("gitCommit", gitCommit);
        libraryVersions = FieldChecks.map("libraryVersions", libraryVersions);
        FieldChecks.text("machine", machine);
        phaseSeconds = FieldChecks.map("phaseSeconds", phaseSeconds);
        phaseSeconds.forEach((phase, seconds) -> {
            if (!(seconds >= 0 && Double.isFinite(seconds))) {
                throw new InvalidFieldException("phaseSeconds." + phase,
                        "must be a finite number >= 0, got " + seconds);
            }
        });
    }

    /**
     * Hashes a configuration file.
     *
     * @param file the file
     * @return its SHA-256 as 64 lower-case hex digits
     */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Describes the machine this JVM runs on.
     *
     * @return e.g. {@code "Linux 6.1 amd64, 2 cores, Java 17.0.15 (Debian), max heap 6.0 GiB"}
     */
    public static String describeMachine() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%s %s %s, %d cores, Java %s (%s), max heap %.1f GiB",
                System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), runtime.availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vendor"),
                runtime.maxMemory() / (double) (1L << 30));
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
