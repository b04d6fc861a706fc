package calm.code;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The {@code .java} files of a library: from its sources jar, or from a folder holding them. */
public final class SourceFiles {

    /**
     * One source file.
     *
     * @param name its path inside the jar or folder, with '/' separators
     * @param text its text
     */
    public record SourceFile(String name, String text) {}

    private SourceFiles() {}

    /**
     * @param jarOrFolder a {@code -sources.jar}, or a folder of {@code .java} files at any depth
     * @return every {@code .java} file but {@code package-info.java} and {@code module-info.java},
     *     sorted by name
     * @throws IOException if it cannot be read, or holds no Java source
     */
    public static List<SourceFile> read(Path jarOrFolder) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        if (Files.isDirectory(jarOrFolder)) {
            try (Stream<Path> paths = Files.walk(jarOrFolder)) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    String name = jarOrFolder.relativize(path).toString().replace('\\', '/');
                    if (isSource(name)) {
                        files.add(new SourceFile(name, Files.readString(path, StandardCharsets.UTF_8)));
                    }
                }
            }
        } else {
            try (ZipFile zip = new ZipFile(jarOrFolder.toFile())) {
                for (ZipEntry entry : zip.stream().toList()) {
                    if (!entry.isDirectory() && isSource(entry.getName())) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            files.add(new SourceFile(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                        }
                    }
                }
            } catch (IOException e) {
                throw new IOException(jarOrFolder + ": not a readable sources jar (" + e.getMessage() + ")", e);
            }
        }
        if (files.isEmpty()) {
            throw new IOException(jarOrFolder + ": holds no .java file");
        }
        files.sort(Comparator.comparing(SourceFile::name));
        return files;
    }

    private static boolean isSource(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return file.endsWith(".java") && !file.equals("package-info.java") && !file.equals("module-info.java");
    }
}
