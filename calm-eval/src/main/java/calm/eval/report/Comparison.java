package calm.eval.report;

import calm.eval.stats.PairedComparison;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A paired bootstrap comparison: {@code system} minus {@code baseline} on the same examples of one
 * task, on the report's 0-100 scale (so the difference is in points).
 *
 * <p>{@code system} beats {@code baseline} when the interval lies above zero. The JSON form also
 * carries the derived {@code excludesZero}, for readers of the file; reading ignores it.
 *
 * @param system the system under test, a {@link SystemInfo#name()}
 * @param baseline the system compared against, another {@link SystemInfo#name()}
 * @param task a {@link TaskInfo#name()}
 * @param metric the metric compared, e.g. {@code "accuracy"}
 * @param difference system minus baseline on all examples
 * @param low the lower bound of the difference's interval
 * @param high the upper bound of the difference's interval
 * @param pValue the paired bootstrap p-value, in [0, 1]
 */
@JsonIgnoreProperties(value = "excludesZero", allowGetters = true)
public record Comparison(String system, String baseline, String task, String metric,
        double difference, double low, double high, double pValue) {

    /** Validates names, numbers and {@code low <= high}. */
    public Comparison {
        FieldChecks.comparedPair(system, baseline, task, metric);
        FieldChecks.finite("difference", difference);
        FieldChecks.finite("low", low);
        FieldChecks.finite("high", high);
        if (low > high) {
            throw new InvalidFieldException("low", "must be <= high, got low=" + low
                    + " and high=" + high);
        }
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new InvalidFieldException("pValue", "must lie in [0, 1], got " + pValue);
        }
    }

    /**
     * Converts a paired bootstrap result to the report's scale.
     *
     * @param system the system under test (X in {@code paired})
     * @param baseline the system compared against (Y in {@code paired})
     * @param task the task
     * @param metric the metric compared
     * @param paired the result of {@link calm.eval.stats.Bootstrap#compare}
     * @param scale 100 for a metric computed as a fraction, 1 for one already on a 0-100 scale
     * @return the scaled comparison
     */
    public static Comparison of(String system, String baseline, String task, String metric,
            PairedComparison paired, double scale) {
        return new Comparison(system, baseline, task, metric,
                scale * paired.observedDifference(), scale * paired.difference().lower(),
                scale * paired.difference().upper(), paired.pValue());
    }

    /** Returns whether the interval lies entirely above or entirely below zero. */
    @JsonProperty("excludesZero")
    public boolean excludesZero() {
        return low > 0 || high < 0;
    }
}
