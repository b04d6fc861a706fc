package calm.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Small helpers on streams and file names, written for the code experiment's tests: the held-out library. */
public final class FileTools {

    private FileTools() {}

    /**
     * Copies every byte of the input to the output and returns how many were copied.
     *
     * @param in the stream to read
     * @param out the stream to write
     * @return the number of bytes copied
     * @throws IOException if either stream fails
     */
    public static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /**
     * Reads the whole stream as text in the given encoding.
     */
    public static String toString(InputStream in, Charset charset) throws IOException {
        byte[] bytes = in.readAllBytes();
        return new String(bytes, charset);
    }

    /**
     * Reads the whole stream as text in the given encoding.
     */
    public static String toString(InputStream in) throws IOException {
        return toString(in, StandardCharsets.UTF_8);
    }

    /**
     * Reads the whole stream as text in the given encoding.
     */
    public static String toString(byte[] bytes, Charset charset) {
        String text = new String(bytes, charset);
        return text;
    }

    /**
     * Finds the last position of a separator character in a path, or -1.
     */
    public static int lastSeparator(String text, char c) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the extension of a file name, the text after its last dot, or an empty text.
     */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot < name.lastIndexOf('/')) {
            return "";
        }
        return name.substring(dot + 1);
    }

    /**
     * Returns the base name of a path: what follows its last separator.
     */
    public static String baseName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        String name = path.substring(slash + 1);
        return name;
    }

    /**
     * Counts the line breaks in a text.
     */
    public static int countLines(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }

    /**
     * Returns whether the text is {@code null} or has no characters.
     */
    public static boolean isEmptyName(CharSequence name) {
        if (name == null) {
            return true;
        }
        return name.length() == 0;
    }

    /**
     * Skips up to n bytes of the stream and returns how many were skipped.
     */
    public static long skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            int read = in.read();
            if (read < 0) {
                break;
            }
            left--;
        }
        return n - left;
    }

    /**
     * Closes the stream and ignores any failure to close it.
     */
    public static void closeQuietly(InputStream in) {
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /**
     * Tells whether two file names have the same extension.
     */
    public static boolean sameExtension(String a, String b) {
        String first = extension(a);
        String second = extension(b);
        return first.equals(second);
    }

    /**
     * Normalizes the separators of a path to forward slashes.
     */
    public static String separatorsToUnix(String path) {
        if (path.indexOf('\\') < 0) {
            return path;
        }
        return path.replace('\\', '/');
    }

    /**
     * Writes the text to the stream in UTF-8.
     */
    public static void write(String text, OutputStream out) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
    }
}
