package calm.eval.code;

import calm.eval.metric.RougeL;
import calm.eval.stats.IndexedMetric;
import calm.eval.task.TaskMetric;
import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import java.util.List;

/** The code experiment's metrics beside chrF, BLEU and exact match. */
public final class CodeMetrics {

    /**
     * The share of outputs that parse, with JavaParser, as a method body (a block), and that ended
     * with the stop token: an output cut off by the token budget does not count.
     */
    public static final TaskMetric PARSES = new TaskMetric() {
        @Override
        public String name() {
            return "parses";
        }

        @Override
        public double scale() {
            return 100;
        }

        @Override
        public boolean binary() {
            return true;
        }

        @Override
        public IndexedMetric score(List<String> outputs, List<String> expected, boolean[] stopped) {
            JavaParser parser = new JavaParser(new ParserConfiguration()
                    .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
            double[] parses = new double[outputs.size()];
            for (int i = 0; i < parses.length; i++) {
                parses[i] = stopped[i] && parsesAsBody(parser, outputs.get(i)) ? 1 : 0;
            }
            return IndexedMetric.mean(parses);
        }
    };

    /** ROUGE-L F-measure, the mean over examples as rouge-score reports it, on the 0-100 scale. */
    public static final TaskMetric ROUGE_L = new TaskMetric() {
        @Override
        public String name() {
            return "ROUGE-L";
        }

        @Override
        public double scale() {
            return 100;
        }

        @Override
        public boolean binary() {
            return false;
        }

        @Override
        public IndexedMetric score(List<String> outputs, List<String> expected, boolean[] stopped) {
            return RougeL.fmeasure(outputs, expected);
        }
    };

    private CodeMetrics() {}

    /** @return whether a text parses as one block statement, braces included */
    public static boolean parsesAsBody(JavaParser parser, String text) {
        return parser.parseBlock(text).isSuccessful();
    }
}
