package calm.code;

import java.util.regex.Pattern;

/**
 * A Java library on Maven Central, by its coordinates; its {@code -sources.jar} is what the code
 * experiment reads.
 *
 * @param groupId e.g. {@code commons-io}
 * @param artifactId e.g. {@code commons-io}
 * @param version an exact version, e.g. {@code 2.18.0}
 */
public record Library(String groupId, String artifactId, String version) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    /** Checks each part: letters, digits, '_', '.' and '-', not starting with '.' or '-'. */
    public Library {
        for (String[] part : new String[][] {{"groupId", groupId}, {"artifactId", artifactId}, {"version", version}}) {
            if (part[1] == null || !PART.matcher(part[1]).matches()) {
                throw new IllegalArgumentException(part[0] + " must be letters, digits, '_', '.' and '-', got " + part[1]);
            }
        }
    }

    /**
     * @param coordinates {@code GROUP:ARTIFACT:VERSION}, as {@code mvn dependency:copy} takes them
     * @return the library
     * @throws IllegalArgumentException naming the text when it is not three parts of that form
     */
    public static Library parse(String coordinates) {
        String[] parts = coordinates == null ? new String[0] : coordinates.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + coordinates + "' is not Maven coordinates GROUP:ARTIFACT:VERSION, such as "
                    + "commons-io:commons-io:2.18.0");
        }
        try {
            return new Library(parts[0], parts[1], parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + coordinates + "': " + e.getMessage(), e);
        }
    }

    /** @return {@code GROUP:ARTIFACT:VERSION} */
    public String coordinates() {
        return groupId + ":" + artifactId + ":" + version;
    }

    /** @return what {@code mvn dependency:copy -Dartifact=} is given for the sources jar */
    public String sourcesArtifact() {
        return coordinates() + ":jar:sources";
    }

    /** @return the file Maven names the sources jar, {@code ARTIFACT-VERSION-sources.jar} */
    public String jarName() {
        return artifactId + "-" + version + "-sources.jar";
    }

    /** @return {@code ARTIFACT-VERSION}: the folder of its sources in a cache or a samples folder */
    public String folderName() {
        return artifactId + "-" + version;
    }

    @Override
    public String toString() {
        return coordinates();
    }
}
