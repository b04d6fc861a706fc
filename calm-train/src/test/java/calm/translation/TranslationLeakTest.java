package calm.translation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No held-out sentence is in any training file, checked on the written files with a check of its own
 * (not the builder's): every sentence of at least 20 characters of the evaluation splits' sources and
 * references, lower-cased with white space collapsed, is looked for in every training file's text.
 */
class TranslationLeakTest {

    private static final int MIN_SENTENCE = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TRAINING_FILES = List.of("pretrain-a.jsonl", "pretrain-b.jsonl",
            "train-composition.jsonl", "validation-composition.jsonl");

    @Test
    void noHeldOutSentenceIsInAnyTrainingFile(@TempDir Path temp) throws Exception {
        TranslationDatasetsTest.buildSample(TranslationDatasetsTest.SAMPLE_SETTINGS, TranslationDatasetsTest.SEED).write(temp);

        Set<String> heldOut = heldOutSentences(temp);
        assertTrue(heldOut.size() >= 20, "the check has something to look for: " + heldOut);
        for (String file : TRAINING_FILES) {
            assertEquals(List.of(), leaks(heldOut, temp.resolve(file)), file);
        }
    }

    @Test
    void heldOutSentencesQuotedInTheCorporaStayOutOfTheTrainingFiles(@TempDir Path temp) throws Exception {
        Path sotu = TranslationDatasetsTest.copyOf(UdhrTest.SAMPLES.resolve("sotu"), temp.resolve("sotu"));
        Path address = sotu.resolve("data/1941_franklin_d_roosevelt_d.txt");
        // Articles 3 and 21 (held out), quoted mid-paragraph in an address m_B reads.
        Files.writeString(address, Files.readString(address).replaceFirst("\\. ", ". Everyone has the right to life, "
                + "liberty and the security of person. Everyone has the right of equal access to public service in his "
                + "country. "));
        Path data = temp.resolve("data");
        TranslationDatasets built = TranslationDatasets.build(TranslationDatasetsTest.SAMPLE_SETTINGS,
                TranslationDatasetsTest.SEED, UdhrTest.UDHR, UdhrTest.SAMPLES.resolve("quran-json"), sotu);
        built.write(data);

        assertEquals(1, built.dropped().leaked(), "the passage quoting both is dropped");

        Set<String> heldOut = heldOutSentences(data);
        for (String file : TRAINING_FILES) {
            assertEquals(List.of(), leaks(heldOut, data.resolve(file)), file);
        }
    }

    @Test
    void theCheckFindsASentenceLeakedIntoATrainingFile(@TempDir Path temp) throws Exception {
        TranslationDatasetsTest.buildSample(TranslationDatasetsTest.SAMPLE_SETTINGS, TranslationDatasetsTest.SEED).write(temp);
        Set<String> heldOut = heldOutSentences(temp);
        JsonNode evalLine = JSON.readTree(Files.readAllLines(temp.resolve("eval.jsonl")).get(0));
        String leaked = sentences(evalLine.get("completion").asText()).get(0);

        Path copy = temp.resolve("pretrain-b-with-leak.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(temp.resolve("pretrain-b.jsonl")));
        ObjectNode injected = JSON.createObjectNode().put("language", "eng").put("article", 1850).put("paragraph", 0)
                .put("prompt", "").put("completion", "Quoting the Declaration:   " + leaked.toUpperCase(Locale.ROOT)
                        + " And so on.");
        lines.add(lines.size() / 2, JSON.writeValueAsString(injected));
        Files.write(copy, lines, StandardCharsets.UTF_8);

        assertEquals(List.of(leaked), leaks(heldOut, copy));
        assertEquals(List.of(), leaks(heldOut, temp.resolve("pretrain-b.jsonl")));
    }

    /** Sentences of the evaluation splits (eval and eval-b), prompts and completions. */
    private static Set<String> heldOutSentences(Path folder) throws IOException {
        Set<String> sentences = new LinkedHashSet<>();
        for (String file : List.of("eval.jsonl", "eval-b.jsonl")) {
            for (String line : Files.readAllLines(folder.resolve(file), StandardCharsets.UTF_8)) {
                JsonNode example = JSON.readTree(line);
                sentences.addAll(sentences(example.get("prompt").asText()));
                sentences.addAll(sentences(example.get("completion").asText()));
            }
        }
        return sentences;
    }

    /** The held-out sentences that occur in a file's prompts or completions. */
    private static List<String> leaks(Set<String> heldOut, Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode example = JSON.readTree(line);
            texts.add(normalise(example.get("prompt").asText()));
            texts.add(normalise(example.get("completion").asText()));
        }
        return heldOut.stream().filter(sentence -> texts.stream().anyMatch(text -> text.contains(sentence))).toList();
    }

    private static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        for (String sentence : normalise(text).split("(?<=[.!?;:])")) {
            if (sentence.strip().length() >= MIN_SENTENCE) {
                sentences.add(sentence.strip());
            }
        }
        return sentences;
    }

    private static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[\\s\\u00a0]+", " ").strip();
    }
}
