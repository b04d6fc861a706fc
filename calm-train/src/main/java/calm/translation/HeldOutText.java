package calm.translation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sentences of held-out text, to find them inside training text.
 *
 * <p>Texts are compared normalised: lower-case, white space collapsed, punctuation kept. Held-out text
 * is cut into sentences after each {@code . ! ? ; :}; sentences shorter than
 * {@value #MIN_SENTENCE_CHARS} characters ("Article 3.", "Now, therefore,") are too common to mean
 * a leak and are not looked for. A paragraph is found wherever one of its sentences is, so quoting
 * part of a held-out paragraph counts as a leak too.
 */
final class HeldOutText {

    /** The shortest sentence looked for, in characters of normalised text. */
    static final int MIN_SENTENCE_CHARS = 20;

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;:])");

    /** Sentences by their first characters, so a text is scanned once rather than once per sentence. */
    private final Map<String, List<String>> byPrefix = new HashMap<>();
    private int sentences;

    /**
     * @param text any text
     * @return it lower-cased (language-independently) with white space collapsed
     */
    static String normalise(String text) {
        return Whitespace.collapse(text.toLowerCase(Locale.ROOT));
    }

    /**
     * @param text any text
     * @return its normalised sentences of at least {@value #MIN_SENTENCE_CHARS} characters
     */
    static List<String> sentences(String text) {
        List<String> result = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(normalise(text))) {
            String stripped = sentence.strip();
            if (stripped.length() >= MIN_SENTENCE_CHARS) {
                result.add(stripped);
            }
        }
        return result;
    }

    /** @param text held-out text, whose sentences are looked for from now on */
    void add(String text) {
        for (String sentence : sentences(text)) {
            List<String> candidates = byPrefix.computeIfAbsent(prefix(sentence, 0), key -> new ArrayList<>());
            if (!candidates.contains(sentence)) {
                candidates.add(sentence);
                sentences++;
            }
        }
    }

    /** @return how many distinct sentences are looked for */
    int size() {
        return sentences;
    }

    /**
     * @param text any text
     * @return the first held-out sentence that occurs in it, normalised, or null if none does
     */
    String findIn(String text) {
        String normalised = normalise(text);
        for (int start = 0; start + MIN_SENTENCE_CHARS <= normalised.length(); start++) {
            List<String> candidates = byPrefix.get(prefix(normalised, start));
            if (candidates != null) {
                for (String sentence : candidates) {
                    if (normalised.startsWith(sentence, start)) {
                        return sentence;
                    }
                }
            }
        }
        return null;
    }

    private static String prefix(String text, int start) {
        return text.substring(start, start + MIN_SENTENCE_CHARS);
    }
}
