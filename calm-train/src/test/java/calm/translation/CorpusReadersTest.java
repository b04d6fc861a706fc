package calm.translation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Qur'an verse pairs and the State of the Union prose, read from the committed samples. */
class CorpusReadersTest {

    private static final Path QURAN = UdhrTest.SAMPLES.resolve("quran-json");
    private static final Path SOTU = UdhrTest.SAMPLES.resolve("sotu");

    @Test
    void versePairsComeFromBothTranslationFields() throws Exception {
        List<QuranPairs.VersePair> pairs = QuranPairs.read(QURAN);

        assertEquals(16, pairs.size());
        assertEquals(new QuranPairs.VersePair(1, 1, "El río baja tranquilo entre las colinas verdes.",
                "The river runs quietly between the green hills."), pairs.get(0));
        assertEquals(new QuranPairs.VersePair(3, 5, "De noche el cielo se llena de estrellas.",
                "At night the sky fills with stars."), pairs.get(15));
    }

    @Test
    void versesAreAlignedByIdsNotByPosition(@TempDir Path temp) throws Exception {
        Files.createDirectories(temp.resolve("dist"));
        Files.writeString(temp.resolve(QuranPairs.SPANISH_FILE), """
                [{"id": 1, "verses": [{"id": 1, "translation": "uno"}, {"id": 2, "translation": " dos\\n tres "}]},
                 {"id": 2, "verses": [{"id": 1, "translation": "cuatro"}]}]
                """);
        Files.writeString(temp.resolve(QuranPairs.ENGLISH_FILE), """
                [{"id": 2, "verses": [{"id": 1, "translation": "four"}]},
                 {"id": 1, "verses": [{"id": 2, "translation": "two three"}]}]
                """);

        assertEquals(List.of(new QuranPairs.VersePair(1, 2, "dos tres", "two three"),
                new QuranPairs.VersePair(2, 1, "cuatro", "four")), QuranPairs.read(temp));
    }

    @Test
    void malformedVerseFileIsNamed(@TempDir Path temp) throws Exception {
        Files.createDirectories(temp.resolve("dist"));
        Files.writeString(temp.resolve(QuranPairs.SPANISH_FILE), "[{\"id\": 1, \"verses\": [{\"id\": 1}]}]");
        Files.writeString(temp.resolve(QuranPairs.ENGLISH_FILE), "[]");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuranPairs.read(temp));

        assertTrue(e.getMessage().contains("quran_es.json: chapter 1: each verse must have an integer \"id\" and a text "
                + "\"translation\""), e.getMessage());
    }

    @Test
    void eachAddressWithoutBlankLinesIsOneParagraph() throws Exception {
        List<SotuProse.Paragraph> paragraphs = SotuProse.read(SOTU);

        assertEquals(2, paragraphs.size());
        assertEquals(new SotuProse.Paragraph("1790_george_washington_n", 1790, 0, paragraphs.get(0).text()),
                paragraphs.get(0));
        assertTrue(paragraphs.get(0).text().startsWith("Fellow-Citizens of the Senate and House of Representatives: "));
        assertEquals(1941, paragraphs.get(1).year());
    }

    @Test
    void blankLinesSeparateParagraphs(@TempDir Path temp) throws Exception {
        Files.createDirectories(temp.resolve("data"));
        Files.writeString(temp.resolve("data/1801_someone_n.txt"), "First  paragraph,\nstill first.\n\nSecond.\n \t\n\nThird.");
        Files.writeString(temp.resolve("data/notes.txt"), "not an address");

        assertEquals(List.of("First paragraph, still first.", "Second.", "Third."),
                SotuProse.read(temp).stream().map(SotuProse.Paragraph::text).toList());
    }

    @Test
    void passagesAreWholeSentencesWithinTheBudget() throws Exception {
        String address = SotuProse.read(SOTU).get(0).text();

        List<String> passages = SotuProse.passages(address, 600);

        assertTrue(passages.size() >= 5, passages.toString());
        assertEquals(address, String.join(" ", passages), "nothing is lost or added");
        for (String passage : passages) {
            assertTrue(passage.getBytes(StandardCharsets.UTF_8).length <= 600, passage);
            assertTrue(passage.endsWith("."), "ends at a sentence end: " + passage);
        }
        assertEquals(List.of(address), SotuProse.passages(address, 100_000));
        assertEquals(List.of("A long sentence here.", "Short."), SotuProse.passages("A long sentence here. Short.", 10),
                "a sentence over the budget stays whole, for the caller to drop");
    }
}
