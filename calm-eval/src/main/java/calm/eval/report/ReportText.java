package calm.eval.report;

import calm.eval.stats.Bootstrap;
import java.math.BigDecimal;
import java.util.Locale;

/** How numbers and verdicts read in report.md and report.html: one decimal, points, p-values. */
final class ReportText {

    /** Shown in a table cell that has no score. */
    static final String MISSING = "–";

    /** What a training curve's points are, said above the curves in both reports. */
    static final String CURVES = "Each point is the mean training loss (cross-entropy per completion token) over the "
            + "updates since the point before: the number the console printed for that update. The light line is the raw "
            + "value, the dark one TensorBoard's smoothing (an exponential moving average, weight " + Charts.SMOOTHING
            + "). A job trained with multi-token heads sums its loss over the tokens it predicts (its axis says so); a "
            + "dashed line marks where a later stage of a job begins (m_B's prefix stage).";

    private ReportText() {
    }

    /** One decimal, never {@code -0.0}. */
    static String number(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.equals("-0.0") ? "0.0" : text;
    }

    /** One decimal with its sign: {@code +12.3}, {@code -4.0}. */
    static String signed(double value) {
        String text = number(value);
        return text.startsWith("-") ? text : "+" + text;
    }

    /** {@code [81.2, 87.1]}. */
    static String interval(double low, double high) {
        return "[" + number(low) + ", " + number(high) + "]";
    }

    /** {@code 84.3 [81.2, 87.1]}. */
    static String score(Score score) {
        return number(score.value()) + " " + interval(score.low(), score.high());
    }

    /** {@code p = 0.012}, or {@code p < 0.001} below what three decimals can show. */
    static String pValue(double p) {
        return p < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", p);
    }

    /** The coverage as a percentage: {@code 95%}, {@code 97.5%}. */
    static String level(Bootstrap bootstrap) {
        return new BigDecimal(Double.toString(bootstrap.level() * 100)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    /** A count with thousands separators: {@code 124,439,808}. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Trainable parameters with their share of all: {@code 2,101,248 (1.7%)}. */
    static String trainable(SystemInfo system) {
        if (system.trainableParameters() == 0) {
            return count(system.trainableParameters());
        }
        double share = 100.0 * system.trainableParameters() / system.totalParameters();
        // Two significant digits for tiny shares, which one decimal would show as 0.0%.
        String format = share < 0.1 ? " (%.2g%%)" : " (%.1f%%)";
        return count(system.trainableParameters()) + String.format(Locale.ROOT, format, share);
    }

    /** A wall time: {@code 4.2 s}, {@code 13 min 32 s}, {@code 2 h 05 min}. */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole % 3600 / 60);
    }

    /** A task's name with its headline metric: {@code KV-Arithmetic (accuracy)}. */
    static String taskHeading(TaskInfo task) {
        return task.name() + " (" + task.metric() + ")";
    }

    /**
     * An exact McNemar test in words, e.g. {@code CALM against LoRA on KV-Arithmetic: 41 examples
     * only CALM gets right, 3 only LoRA, p < 0.001}.
     */
    static String mcnemar(McNemarTest test, Results results) {
        TaskInfo task = results.task(test.task());
        String on = test.metric().equals(task.metric())
                ? task.name() : task.name() + " (" + test.metric() + ")";
        return test.system() + " against " + test.baseline() + " on " + on + ": "
                + count(test.systemOnly()) + (test.systemOnly() == 1 ? " example" : " examples")
                + " only " + test.system() + " gets right, " + count(test.baselineOnly()) + " only "
                + test.baseline() + ", " + pValue(test.pValue());
    }

    /**
     * The verdict of a paired comparison, e.g. {@code CALM beats LoRA on KV-Arithmetic: +12.3
     * points, 95% CI [8.1, 16.0], p = 0.001}. The verdict follows the interval: the system beats
     * the baseline only when the whole interval lies above zero.
     */
    static String verdict(Comparison comparison, Results results) {
        TaskInfo task = results.task(comparison.task());
        String on = comparison.metric().equals(task.metric())
                ? task.name() : task.name() + " (" + comparison.metric() + ")";
        String figures = signed(comparison.difference()) + " points, "
                + level(results.bootstrap()) + " CI "
                + interval(comparison.low(), comparison.high()) + ", "
                + pValue(comparison.pValue());
        if (comparison.low() > 0) {
            return comparison.system() + " beats " + comparison.baseline() + " on " + on + ": "
                    + figures;
        }
        String why = comparison.high() < 0
                ? " (" + comparison.baseline() + " is better: the interval lies below zero)"
                : " (interval includes zero)";
        return comparison.system() + " does not beat " + comparison.baseline() + " on " + on + ": "
                + figures + why;
    }
}
