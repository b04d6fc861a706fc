package calm.eval.code;

import calm.data.Vocabulary;
import calm.eval.task.PromptFormat;
import calm.eval.task.VocabularyFormat;

/**
 * A prompt format whose answer is one line: prompts and outputs as {@link VocabularyFormat} reads
 * and shows them, but generation stops at the line break (not at EOS), which is not part of the output.
 *
 * @param format the format of the vocabulary, which must encode a line break as one id
 */
public record LineFormat(VocabularyFormat format) implements PromptFormat {

    /** Checks that a line break is one id. */
    public LineFormat {
        if (format.vocabulary().encode("\n").length != 1) {
            throw new IllegalArgumentException("a line format needs a vocabulary that encodes a line break as one id");
        }
    }

    /** @param vocabulary the models' vocabulary */
    public LineFormat(Vocabulary vocabulary) {
        this(new VocabularyFormat(vocabulary));
    }

    @Override
    public int[] encode(String prompt) {
        return format.encode(prompt);
    }

    @Override
    public String decode(int[] ids) {
        return format.decode(ids);
    }

    @Override
    public int stopToken() {
        return format.vocabulary().encode("\n")[0];
    }

    @Override
    public int length(String text) {
        return format.length(text);
    }
}
