package calm.code;

import java.util.List;

/**
 * One method of a library's sources, as {@link MethodExtractor} takes it out of its file.
 *
 * @param library the library's coordinates
 * @param file the source file, inside the jar
 * @param type the simple name of the type declaring it
 * @param name the method's name
 * @param signature its declaration without annotations, Javadoc or body: modifiers, type
 *     parameters, result, name, parameters and {@code throws}
 * @param body its body as the project prints it: braces, two-space indents, no comments
 * @param sentence the first sentence of its Javadoc as plain text (inline tags as their text, HTML
 *     removed), or empty if it has none
 * @param tokens the body's Java tokens as written in the file, white space and comments left out
 * @param delegating whether the body is one statement that only calls another method ({@code
 *     return f(...);} or {@code f(...);})
 */
public record JavaMethod(String library, String file, String type, String name, String signature, String body,
        String sentence, List<String> tokens, boolean delegating) {

    /** Copies the tokens. */
    public JavaMethod {
        tokens = List.copyOf(tokens);
    }

    /** @return whether it has a Javadoc first sentence */
    public boolean documented() {
        return !sentence.isEmpty();
    }

    /** @return the method as code: signature, a space, the body */
    public String code() {
        return signature + " " + body;
    }

    /** @return its Javadoc's first sentence as a one-line comment and a line break, or nothing without one */
    public String javadoc() {
        return documented() ? "/** " + sentence + " */\n" : "";
    }

    /** @return the body's lines: {@code {}, the statements' lines, {@code }} */
    public List<String> bodyLines() {
        return List.of(body.split("\n", -1));
    }

    /** @return the body with every white-space character removed, as the leak check compares it */
    public String normalisedBody() {
        return normalise(body);
    }

    /** @return text without white space, as the leak check compares code */
    public static String normalise(String code) {
        return code.replaceAll("\\s+", "");
    }

    /** @return {@code Type.name} and the library, for logs */
    public String where() {
        return type + "." + name + " (" + library + " " + file + ")";
    }
}
