package calm.eval.report;

import java.util.Map;

/**
 * One logged training step.
 *
 * @param step the optimiser step
 * @param loss the training loss at that step
 * @param metrics the other numbers logged at that step (learning rate, evaluation loss or
 *     accuracy), by name; empty when there are none
 */
public record CurvePoint(long step, double loss, Map<String, Double> metrics) {

    /** Validates the step, the loss and the metric values. */
    public CurvePoint {
        FieldChecks.nonNegative("step", step);
        FieldChecks.finite("loss", loss);
        metrics = FieldChecks.map("metrics", metrics);
        metrics.forEach((name, value) -> FieldChecks.finite("metrics." + name, value));
    }
}
