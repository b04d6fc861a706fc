package calm.eval.report;

import calm.eval.stats.McNemarResult;

/**
 * The exact McNemar test of two systems scored right or wrong on the same examples of one task
 * (exact-match accuracy): only the examples exactly one of them gets right count.
 *
 * @param system the system under test, a {@link SystemInfo#name()}
 * @param baseline the system compared against, another {@link SystemInfo#name()}
 * @param task a {@link TaskInfo#name()}
 * @param metric the 0/1 metric compared, e.g. {@code "accuracy"}
 * @param systemOnly examples the system gets right and the baseline wrong
 * @param baselineOnly examples the baseline gets right and the system wrong
 * @param pValue the two-sided exact p-value, in [0, 1]
 */
public record McNemarTest(String system, String baseline, String task, String metric, int systemOnly,
        int baselineOnly, double pValue) {

    /** Validates names, counts and the p-value. */
    public McNemarTest {
        FieldChecks.comparedPair(system, baseline, task, metric);
        FieldChecks.nonNegative("systemOnly", systemOnly);
        FieldChecks.nonNegative("baselineOnly", baselineOnly);
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new InvalidFieldException("pValue", "must lie in [0, 1], got " + pValue);
        }
    }

    /**
     * Converts the statistics package's result.
     *
     * @param result {@link calm.eval.stats.McNemar#exact} with the system as X, the baseline as Y
     * @return the test as the report records it
     */
    public static McNemarTest of(String system, String baseline, String task, String metric,
            McNemarResult result) {
        return new McNemarTest(system, baseline, task, metric, result.onlyX(), result.onlyY(),
                result.pValue());
    }
}
