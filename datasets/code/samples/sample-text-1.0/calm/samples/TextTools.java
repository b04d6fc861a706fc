package calm.samples;

/** Small helpers on strings, written for the code experiment's tests. */
public final class TextTools {

    private TextTools() {}

    /**
     * Returns whether the text is {@code null} or has no characters. A text of spaces is not empty.
     *
     * @param text the text, may be null
     * @return true if it is null or empty
     */
    public static boolean isEmpty(CharSequence text) {
        return text == null || text.length() == 0;
    }

    /**
     * Returns whether the text holds only white space, or is empty or {@code null}.
     */
    public static boolean isBlank(CharSequence text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Counts how often a character occurs in the text.
     */
    public static int count(String text, char c) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                count++;
            }
        }
        return count;
    }

    /**
     * Reverses the characters of a <b>string</b>, keeping surrogate pairs together.
     */
    public static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }

    /**
     * Repeats a text {@code n} times with nothing between the copies.
     */
    public static String repeat(String text, int n) {
        StringBuilder out = new StringBuilder(text.length() * n);
        for (int i = 0; i < n; i++) {
            out.append(text);
        }
        return out.toString();
    }

    /**
     * Capitalizes the text with {@link Character#toUpperCase(char) its upper case}, first letter only. Others stay.
     */
    public static String capitalize(String text) {
        if (text.isEmpty()) {
            return text;
        }
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * Joins the parts with the separator between each pair.
     */
    public static String join(String separator, String... parts) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(parts[i]);
        }
        return out.toString();
    }

    /**
     * Removes white space from both ends, or returns null for null.
     */
    public static String strip(String text) {
        if (text == null) {
            return null;
        }
        return text.strip();
    }

    /**
     * Pads the text on the left with spaces up to the width, as {@link #repeat} would.
     */
    public static String padLeft(String text, int width) {
        StringBuilder out = new StringBuilder();
        for (int i = text.length(); i < width; i++) {
            out.append(' ');
        }
        return out.append(text).toString();
    }

    /**
     * Tells whether the text starts with the prefix, ignoring case.
     */
    public static boolean startsWithIgnoreCase(String text, String prefix) {
        if (text.length() < prefix.length()) {
            return false;
        }
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** Returns the last index of the character, or -1. */
    public static int lastIndexOf(String text, char c) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    static String undocumented(String text) {
        String trimmed = text.trim();
        return trimmed.toLowerCase();
    }
}
