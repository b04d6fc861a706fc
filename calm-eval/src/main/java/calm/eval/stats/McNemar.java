package calm.eval.stats;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * The exact McNemar test for two systems scored 0/1 on the same examples: under "neither system is
 * better" each discordant example (one system right, the other wrong) is equally likely to favour
 * either, so the count favouring X is Binomial(discordant, 1/2).
 */
public final class McNemar {

    private McNemar() {
    }

    /**
     * Tests X against Y on paired 0/1 outcomes.
     *
     * @param x system X's per-example outcomes, each 0 or 1
     * @param y system Y's per-example outcomes on the same examples, each 0 or 1
     * @return the discordant counts and the exact p-values
     */
    public static McNemarResult exact(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must score the same examples, got lengths "
                    + x.length + " and " + y.length);
        }
        int onlyX = 0;
        int onlyY = 0;
        for (int i = 0; i < x.length; i++) {
            boolean xRight = outcome("x", i, x[i]);
            boolean yRight = outcome("y", i, y[i]);
            if (xRight && !yRight) {
                onlyX++;
            } else if (yRight && !xRight) {
                onlyY++;
            }
        }
        return exact(onlyX, onlyY);
    }

    /**
     * Tests X against Y from the discordant counts alone.
     *
     * @param onlyX examples X gets right and Y gets wrong
     * @param onlyY examples Y gets right and X gets wrong
     * @return the counts and the exact p-values
     */
    public static McNemarResult exact(int onlyX, int onlyY) {
        if (onlyX < 0 || onlyY < 0) {
            throw new IllegalArgumentException(
                    "discordant counts must be >= 0, got onlyX=" + onlyX + ", onlyY=" + onlyY);
        }
        int discordant = onlyX + onlyY;
        if (discordant == 0) {
            return new McNemarResult(0, 0, 1.0, 1.0);
        }
        // A null generator: the distribution is only evaluated, never sampled.
        BinomialDistribution underNull = new BinomialDistribution(null, discordant, 0.5);
        double twoSided =
                Math.min(1.0, 2 * underNull.cumulativeProbability(Math.min(onlyX, onlyY)));
        double xBetter = 1 - underNull.cumulativeProbability(onlyX - 1);
        return new McNemarResult(onlyX, onlyY, twoSided, xBetter);
    }

    private static boolean outcome(String system, int index, double value) {
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException(
                    system + "[" + index + "] must be 0 or 1, got " + value);
        }
        return value == 1;
    }
}
