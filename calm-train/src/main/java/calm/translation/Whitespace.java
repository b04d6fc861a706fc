package calm.translation;

import java.util.regex.Pattern;

/** Whitespace as the corpora's readers normalise it. */
final class Whitespace {

    /** Java's \s alone misses the no-break and typographic spaces that HTML and speeches use. */
    private static final Pattern RUN = Pattern.compile("[\\s\\p{Z}]+");

    private Whitespace() {
    }

    /**
     * @param text any text
     * @return the text with every run of white space, Unicode spaces included, made one ASCII space,
     *     and none at either end
     */
    static String collapse(String text) {
        return RUN.matcher(text).replaceAll(" ").strip();
    }
}
