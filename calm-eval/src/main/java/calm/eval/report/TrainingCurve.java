package calm.eval.report;

import java.util.List;

/**
 * A system's training curve, as read from its metrics log by {@link MetricsLog#read}.
 *
 * @param source the metrics log it was read from, as given
 * @param points the logged steps in the order of the log
 * @param skippedLines how many non-blank lines of the log could not be read and were left out
 */
public record TrainingCurve(String source, List<CurvePoint> points, int skippedLines) {

    /** Validates the fields. */
    public TrainingCurve {
        FieldChecks.text("source", source);
        points = FieldChecks.list("points", points);
        FieldChecks.nonNegative("skippedLines", skippedLines);
    }
}
