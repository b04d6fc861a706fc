package calm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteVocabularyTest {

    private final ByteVocabulary vocabulary = ByteVocabulary.utf8();

    @Test
    void idsAreUtf8BytesAfterTheSpecialTokens() {
        // 'A' is 0x41; 'é' is 0xC3 0xA9 in UTF-8; 'ŵ' (Welsh) is 0xC5 0xB5.
        assertArrayEquals(new int[] {4 + 0x41, 4 + 0xC3, 4 + 0xA9, 4 + 0xC5, 4 + 0xB5}, vocabulary.encode("Aéŵ"));
        assertEquals(260, vocabulary.size());
        assertEquals(4 + '=', vocabulary.id("="));
    }

    @Test
    void decodingRoundTripsEveryScriptAndNamesSpecialTokens() {
        String text = "Ynys Môn · Ἀθῆναι · ሰላም · 東京";
        assertEquals(text, vocabulary.decode(vocabulary.encode(text)));
        int[] ids = vocabulary.encode("ab");
        assertEquals("<bos>ab<eos>", vocabulary.decode(new int[] {CharVocabulary.BOS, ids[0], ids[1], CharVocabulary.EOS}));
    }

    @Test
    void aBrokenByteSequenceDecodesToTheReplacementCharacter() {
        int[] ids = vocabulary.encode("é");
        assertEquals("\uFFFD", vocabulary.decode(new int[] {ids[0]}), "a lone lead byte");
        assertThrows(IllegalArgumentException.class, () -> vocabulary.decode(new int[] {260}));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.id("é"));
    }
}
