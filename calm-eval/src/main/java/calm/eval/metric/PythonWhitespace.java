package calm.eval.metric;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as Python's {@code str.split()}, {@code str.rstrip()} and {@code str.isspace()} define
 * it, which the reference implementations rely on. Java's {@link Character#isWhitespace} leaves
 * out the no-break spaces (U+00A0, U+2007, U+202F) and U+0085, which Python counts.
 */
final class PythonWhitespace {

    private PythonWhitespace() {
    }

    /** Returns whether the code point is whitespace to Python's {@code str.isspace()}. */
    static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                || codePoint == 0x85;
    }

    /** Splits on runs of whitespace, dropping empty pieces, as {@code text.split()}. */
    static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (isSpace(codePoint)) {
                if (start >= 0) {
                    pieces.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    /** Removes trailing whitespace, as {@code text.rstrip()}. */
    static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0) {
            int codePoint = text.codePointBefore(end);
            if (!isSpace(codePoint)) {
                break;
            }
            end -= Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }
}
