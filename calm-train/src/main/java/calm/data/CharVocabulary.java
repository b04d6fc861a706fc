package calm.data;

import java.util.Arrays;

/**
 * The fixed character-level vocabulary of the key-value arithmetic tasks.
 *
 * <p>Ids are a contract with every checkpoint trained on these tasks, so they never change:
 * {@code PAD=0, BOS=1, EOS=2, SEP=3}, then space, {@code '+'}, {@code '-'}, {@code '='}, the digits
 * {@code 0-9} and the letters {@code a-z}, in that order (44 ids).
 */
public final class CharVocabulary implements Vocabulary {

    /** Padding; id 0 so that zero-filled batches are all padding. */
    public static final int PAD = 0;
    /** Beginning of a sequence. */
    public static final int BOS = 1;
    /** End of a sequence; generation stops here. */
    public static final int EOS = 2;
    /** Separator, reserved for formats whose prompt does not end in {@code '='}. */
    public static final int SEP = 3;

    private static final String[] SPECIAL_TOKENS = {"<pad>", "<bos>", "<eos>", "<sep>"};
    private static final String CHARACTERS = " +-=0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String DESCRIPTION = "' ', '+', '-', '=', 0-9 and a-z";
    private static final int MAX_QUOTED_TEXT = 80;
    private static final CharVocabulary STANDARD = new CharVocabulary();

    private final int[] idOfChar = new int[128];

    private CharVocabulary() {
        Arrays.fill(idOfChar, -1);
        for (int i = 0; i < CHARACTERS.length(); i++) {
            idOfChar[CHARACTERS.charAt(i)] = SPECIAL_TOKENS.length + i;
        }
    }

    /**
     * Returns the vocabulary.
     *
     * @return the one instance
     */
    public static CharVocabulary standard() {
        return STANDARD;
    }

    /**
     * Returns the number of ids, special tokens included.
     *
     * @return 44
     */
    public int size() {
        return SPECIAL_TOKENS.length + CHARACTERS.length();
    }

    /**
     * Encodes text character by character, without special tokens.
     *
     * @param text characters from the vocabulary
     * @return one id per character
     * @throws IllegalArgumentException naming the first character outside the vocabulary and its
     *     position
     */
    public int[] encode(CharSequence text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            char c = text.charAt(i);
            int id = c < idOfChar.length ? idOfChar[c] : -1;
            if (id < 0) {
                throw new IllegalArgumentException(unknownCharacter(text, i));
            }
            ids[i] = id;
        }
        return ids;
    }

    /**
     * Decodes character ids back to text.
     *
     * @param ids character ids; callers cut generated sequences at {@link #EOS} first
     * @return the text
     * @throws IllegalArgumentException on a special token or an id outside the vocabulary, naming it
     *     and its position
     */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= size()) {
                throw new IllegalArgumentException(
                        "id " + id + " at position " + i + " is outside the vocabulary [0, " + size() + ")");
            }
            if (isSpecial(id)) {
                throw new IllegalArgumentException(
                        "special token " + SPECIAL_TOKENS[id] + " (id " + id + ") at position " + i
                                + " has no text; cut the sequence before it");
            }
            text.append(CHARACTERS.charAt(id - SPECIAL_TOKENS.length));
        }
        return text.toString();
    }

    /**
     * Returns the id of one character.
     *
     * @param c a character from the vocabulary
     * @return its id
     * @throws IllegalArgumentException if the character is not in the vocabulary
     */
    public int id(char c) {
        return encode(String.valueOf(c))[0];
    }

    @Override
    public int id(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("a token of the key-value arithmetic vocabulary is one character, got \""
                    + text + "\"");
        }
        return id(text.charAt(0));
    }

    @Override
    public String show(int[] ids) {
        StringBuilder text = new StringBuilder(ids.length);
        for (int id : ids) {
            text.append(token(id));
        }
        return text.toString();
    }

    /**
     * Returns a printable form of an id, for logs and reports.
     *
     * @param id any id of the vocabulary
     * @return the character, or {@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <sep>}
     * @throws IllegalArgumentException if the id is outside the vocabulary
     */
    public String token(int id) {
        if (id < 0 || id >= size()) {
            throw new IllegalArgumentException("id " + id + " is outside the vocabulary [0, " + size() + ")");
        }
        return isSpecial(id) ? SPECIAL_TOKENS[id] : String.valueOf(CHARACTERS.charAt(id - SPECIAL_TOKENS.length));
    }

    /**
     * Tells whether an id is one of the special tokens PAD, BOS, EOS, SEP.
     *
     * @param id an id
     * @return true for ids 0 to 3
     */
    public boolean isSpecial(int id) {
        return id >= 0 && id < SPECIAL_TOKENS.length;
    }

    private static String unknownCharacter(CharSequence text, int position) {
        int codePoint = Character.codePointAt(text, position);
        String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? "" : "'" + new String(Character.toChars(codePoint)) + "' ";
        String where = text.length() <= MAX_QUOTED_TEXT ? " of \"" + text + "\"" : "";
        return String.format("unknown character %s(U+%04X) at position %d%s; the vocabulary has %s",
                shown, codePoint, position, where, DESCRIPTION);
    }
}
