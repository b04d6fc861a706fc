package calm.train;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a trained model came from, saved beside it as {@code provenance.json}: the job, the
 * configuration and its SHA-256, the seed, the git commit of the code, the library versions and
 * the engine's intra-op threads (which order float sums, so a rerun with another count differs in
 * its last bits).
 * With these, any number in a report can be traced to the run that made it and re-run.
 */
public final class Provenance {

    private static String gitCommit;

    private Provenance() {}

    /**
     * @param job what made the model, e.g. {@code pretrain-a}
     * @param configSource where the configuration was read from (a path, or a resource name)
     * @param configText the configuration's exact text, which the SHA-256 is taken of
     * @param config the parsed configuration, with every default filled in
     * @param seed the training seed
     * @return the provenance, in a stable key order
     */
    public static Map<String, Object> of(String job, String configSource, String configText, Object config, long seed) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("job", job);
        provenance.put("configSource", configSource);
        provenance.put("configSha256", sha256(configText));
        provenance.put("seed", seed);
        provenance.put("gitCommit", gitCommit());
        provenance.put("versions", versions());
        provenance.put("threads", Threads.intraOp());
        provenance.put("createdAt", Instant.now().toString());
        provenance.put("config", config);
        return provenance;
    }

    /** @return the library versions: DJL, the engine (PyTorch) and Java */
    public static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("djl", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        versions.put(engine.getEngineName().toLowerCase(Locale.ROOT), engine.getVersion());
        versions.put("java", System.getProperty("java.version"));
        return versions;
    }

    /** @return the lowercase hexadecimal SHA-256 of the text's UTF-8 bytes */
    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** @return {@code git rev-parse HEAD} in the working directory, or "unknown" */
    public static synchronized String gitCommit() {
        if (gitCommit == null) {
            gitCommit = runGit();
        }
        return gitCommit;
    }

    private static String runGit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return "unknown";
            }
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
