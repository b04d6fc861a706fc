package calm.eval.task;

import calm.data.CharVocabulary;
import calm.data.Vocabulary;

/**
 * A prompt format over any {@link Vocabulary}: BOS and the prompt's ids in; the output's text out
 * (special tokens shown by name, so that they never match text); EOS ends an answer.
 *
 * @param vocabulary the models' vocabulary
 */
public record VocabularyFormat(Vocabulary vocabulary) implements PromptFormat {

    @Override
    public int[] encode(String prompt) {
        int[] ids = vocabulary.encode(prompt);
        int[] withBos = new int[ids.length + 1];
        withBos[0] = CharVocabulary.BOS;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    @Override
    public String decode(int[] ids) {
        return vocabulary.show(ids);
    }

    @Override
    public int stopToken() {
        return CharVocabulary.EOS;
    }

    @Override
    public int length(String text) {
        return vocabulary.encode(text).length;
    }
}
