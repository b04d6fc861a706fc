package calm.train;

import calm.data.CharVocabulary;
import calm.data.Vocabulary;
import java.util.Arrays;

/**
 * One tokenised training sequence: a prompt the model reads and a completion it learns to write.
 * Training sees {@code prompt ++ completion}; the loss counts only the completion's tokens.
 *
 * @param prompt token ids the model is given (starting with BOS where the vocabulary has one);
 *     non-empty
 * @param completion token ids the model should continue with (ending with EOS, so that it learns to
 *     stop); non-empty
 */
public record TrainingExample(int[] prompt, int[] completion) {

    /** Checks that both parts are non-empty. */
    public TrainingExample {
        if (prompt.length == 0 || completion.length == 0) {
            throw new IllegalArgumentException("an example needs a non-empty prompt and completion, got "
                    + prompt.length + " and " + completion.length + " tokens");
        }
    }

    /**
     * @param vocabulary the models' tokenizer
     * @param prompt the text the model reads
     * @param completion the text it learns to write
     * @return BOS and the prompt's ids, then the completion's ids and EOS
     */
    public static TrainingExample encode(Vocabulary vocabulary, String prompt, String completion) {
        int[] promptIds = vocabulary.encode(prompt);
        int[] withBos = new int[promptIds.length + 1];
        withBos[0] = CharVocabulary.BOS;
        System.arraycopy(promptIds, 0, withBos, 1, promptIds.length);
        int[] completionIds = vocabulary.encode(completion);
        int[] withEos = Arrays.copyOf(completionIds, completionIds.length + 1);
        withEos[completionIds.length] = CharVocabulary.EOS;
        return new TrainingExample(withBos, withEos);
    }

    /** @return the number of tokens of the whole sequence */
    public int length() {
        return prompt.length + completion.length;
    }

    /** @return the number of tokens of the model's input: every token but the last, which nothing follows */
    public int inputLength() {
        return length() - 1;
    }

    /** @return the whole sequence, {@code prompt ++ completion} */
    public int[] sequence() {
        int[] both = Arrays.copyOf(prompt, length());
        System.arraycopy(completion, 0, both, prompt.length, completion.length);
        return both;
    }

    /** @return the model's input: the sequence without its last token */
    public int[] input() {
        return Arrays.copyOf(sequence(), inputLength());
    }
}
