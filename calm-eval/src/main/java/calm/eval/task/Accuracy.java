package calm.eval.task;

import calm.eval.metric.ExactMatch;
import calm.eval.stats.IndexedMetric;
import java.util.List;

/**
 * Exact-match accuracy: an output scores when it is exactly the expected text and generation
 * stopped there (an answer cut off by the token budget never scores).
 */
public final class Accuracy implements TaskMetric {

    /** The one instance. */
    public static final Accuracy INSTANCE = new Accuracy();
    /** Its name in reports. */
    public static final String NAME = "accuracy";

    private Accuracy() {}

    @Override
    public String name() {
        return NAME;
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
        double[] outcomes = new double[outputs.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = stopped[i] && ExactMatch.score(outputs.get(i), expected.get(i)) == 1 ? 1 : 0;
        }
        return IndexedMetric.mean(outcomes);
    }
}
