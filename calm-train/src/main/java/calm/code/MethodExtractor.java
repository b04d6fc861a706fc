package calm.code;

import com.github.javaparser.JavaParser;
import com.github.javaparser.JavaToken;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.javadoc.Javadoc;
import com.github.javaparser.javadoc.description.JavadocDescriptionElement;
import com.github.javaparser.javadoc.description.JavadocInlineTag;
import com.github.javaparser.printer.DefaultPrettyPrinter;
import com.github.javaparser.printer.configuration.DefaultConfigurationOption;
import com.github.javaparser.printer.configuration.DefaultPrinterConfiguration;
import com.github.javaparser.printer.configuration.DefaultPrinterConfiguration.ConfigOption;
import com.github.javaparser.printer.configuration.Indentation;
import com.github.javaparser.printer.configuration.PrinterConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;

/**
 * Takes the methods out of Java source files with JavaParser: each method that has a body, its
 * signature, its body printed the same way for every library, the first sentence of its Javadoc,
 * and its tokens. Constructors, abstract and interface methods without a body are left out.
 *
 * <p>The first sentence follows the javadoc tool's default rule: the description up to and with the
 * first period followed by white space (or the whole description without one), after inline tags
 * are replaced by their text ({@code {@code x}} by {@code x}, {@code {@link Type#m label}} by
 * {@code label}, {@code {@link Type#m}} by {@code Type.m}) and HTML is reduced to its text. A
 * description that is only {@code {@inheritDoc}} has no sentence of its own.
 */
public final class MethodExtractor {

    private final JavaParser parser = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
    private final DefaultPrettyPrinter printer;

    /** A reader that prints bodies with two-space indents and no comments. */
    public MethodExtractor() {
        PrinterConfiguration configuration = new DefaultPrinterConfiguration()
                .removeOption(new DefaultConfigurationOption(ConfigOption.PRINT_COMMENTS))
                .removeOption(new DefaultConfigurationOption(ConfigOption.PRINT_JAVADOC))
                .addOption(new DefaultConfigurationOption(ConfigOption.INDENTATION,
                        new Indentation(Indentation.IndentType.SPACES, 2)))
                .addOption(new DefaultConfigurationOption(ConfigOption.END_OF_LINE_CHARACTER, "\n"));
        printer = new DefaultPrettyPrinter(configuration);
    }

    /**
     * @param library the library's coordinates, recorded with each method
     * @param file the file's name, recorded with each method
     * @param source the file's text
     * @return its methods with bodies, in source order; empty if the file does not parse
     */
    public List<JavaMethod> extract(String library, String file, String source) {
        ParseResult<CompilationUnit> result = parser.parse(source);
        if (!result.isSuccessful() || result.getResult().isEmpty()) {
            return List.of();
        }
        List<JavaMethod> methods = new ArrayList<>();
        for (MethodDeclaration method : result.getResult().get().findAll(MethodDeclaration.class)) {
            Optional<BlockStmt> body = method.getBody();
            if (body.isEmpty()) {
                continue;
            }
            String type = method.findAncestor(TypeDeclaration.class).map(t -> ((TypeDeclaration<?>) t).getNameAsString())
                    .orElse("");
            String sentence = method.getJavadoc().map(MethodExtractor::firstSentence).orElse("");
            methods.add(new JavaMethod(library, file, type, method.getNameAsString(), signature(method),
                    printer.print(body.get()), sentence, tokens(body.get()), delegating(body.get())));
        }
        return methods;
    }

    /** @return modifiers, type parameters, result, name, parameters and throws, without annotations */
    static String signature(MethodDeclaration method) {
        StringBuilder text = new StringBuilder();
        method.getModifiers().forEach(modifier -> text.append(modifier.getKeyword().asString()).append(' '));
        if (method.getTypeParameters().isNonEmpty()) {
            List<String> parameters = new ArrayList<>();
            method.getTypeParameters().forEach(parameter -> parameters.add(withoutComments(parameter)));
            text.append('<').append(String.join(", ", parameters)).append("> ");
        }
        text.append(withoutComments(method.getType())).append(' ').append(method.getNameAsString()).append('(');
        List<String> parameters = new ArrayList<>();
        method.getParameters().forEach(parameter -> {
            String printed = parameter.getModifiers().stream().map(m -> m.getKeyword().asString() + " ")
                    .reduce("", String::concat) + withoutComments(parameter.getType()) + (parameter.isVarArgs() ? "..." : "")
                    + " " + parameter.getNameAsString();
            parameters.add(printed);
        });
        text.append(String.join(", ", parameters)).append(')');
        if (method.getThrownExceptions().isNonEmpty()) {
            List<String> thrown = new ArrayList<>();
            method.getThrownExceptions().forEach(exception -> thrown.add(withoutComments(exception)));
            text.append(" throws ").append(String.join(", ", thrown));
        }
        return text.toString();
    }

    private static String withoutComments(Node node) {
        Node copy = node.clone();
        copy.getAllContainedComments().forEach(comment -> comment.remove());
        copy.getComment().ifPresent(comment -> copy.removeComment());
        if (copy instanceof NodeWithAnnotations<?> annotated) {
            annotated.getAnnotations().clear();
        }
        return copy.toString();
    }

    /**
     * @param javadoc a method's Javadoc
     * @return the first sentence of its description as plain text, or empty when it has none
     */
    static String firstSentence(Javadoc javadoc) {
        StringBuilder text = new StringBuilder();
        for (JavadocDescriptionElement element : javadoc.getDescription().getElements()) {
            if (element instanceof JavadocInlineTag tag) {
                if (tag.getType() == JavadocInlineTag.Type.INHERIT_DOC) {
                    continue;
                }
                text.append(inlineText(tag));
            } else {
                text.append(element.toText());
            }
        }
        String plain = Jsoup.parse(text.toString()).text().strip();
        for (int i = 0; i < plain.length(); i++) {
            if (plain.charAt(i) == '.' && (i + 1 == plain.length() || Character.isWhitespace(plain.charAt(i + 1)))) {
                return plain.substring(0, i + 1);
            }
        }
        return plain;
    }

    /** {@code {@link ref label}} gives the label; {@code {@link Type#m(int)}} gives {@code Type.m(int)}; others their content. */
    private static String inlineText(JavadocInlineTag tag) {
        String content = tag.getContent().strip();
        if (tag.getType() != JavadocInlineTag.Type.LINK && tag.getType() != JavadocInlineTag.Type.LINKPLAIN) {
            return content;
        }
        int depth = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && Character.isWhitespace(c)) {
                return content.substring(i).strip();
            }
        }
        return content.startsWith("#") ? content.substring(1) : content.replace('#', '.');
    }

    private static List<String> tokens(BlockStmt body) {
        List<String> tokens = new ArrayList<>();
        body.getTokenRange().ifPresent(range -> {
            for (JavaToken token : range) {
                if (!token.getCategory().isWhitespaceOrComment()) {
                    tokens.add(token.getText());
                }
            }
        });
        return tokens;
    }

    private static boolean delegating(BlockStmt body) {
        if (body.getStatements().size() != 1) {
            return false;
        }
        Statement statement = body.getStatement(0);
        if (statement instanceof ReturnStmt returned) {
            return returned.getExpression().filter(e -> e instanceof MethodCallExpr).isPresent();
        }
        return statement instanceof ExpressionStmt expression && expression.getExpression() instanceof MethodCallExpr;
    }
}
