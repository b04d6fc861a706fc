package calm.data;

/**
 * A tokenizer of an experiment's models: text to ids and back, with the special ids every
 * vocabulary of the project shares ({@code PAD=0, BOS=1, EOS=2, SEP=3}, those of
 * {@link CharVocabulary}), so that batching, training and generation need not know which one a
 * model reads.
 */
public interface Vocabulary {

    /** @return the number of ids, special tokens included */
    int size();

    /**
     * @param text the text, which the vocabulary must cover
     * @return its ids, without special tokens
     * @throws IllegalArgumentException naming the first piece of text the vocabulary cannot encode
     */
    int[] encode(CharSequence text);

    /**
     * @return the text of ids
     * @throws IllegalArgumentException on an id outside the vocabulary (and, where the vocabulary
     *     says so, on a special token, which has no text)
     */
    String decode(int[] ids);

    /**
     * @return the ids as a reader should see them: their text, with special tokens written by name
     *     ({@code <eos>}), so that they never read as text
     */
    String show(int[] ids);

    /**
     * @param text one token's text, e.g. {@code "="}
     * @return its id
     * @throws IllegalArgumentException when the text is not one token of the vocabulary
     */
    int id(String text);
}
