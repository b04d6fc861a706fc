package calm.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Shows a training job's progress: a live bar on a terminal (step, loss, tokens/s, time left), or
 * plain log lines every {@code logInterval} updates when there is no console or {@code CI=true}.
 */
public interface Progress extends AutoCloseable {

    /** Called once before the first update of this process. */
    void started(String job, int firstStep, int steps);

    /** Called after every update. */
    void stepped(StepReport report);

    /** Called after an evaluation. */
    void evaluated(int step, Map<String, Double> metrics);

    /** Ends the display. */
    @Override
    void close();

    /** @return a bar on an interactive terminal, log lines otherwise */
    static Progress forEnvironment(int logInterval) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        return System.console() != null && !ci ? new Bar() : logLines(logInterval);
    }

    /** @return log lines every logInterval updates */
    static Progress logLines(int logInterval) {
        return new LogLines(logInterval, LogLines.LOG::info);
    }

    /** @return log lines every logInterval updates, each given to {@code sink} (a test's list, say) */
    static Progress logLines(int logInterval, Consumer<String> sink) {
        return new LogLines(logInterval, sink);
    }

    /**
     * @return how the loss reads in a line or the bar: the mean since the previous metrics line,
     *     what metrics.jsonl and the report show for the same step, and how many updates it covers
     */
    static String loss(StepReport report) {
        return String.format(Locale.ROOT, "loss %.4f (mean of %d update%s)", report.meanLoss(), report.meanOver(),
                report.meanOver() == 1 ? "" : "s");
    }

    /**
     * @return an evaluation's log lines, one per evaluated split (the metrics' names up to their last
     *     dot), e.g. {@code compose: step 100 eval-kv-arithmetic-dc-keys: loss 1.5751, accuracy 0.0500},
     *     short enough not to wrap
     */
    static List<String> lines(String job, int step, Map<String, Double> metrics) {
        Map<String, List<String>> bySplit = new LinkedHashMap<>();
        metrics.forEach((name, value) -> {
            int dot = name.lastIndexOf('.');
            bySplit.computeIfAbsent(dot < 0 ? "" : name.substring(0, dot), split -> new ArrayList<>())
                    .add(name.substring(dot + 1) + " " + String.format(Locale.ROOT, "%.4f", value));
        });
        List<String> lines = new ArrayList<>();
        bySplit.forEach((split, values) -> lines.add(job + ": step " + step + " " + (split.isEmpty() ? "evaluation" : split)
                + ": " + String.join(", ", values)));
        return lines;
    }

    /** Log lines through Log4j2. */
    final class LogLines implements Progress {
        private static final Logger LOG = LogManager.getLogger(Progress.class);
        private final int interval;
        private final Consumer<String> sink;
        private String job;
        private int firstStep;
        private long startNanos;

        LogLines(int interval, Consumer<String> sink) {
            this.interval = interval;
            this.sink = sink;
        }

        @Override
        public void started(String job, int firstStep, int steps) {
            this.job = job;
            this.firstStep = firstStep;
            this.startNanos = System.nanoTime();
            sink.accept(job + ": training from step " + firstStep + " to " + steps);
        }

        @Override
        public void stepped(StepReport report) {
            if (report.step() % interval != 0 && report.step() != report.steps()) {
                return;
            }
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            double left = elapsed / (report.step() - firstStep) * (report.steps() - report.step());
            sink.accept(String.format("%s: step %d/%d  %s  lr %.2e  %,.0f tok/s  %s left", job, report.step(),
                    report.steps(), loss(report), report.learningRate(), report.tokensPerSecond(), clock(left)));
        }

        @Override
        public void evaluated(int step, Map<String, Double> metrics) {
            lines(job, step, metrics).forEach(sink);
        }

        @Override
        public void close() {}

        private static String clock(double seconds) {
            long s = Math.round(seconds);
            return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
    }

    /**
     * A progress bar redrawn in place on the terminal ({@link TerminalLine}); the bar library
     * estimates the time left. Evaluation lines clear the bar's line before they are logged.
     */
    final class Bar implements Progress {
        private static final Logger LOG = LogManager.getLogger(Progress.class);
        private final PrintStream out;
        private TerminalLine line;
        private ProgressBar bar;
        private String job;

        /** A bar on the terminal (standard error, where log lines go too). */
        Bar() {
            this(System.err);
        }

        /** @param out where the bar is drawn */
        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void started(String job, int firstStep, int steps) {
            this.job = job;
            line = TerminalLine.forTerminal(out);
            bar = new ProgressBarBuilder()
                    .setConsumer(line)
                    .setTaskName(job)
                    .setInitialMax(steps)
                    .startsFrom(firstStep, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .build();
        }

        @Override
        public void stepped(StepReport report) {
            bar.stepTo(report.step());
            // Short enough for an 80-column terminal; "mean loss" is the mean since the last logged
            // line, the loss metrics.jsonl and the report show (the log lines say over how many updates).
            bar.setExtraMessage(String.format(Locale.ROOT, " mean loss %.4f  %,.0f tok/s", report.meanLoss(),
                    report.tokensPerSecond()));
        }

        @Override
        public void evaluated(int step, Map<String, Double> metrics) {
            line.around(() -> lines(job, step, metrics).forEach(LOG::info));
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
