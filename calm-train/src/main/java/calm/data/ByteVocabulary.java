package calm.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level UTF-8: every text in every script, with no vocabulary to build or ship. Ids are the
 * four special tokens of every vocabulary here ({@code PAD=0, BOS=1, EOS=2, SEP=3}), then the 256
 * byte values: byte {@code b} is id {@code 4 + b} (260 ids).
 *
 * <p>The cost is sequence length: a Latin-script text takes about 1.05 ids per character (accents
 * take two bytes), Cyrillic or Greek about 2, most Indic and East Asian scripts 3.
 */
public final class ByteVocabulary implements Vocabulary {

    /** The number of special ids before the bytes. */
    public static final int SPECIAL = 4;

    private static final String[] SPECIAL_TOKENS = {"<pad>", "<bos>", "<eos>", "<sep>"};
    private static final ByteVocabulary INSTANCE = new ByteVocabulary();

    private ByteVocabulary() {}

    /** @return the one instance */
    public static ByteVocabulary utf8() {
        return INSTANCE;
    }

    @Override
    public int size() {
        return SPECIAL + 256;
    }

    @Override
    public int[] encode(CharSequence text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = SPECIAL + (bytes[i] & 0xFF);
        }
        return ids;
    }

    /**
     * Decodes ids; special ids are shown by name, and bytes that are not valid UTF-8 (a model may
     * write any sequence) as U+FFFD, the replacement character.
     */
    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        ByteBuffer run = ByteBuffer.allocate(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= size()) {
                throw new IllegalArgumentException("id " + id + " is outside the byte vocabulary (0-" + (size() - 1) + ")");
            }
            if (id < SPECIAL) {
                flush(run, text);
                text.append(SPECIAL_TOKENS[id]);
            } else {
                run.put((byte) (id - SPECIAL));
            }
        }
        flush(run, text);
        return text.toString();
    }

    private static void flush(ByteBuffer run, StringBuilder text) {
        run.flip();
        if (run.hasRemaining()) {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try {
                CharBuffer chars = decoder.decode(run);
                text.append(chars);
            } catch (CharacterCodingException e) {
                throw new IllegalStateException("a replacing decoder does not throw", e);
            }
        }
        run.clear();
    }

    /** Special tokens are written by name, as {@link #decode} does. */
    @Override
    public String show(int[] ids) {
        return decode(ids);
    }

    /** @return the id of a text that is one byte in UTF-8 (an ASCII character) */
    @Override
    public int id(String text) {
        int[] ids = encode(text);
        if (ids.length != 1) {
            throw new IllegalArgumentException("a token of the byte vocabulary is one byte of UTF-8, but \"" + text
                    + "\" takes " + ids.length);
        }
        return ids[0];
    }
}
