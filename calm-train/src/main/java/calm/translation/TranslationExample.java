package calm.translation;

import calm.train.experiment.TextPair;

/**
 * One example of the translation experiment, as text; encoding it to tokens is the model's business.
 *
 * <p>A translation pair has the source paragraph and a line break as its prompt and the English
 * paragraph as its completion; monolingual text has an empty prompt and the paragraph as its
 * completion.
 *
 * @param language where the source text comes from: a UDHR code ({@code cym}), {@code spa} for the
 *     Spanish-English verse pairs, or {@code eng} for English text (UDHR or State of the Union)
 * @param article the UDHR article (0 is the preamble), the chapter of a verse, or the year of an address
 * @param paragraph the paragraph within the article (from 0), the verse id, or the passage within the address
 * @param prompt what the model is given
 * @param completion what it should write after it
 */
public record TranslationExample(String language, int article, int paragraph, String prompt, String completion)
        implements TextPair {

    /** Checks that the language is named and the texts are present. */
    public TranslationExample {
        if (language == null || language.isBlank()) {
            throw new IllegalArgumentException("language must be a code such as cym, spa or eng, got " + language);
        }
        if (prompt == null || completion == null || completion.isEmpty()) {
            throw new IllegalArgumentException(language + " " + article + "." + paragraph
                    + ": prompt must be text and completion non-empty text");
        }
    }

    /**
     * A translation pair.
     *
     * @param language the source language
     * @param article the article or chapter
     * @param paragraph the paragraph or verse
     * @param source the source paragraph
     * @param english its English translation
     * @return the example {@code source + "\n"} -&gt; {@code english}
     */
    public static TranslationExample pair(String language, int article, int paragraph, String source, String english) {
        return new TranslationExample(language, article, paragraph, source + "\n", english);
    }

    /**
     * Monolingual text.
     *
     * @param language its language
     * @param article the article, or year of an address
     * @param paragraph the paragraph or passage
     * @param text the paragraph
     * @return the example {@code ""} -&gt; {@code text}
     */
    public static TranslationExample text(String language, int article, int paragraph, String text) {
        return new TranslationExample(language, article, paragraph, "", text);
    }

    /** @return whether this is a translation pair rather than monolingual text */
    public boolean isPair() {
        return !prompt.isEmpty();
    }
}
