package calm.code;

import calm.train.experiment.TextPair;
import java.util.List;
import java.util.Objects;

/**
 * One example of the code experiment. The formats (docs/code.md), with {@code DOC} the Javadoc's
 * first sentence as {@code /** S *\/} and a line break, and {@code METHOD} the signature, a space and
 * the body:
 * <pre>
 *   code         ""                                  DOC METHOD     (m_A's pretraining)
 *   prose        ""                                  a passage      (m_B's pretraining)
 *   text-to-code DOC signature " "                   the body
 *   code-to-text METHOD "\n/** "                      S
 *   completion   DOC signature " " the body's first k lines, each with its line break
 *                                                    line k + 1, without its line break
 * </pre>
 *
 * @param source where it comes from: {@code Type.method} and the library, or the prose passage
 * @param task {@code code}, {@code prose}, {@code text-to-code}, {@code code-to-text} or {@code completion}
 * @param prompt what the model reads
 * @param completion what it writes
 */
public record CodeExample(String source, String task, String prompt, String completion) implements TextPair {

    /** The marker that opens the comment a code-to-text prompt asks for. */
    public static final String DOC_OPENING = "\n/** ";

    /** Checks that nothing is missing. */
    public CodeExample {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
    }

    /** @return the method as m_A's pretraining reads it: its one-line Javadoc, then its code */
    public static CodeExample code(JavaMethod method) {
        return new CodeExample(method.where(), "code", "", method.javadoc() + method.code());
    }

    /** @return a prose passage as m_B's pretraining reads it */
    public static CodeExample prose(String source, String passage) {
        return new CodeExample(source, "prose", "", passage);
    }

    /** @return the Javadoc's first sentence and the signature, then the body */
    public static CodeExample textToCode(JavaMethod method) {
        return new CodeExample(method.where(), "text-to-code", method.javadoc() + method.signature() + " ", method.body());
    }

    /** @return the method, then its Javadoc's first sentence */
    public static CodeExample codeToText(JavaMethod method) {
        return new CodeExample(method.where(), "code-to-text", method.code() + DOC_OPENING, method.sentence());
    }

    /**
     * @return the Javadoc, the signature and the body's first lines, then the next line; the body's
     *     lines are its opening brace, its statements' lines and its closing brace, and the line to
     *     write is the middle statement line, {@code max(1, (lines - 1) / 2)}
     * @throws IllegalArgumentException if the body has no statement line
     */
    public static CodeExample completion(JavaMethod method) {
        List<String> lines = method.bodyLines();
        if (lines.size() < 3) {
            throw new IllegalArgumentException(method.where() + ": a body of " + lines.size() + " lines has no line to complete");
        }
        int next = Math.max(1, (lines.size() - 1) / 2);
        String prompt = method.javadoc() + method.signature() + " " + String.join("\n", lines.subList(0, next)) + "\n";
        return new CodeExample(method.where(), "completion", prompt, lines.get(next));
    }
}
