package calm.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The sources cache, offline: a fake mvn written as a shell script stands in for the real client. */
@DisabledOnOs(OS.WINDOWS)
class SourcesCacheTest {

    private static final Library LIBRARY = Library.parse("org.example:fake-lib:1.0");
    private static final String SOURCE = "package x;\n/** Adds one. */\nclass A { int f(int a) { return a + 1; } }\n";

    @TempDir
    Path temp;
    private Path folder;
    private Path calls;
    private Path jar;

    @BeforeEach
    void jar() throws IOException {
        folder = temp.resolve("cache");
        calls = temp.resolve("mvn-calls.txt");
        jar = temp.resolve("built.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("x/A.java"));
            zip.write(SOURCE.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }

    @Test
    void fetchStoresAVerifiedJarAndReusesItWithoutMaven() throws Exception {
        SourcesCache cache = cache(copyingMvn(), Map.of(LIBRARY.coordinates(), sha256(jar)));

        Path fetched = cache.fetch(LIBRARY);

        assertEquals(folder.resolve("fake-lib-1.0-sources.jar"), fetched);
        assertEquals(sha256(jar), sha256(fetched));
        assertEquals(List.of("fake-lib-1.0-sources.jar"), list(folder), "no staging folder is left behind");
        assertEquals(List.of("-q -B dependency:copy -Dartifact=org.example:fake-lib:1.0:jar:sources"),
                Files.readAllLines(calls).stream().map(line -> line.substring(0, line.indexOf(" -DoutputDirectory="))).toList());
        assertEquals(fetched, cache.fetch(LIBRARY));
        assertEquals(1, Files.readAllLines(calls).size(), "a cached jar needs no Maven");
        assertEquals(SOURCE, SourceFiles.read(fetched).get(0).text());
    }

    @Test
    void mavenFailureNamesTheLibraryItsOutputAndTheRetryCommandAndLeavesNothing() throws Exception {
        Path mvn = script("echo \"$@\" >> '" + calls + "'\necho '[ERROR] Could not transfer artifact: Network is unreachable'\n"
                + "exit 1\n");
        SourcesCache cache = cache(mvn, Map.of(LIBRARY.coordinates(), sha256(jar)));

        LibraryFetchException e = assertThrows(LibraryFetchException.class, () -> cache.fetch(LIBRARY));

        assertTrue(e.getMessage().startsWith("org.example:fake-lib:1.0: 'mvn dependency:copy "
                + "-Dartifact=org.example:fake-lib:1.0:jar:sources' failed with exit 1: [ERROR] Could not transfer artifact: "
                + "Network is unreachable. Run the command again once the network is back"), e.getMessage());
        assertTrue(e.getMessage().contains("-DoutputDirectory=" + folder), e.getMessage());
        assertEquals(List.of(), list(folder));
    }

    @Test
    void aChecksumMismatchKeepsNothingAndSaysWhatDiffers() throws Exception {
        SourcesCache cache = cache(copyingMvn(), Map.of(LIBRARY.coordinates(), "0".repeat(64)));

        LibraryFetchException e = assertThrows(LibraryFetchException.class, () -> cache.fetch(LIBRARY));

        assertEquals("org.example:fake-lib:1.0: checksum mismatch: the jar Maven downloaded; nothing was kept has sha256 "
                + sha256(jar) + " but the pinned one is " + "0".repeat(64) + ". If the download was damaged, fetching it "
                + "again fixes it; if it still differs, the artifact changed: check it before changing the pin.", e.getMessage());
        assertEquals(List.of(), list(folder));
    }

    @Test
    void aLibraryWithoutAPinIsRefusedWithTheChecksumToPinAfterChecking() throws Exception {
        SourcesCache cache = cache(copyingMvn(), Map.of());

        LibraryFetchException e = assertThrows(LibraryFetchException.class, () -> cache.fetch(LIBRARY));

        assertTrue(e.getMessage().startsWith("org.example:fake-lib:1.0: no SHA-256 is pinned for its sources jar"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Its jar has sha256 " + sha256(jar) + ": check its contents, then pin it in the "
                + "config: data.checksums: {\"org.example:fake-lib:1.0\": \"" + sha256(jar) + "\"}"), e.getMessage());
        assertEquals(List.of(), list(folder));
    }

    @Test
    void aDamagedJarInTheCacheIsRefusedWithHowToFetchItAnew() throws Exception {
        SourcesCache cache = cache(copyingMvn(), Map.of(LIBRARY.coordinates(), sha256(jar)));
        Path cached = cache.fetch(LIBRARY);
        Files.write(cached, new byte[] {1, 2, 3});

        LibraryFetchException e = assertThrows(LibraryFetchException.class, () -> cache.fetch(LIBRARY));

        assertTrue(e.getMessage().contains("checksum mismatch: the jar in the cache (" + cached + "); delete it and run "
                + "again to fetch it anew has sha256"), e.getMessage());
    }

    @Test
    void aMissingMavenClientSaysHowToFetchTheJarByHand() {
        SourcesCache cache = cache(temp.resolve("no-such-mvn"), Map.of(LIBRARY.coordinates(), "0".repeat(64)));

        LibraryFetchException e = assertThrows(LibraryFetchException.class, () -> cache.fetch(LIBRARY));

        assertTrue(e.getMessage().startsWith("org.example:fake-lib:1.0: could not start the Maven client '"
                + temp.resolve("no-such-mvn") + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("Install Maven, or fetch the jar on a machine that has it: mvn dependency:copy "
                + "-Dartifact=org.example:fake-lib:1.0:jar:sources -DoutputDirectory=" + folder), e.getMessage());
    }

    @Test
    void theBundledPinsCoverTheShippedConfigsLibraries() {
        Map<String, String> pins = SourcesCache.bundledPins();
        CodeDataConfig shipped = CodeDataConfig.defaults();
        for (String library : shipped.libraries()) {
            assertTrue(pins.get(library).matches("[0-9a-f]{64}"), library);
        }
        assertTrue(pins.get(shipped.evalLibrary()).matches("[0-9a-f]{64}"));
    }

    private SourcesCache cache(Path mvn, Map<String, String> pins) {
        return new SourcesCache(folder, mvn.toString(), Duration.ofSeconds(30), pins);
    }

    /** A fake mvn that records its arguments and copies the built jar where -DoutputDirectory says. */
    private Path copyingMvn() throws IOException {
        return script("echo \"$@\" >> '" + calls + "'\nfor a in \"$@\"; do case $a in -DoutputDirectory=*) "
                + "out=${a#-DoutputDirectory=};; esac; done\ncp '" + jar + "' \"$out/fake-lib-1.0-sources.jar\"\n");
    }

    private Path script(String body) throws IOException {
        Path file = temp.resolve("mvn-" + System.nanoTime() + ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<String> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
