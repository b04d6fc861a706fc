package calm.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * The outcome of a training job.
 *
 * @param firstStep the update count this process started from (0 unless resumed)
 * @param steps the update count reached
 * @param lastLoss the loss of the last update (NaN when none was made)
 * @param evaluation the metrics of the last evaluation (empty when none ran)
 * @param checkpoint the newest checkpoint
 * @param seconds wall time of this process's updates and evaluations
 */
public record TrainingResult(int firstStep, int steps, double lastLoss, Map<String, Double> evaluation,
        Path checkpoint, double seconds) {

    /**
     * A job trained in stages (a base model and then its prefix stage) as one outcome: the steps of
     * both stages added up, those made in this process too, the last stage's loss, evaluation and
     * checkpoint, and both stages' time.
     *
     * @param next the stage trained after this one
     * @return the outcome of both stages
     */
    public TrainingResult then(TrainingResult next) {
        int total = steps + next.steps;
        int inThisRun = (steps - firstStep) + (next.steps - next.firstStep);
        return new TrainingResult(total - inThisRun, total, next.lastLoss, next.evaluation, next.checkpoint,
                seconds + next.seconds);
    }
}
