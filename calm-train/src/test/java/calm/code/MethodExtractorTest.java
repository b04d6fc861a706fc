package calm.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JavaParser's extraction, on the committed sample sources: every method, its sentence, signature and body. */
class MethodExtractorTest {

    static final Path SAMPLES = Path.of("..", "datasets", "code", "samples");

    private static List<JavaMethod> extract(String library, String file) throws IOException {
        Path path = SAMPLES.resolve(library).resolve("calm/samples").resolve(file);
        return new MethodExtractor().extract(library, file, Files.readString(path));
    }

    @Test
    void everyMethodWithABodyIsTakenWithItsFirstSentenceAndConstructorsAreNot() throws IOException {
        List<JavaMethod> methods = extract("sample-text-1.0", "TextTools.java");

        assertEquals(List.of("isEmpty", "isBlank", "count", "reverse", "repeat", "capitalize", "join", "strip", "padLeft",
                "startsWithIgnoreCase", "lastIndexOf", "undocumented"), methods.stream().map(JavaMethod::name).toList());
        assertEquals(List.of(
                // {@code null} gives its text; the second sentence is cut off.
                "Returns whether the text is null or has no characters.",
                "Returns whether the text holds only white space, or is empty or null.",
                "Counts how often a character occurs in the text.",
                // HTML is reduced to its text.
                "Reverses the characters of a string, keeping surrogate pairs together.",
                "Repeats a text n times with nothing between the copies.",
                // A link with a label gives the label.
                "Capitalizes the text with its upper case, first letter only.",
                "Joins the parts with the separator between each pair.",
                "Removes white space from both ends, or returns null for null.",
                // A link without one gives the reference, '#' dropped.
                "Pads the text on the left with spaces up to the width, as repeat would.",
                "Tells whether the text starts with the prefix, ignoring case.",
                // A one-line Javadoc.
                "Returns the last index of the character, or -1.",
                // No Javadoc at all.
                ""), methods.stream().map(JavaMethod::sentence).toList());
        methods.forEach(method -> assertEquals("TextTools", method.type()));
    }

    @Test
    void signaturesKeepModifiersTypeParametersVarargsAndThrowsAndBodiesArePrintedTheSameWay() throws IOException {
        List<JavaMethod> text = extract("sample-text-1.0", "TextTools.java");
        JavaMethod count = text.get(2);
        assertEquals("public static int count(String text, char c)", count.signature());
        assertEquals("{\n  int count = 0;\n  for (int i = 0; i < text.length(); i++) {\n    if (text.charAt(i) == c) {\n"
                + "      count++;\n    }\n  }\n  return count;\n}", count.body());
        assertEquals("/** Counts how often a character occurs in the text. */\n", count.javadoc());
        assertEquals(List.of("{", "int", "count", "=", "0", ";", "for", "(", "int", "i", "=", "0", ";", "i", "<", "text",
                ".", "length", "(", ")", ";", "i", "++", ")", "{", "if", "(", "text", ".", "charAt", "(", "i", ")", "==", "c",
                ")", "{", "count", "++", ";", "}", "}", "return", "count", ";", "}"), count.tokens());
        assertEquals("public static String join(String separator, String... parts)", text.get(6).signature());
        assertEquals("static String undocumented(String text)", text.get(11).signature());

        JavaMethod firstOr = extract("sample-numbers-1.0", "NumberTools.java").stream()
                .filter(m -> m.name().equals("firstOr")).findFirst().orElseThrow();
        assertEquals("public static <T> T firstOr(List<T> list, T fallback)", firstOr.signature());

        List<JavaMethod> files = extract("sample-files-1.0", "FileTools.java");
        assertEquals("public static long copy(InputStream in, OutputStream out) throws IOException", files.get(0).signature());
        // A comment inside a body is not printed.
        JavaMethod closeQuietly = files.stream().filter(m -> m.name().equals("closeQuietly")).findFirst().orElseThrow();
        assertEquals("{\n  try {\n    if (in != null) {\n      in.close();\n    }\n  } catch (IOException ignored) {\n  }\n}",
                closeQuietly.body());
    }

    @Test
    void aBodyOfOneCallIsDelegatingAndOtherOneLinersAreNot() throws IOException {
        List<JavaMethod> files = extract("sample-files-1.0", "FileTools.java");
        JavaMethod delegating = files.stream().filter(m -> m.signature().equals("public static String toString(InputStream in) "
                + "throws IOException")).findFirst().orElseThrow();
        assertTrue(delegating.delegating());
        List<JavaMethod> text = extract("sample-text-1.0", "TextTools.java");
        assertTrue(text.get(3).delegating(), "return new StringBuilder(text).reverse().toString(); is one call");
        assertFalse(text.get(0).delegating(), "return text == null || text.length() == 0; is not");
        assertFalse(text.get(2).delegating());
    }

    @Test
    void aFileThatDoesNotParseGivesNoMethods() {
        assertEquals(List.of(), new MethodExtractor().extract("x", "Broken.java", "class Broken { void f() { if ( } }"));
    }
}
