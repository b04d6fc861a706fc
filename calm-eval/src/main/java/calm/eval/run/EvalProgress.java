package calm.eval.run;

import calm.train.TerminalLine;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Shows an evaluation's progress over every example of every system and task: a live bar on a
 * terminal, or one log line per finished system and task when there is no console or
 * {@code CI=true} (as training's {@code calm.train.Progress}).
 */
final class EvalProgress implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(EvalProgress.class);

    private final ProgressBar bar;

    private EvalProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** @return a bar on an interactive terminal, log lines otherwise */
    static EvalProgress forEnvironment(long totalExamples) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (System.console() == null || ci) {
            return new EvalProgress(null);
        }
        return new EvalProgress(new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(totalExamples)
                .startsFrom(0, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(TerminalLine.forTerminal(System.err)).build());
    }

    /** Names what is being evaluated. */
    void started(String system, String task) {
        if (bar != null) {
            bar.setExtraMessage(" " + system + " on " + task);
        }
    }

    /** Counts examples done. */
    void advanced(int examples) {
        if (bar != null) {
            bar.stepBy(examples);
        }
    }

    /** Reports one system's score on one task. */
    void finished(TaskOutputs outputs) {
        if (bar == null) {
            LOG.info(String.format("evaluate: %s on %s: %s %.1f%s of %d", outputs.system(), outputs.task().name(),
                    outputs.task().metric(), outputs.headline(), outputs.task().headline().scale() == 100 ? "%" : "",
                    outputs.examples().size()));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
