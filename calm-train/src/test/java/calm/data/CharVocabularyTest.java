package calm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CharVocabularyTest {

    private final CharVocabulary vocabulary = CharVocabulary.standard();

    @Test
    void idsAreTheFixedContract() {
        assertEquals(44, vocabulary.size());
        assertEquals(0, CharVocabulary.PAD);
        assertEquals(1, CharVocabulary.BOS);
        assertEquals(2, CharVocabulary.EOS);
        assertEquals(3, CharVocabulary.SEP);
        assertEquals(4, vocabulary.id(' '));
        assertEquals(5, vocabulary.id('+'));
        assertEquals(6, vocabulary.id('-'));
        assertEquals(7, vocabulary.id('='));
        assertEquals(8, vocabulary.id('0'));
        assertEquals(17, vocabulary.id('9'));
        assertEquals(18, vocabulary.id('a'));
        assertEquals(43, vocabulary.id('z'));
        assertEquals("<eos>", vocabulary.token(CharVocabulary.EOS));
        assertEquals("q", vocabulary.token(34));
    }

    @Test
    void encodeThenDecodeGivesTheTextBack() {
        String text = "ab+cde-fg=10+22-24=8 xyz";
        int[] ids = vocabulary.encode(text);
        assertArrayEquals(new int[] {18, 19, 5, 20, 21, 22, 6, 23, 24, 7, 9, 8, 5, 10, 10, 6, 10, 12, 7, 16, 4, 41, 42, 43},
                ids);
        assertEquals(text, vocabulary.decode(ids));
        String every = " +-=0123456789abcdefghijklmnopqrstuvwxyz";
        assertEquals(every, vocabulary.decode(vocabulary.encode(every)));
    }

    @Test
    void unknownCharacterErrorNamesTheCharacterAndItsPosition() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> vocabulary.encode("ab+Cd"));
        assertEquals("unknown character 'C' (U+0043) at position 3 of \"ab+Cd\"; the vocabulary has "
                + "' ', '+', '-', '=', 0-9 and a-z", error.getMessage());
        IllegalArgumentException tab = assertThrows(IllegalArgumentException.class, () -> vocabulary.encode("1\t2"));
        assertTrue(tab.getMessage().startsWith("unknown character (U+0009) at position 1"), tab.getMessage());
        IllegalArgumentException times = assertThrows(IllegalArgumentException.class, () -> vocabulary.encode("2×3"));
        assertTrue(times.getMessage().startsWith("unknown character '×' (U+00D7) at position 1"), times.getMessage());
    }

    @Test
    void decodeRejectsSpecialTokensAndUnknownIds() {
        IllegalArgumentException special = assertThrows(IllegalArgumentException.class,
                () -> vocabulary.decode(new int[] {18, CharVocabulary.EOS}));
        assertTrue(special.getMessage().contains("<eos> (id 2) at position 1"), special.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> vocabulary.decode(new int[] {44}));
        assertTrue(outside.getMessage().contains("id 44 at position 0"), outside.getMessage());
    }
}
