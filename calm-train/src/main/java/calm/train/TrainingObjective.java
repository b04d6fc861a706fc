package calm.train;

import ai.djl.ndarray.NDArray;

/**
 * A model that computes its own training loss instead of next-token cross-entropy over its logits
 * ({@link NextTokenLoss}), which {@link TrainingLoop} uses for every other model.
 */
public interface TrainingObjective {

    /**
     * @param batch one micro-batch
     * @param targets the completion tokens of the whole update, what the summed loss is divided by
     * @return the micro-batch's loss, a scalar
     */
    NDArray loss(TrainingBatch batch, int targets);
}
