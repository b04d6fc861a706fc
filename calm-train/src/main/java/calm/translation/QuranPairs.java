package calm.translation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Spanish-English verse pairs from the {@code quran-json} npm package: {@code dist/quran_es.json}
 * and {@code dist/quran_en.json}, each an array of chapters {@code {"id", "verses": [{"id", "text",
 * "translation"}]}}. The {@code translation} fields are aligned by chapter and verse id; the Arabic
 * {@code text} is not used.
 */
public final class QuranPairs {

    /** The Spanish file, relative to the package folder. */
    public static final String SPANISH_FILE = "dist/quran_es.json";
    /** The English file, relative to the package folder. */
    public static final String ENGLISH_FILE = "dist/quran_en.json";

    private static final Logger LOG = LogManager.getLogger(QuranPairs.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One verse in both languages, white space collapsed.
     *
     * @param chapter the chapter id
     * @param verse the verse id within the chapter
     * @param spanish the Spanish translation
     * @param english the English translation
     */
    public record VersePair(int chapter, int verse, String spanish, String english) {
    }

    private QuranPairs() {
    }

    /**
     * Reads the pairs of an unpacked package. A verse that is missing, or empty, in either language
     * is left out (and counted in the log).
     *
     * @param quranPackage the package folder, holding {@value #SPANISH_FILE} and {@value #ENGLISH_FILE}
     * @return the pairs in the Spanish file's order
     * @throws IllegalArgumentException naming the file and the chapter if a file is missing or not of
     *     the expected shape
     */
    public static List<VersePair> read(Path quranPackage) throws IOException {
        Map<String, String> spanish = translations(quranPackage.resolve(SPANISH_FILE));
        Map<String, String> english = translations(quranPackage.resolve(ENGLISH_FILE));
        List<VersePair> pairs = new ArrayList<>();
        spanish.forEach((key, text) -> {
            String other = english.get(key);
            if (other != null && !text.isEmpty() && !other.isEmpty()) {
                String[] ids = key.split(":");
                pairs.add(new VersePair(Integer.parseInt(ids[0]), Integer.parseInt(ids[1]), text, other));
            }
        });
        int unmatched = spanish.size() + english.size() - 2 * pairs.size();
        if (unmatched > 0) {
            LOG.info("{}: {} verses lack a translation in the other language and are left out", quranPackage, unmatched);
        }
        return pairs;
    }

    /** Each verse's translation by "chapter:verse", in file order. */
    private static Map<String, String> translations(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file (expected the quran-json package folder, holding "
                    + SPANISH_FILE + " and " + ENGLISH_FILE + ")");
        }
        JsonNode chapters;
        try {
            chapters = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (chapters == null || !chapters.isArray()) {
            throw new IllegalArgumentException(file + ": expected an array of chapters {\"id\", \"verses\": [...]}");
        }
        Map<String, String> translations = new LinkedHashMap<>();
        for (int i = 0; i < chapters.size(); i++) {
            JsonNode chapter = chapters.get(i);
            JsonNode verses = chapter.get("verses");
            if (!chapter.path("id").canConvertToInt() || verses == null || !verses.isArray()) {
                throw new IllegalArgumentException(file + ": chapter " + (i + 1) + " must have an integer \"id\" and a "
                        + "\"verses\" array, got " + abbreviate(chapter));
            }
            for (JsonNode verse : verses) {
                if (!verse.path("id").canConvertToInt() || !verse.path("translation").isTextual()) {
                    throw new IllegalArgumentException(file + ": chapter " + chapter.get("id").asInt() + ": each verse "
                            + "must have an integer \"id\" and a text \"translation\", got " + abbreviate(verse));
                }
                String key = chapter.get("id").asInt() + ":" + verse.get("id").asInt();
                if (translations.put(key, Whitespace.collapse(verse.get("translation").textValue())) != null) {
                    throw new IllegalArgumentException(file + ": verse " + key + " appears twice");
                }
            }
        }
        return translations;
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
