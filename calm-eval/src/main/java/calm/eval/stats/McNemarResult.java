package calm.eval.stats;

/**
 * The exact McNemar test's outcome.
 *
 * @param onlyX examples X gets right and Y gets wrong
 * @param onlyY examples Y gets right and X gets wrong
 * @param pValue the two-sided p-value, {@code min(1, 2 P(B <= min(onlyX, onlyY)))} with
 *     {@code B ~ Binomial(onlyX + onlyY, 1/2)}
 * @param pValueXBetter the one-sided p-value for "X beats Y", {@code P(B >= onlyX)}
 */
public record McNemarResult(int onlyX, int onlyY, double pValue, double pValueXBetter) {
}
