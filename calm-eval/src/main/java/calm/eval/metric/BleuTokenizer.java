package calm.eval.metric;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The sacrebleu tokenizers that BLEU applies to hypotheses and references before counting. */
public enum BleuTokenizer {

    /**
     * {@code 13a}, sacrebleu's default: mteval-v13a.pl's tokenisation as used by WMT. Splits off
     * punctuation and symbols, periods and commas unless next to a digit, and dashes after a digit.
     */
    MTEVAL_13A("13a") {
        @Override
        public String tokenize(String line) {
            String text = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
            if (text.contains("&")) {
                text = text.replace("&quot;", "\"").replace("&amp;", "&")
                        .replace("&lt;", "<").replace("&gt;", ">");
            }
            text = " " + text + " ";
            text = SYMBOLS.matcher(text).replaceAll(" $1 ");
            text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
            text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
            text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
            return String.join(" ", PythonWhitespace.split(text));
        }
    },

    /** {@code none}: the text as given, split on whitespace. */
    NONE("none") {
        @Override
        public String tokenize(String line) {
            return line;
        }
    },

    /** {@code char}: every character (code point) is a token. */
    CHAR("char") {
        @Override
        public String tokenize(String line) {
            return line.codePoints().mapToObj(Character::toString)
                    .collect(Collectors.joining(" "));
        }
    };

    // sacrebleu's tokenizer_re.py, character for character: { to ~, [ to `, space to &, ( to +,
    // : to @, and /.
    private static final Pattern SYMBOLS = Pattern.compile("([\\{-~\\[-` -&\\(-\\+:-@/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT =
            Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT =
            Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private final String signature;

    BleuTokenizer(String signature) {
        this.signature = signature;
    }

    /** Returns sacrebleu's name for this tokenizer, as in its signature ({@code tok:13a}). */
    public String signature() {
        return signature;
    }

    /**
     * Tokenizes one line.
     *
     * @param line the (already right-stripped) segment
     * @return the tokens joined by single spaces
     */
    public abstract String tokenize(String line);
}
