package calm.train;

import ai.djl.ndarray.NDArray;
import calm.model.LanguageModel;

/**
 * What {@link TrainingLoop} minimises: next-token cross-entropy over a model's logits
 * ({@link #nextToken}), or another loss (multi-token prediction's).
 */
@FunctionalInterface
public interface TrainingObjective {

    /**
     * @param batch one micro-batch
     * @param targets the completion tokens of the whole update, what the summed loss is divided by
     * @return the micro-batch's loss, a scalar
     */
    NDArray loss(TrainingBatch batch, int targets);

    /** @return next-token cross-entropy over the model's logits, divided by the update's targets */
    static TrainingObjective nextToken(LanguageModel model) {
        return (batch, targets) -> NextTokenLoss.per(model.logits(batch.batch()), batch, targets);
    }
}
