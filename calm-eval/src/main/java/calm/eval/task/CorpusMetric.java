package calm.eval.task;

import calm.eval.metric.AdditiveMetric;
import calm.eval.metric.Bleu;
import calm.eval.metric.Chrf;
import calm.eval.stats.IndexedMetric;
import java.util.List;
import java.util.Objects;

/**
 * A corpus metric as sacrebleu computes it (chrF, BLEU): per-example statistics summed over the
 * examples before the score is taken, one reference per example. Bootstrap resamples sum the
 * resampled examples' statistics, so intervals are over sentences.
 *
 * @param name its name in reports
 * @param metric the metric
 */
public record CorpusMetric(String name, AdditiveMetric metric) implements TaskMetric {

    /** chrF (character n-grams of order 6, beta 2), sacrebleu's default. */
    public static final CorpusMetric CHRF = new CorpusMetric("chrF", Chrf.DEFAULT);
    /** Corpus BLEU with the 13a tokenizer and exponential smoothing, sacrebleu's default. */
    public static final CorpusMetric BLEU = new CorpusMetric("BLEU", Bleu.CORPUS);

    /** Checks the fields. */
    public CorpusMetric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
    }

    @Override
    public double scale() {
        return 1;
    }

    @Override
    public boolean binary() {
        return false;
    }

    @Override
    public IndexedMetric score(List<String> outputs, List<String> expected, boolean[] stopped) {
        return metric.corpus(outputs, expected.stream().map(List::of).toList());
    }
}
