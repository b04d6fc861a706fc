package calm.train;

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
