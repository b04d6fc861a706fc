package calm.train;

import ai.djl.ndarray.NDArray;
import calm.model.nn.Scalar;

/**
 * Next-token cross-entropy over the tokens a mask selects.
 *
 * <p>Computed as log-softmax then a gather of each label's log-probability: no in-place operation
 * touches an array that autograd saved for the backward pass, and the divisor is a {@link Scalar}
 * that outlives it.
 */
public final class NextTokenLoss {

    private NextTokenLoss() {}

    /**
     * @param logits [B, T, V]
     * @param labels int64 [B, T]
     * @param mask 1 for positions that count, 0 for the others [B, T]
     * @return the summed negative log-likelihood of the selected labels, a scalar
     */
    public static NDArray sum(NDArray logits, NDArray labels, NDArray mask) {
        NDArray logProbabilities = logits.logSoftmax(-1);
        NDArray picked = logProbabilities.gather(labels.expandDims(-1), -1).squeeze(-1);
        return picked.mul(mask).sum().neg();
    }

    /**
     * @param tokens what to divide the summed loss by, e.g. the completion tokens of the update
     * @return the summed negative log-likelihood of a batch divided by {@code tokens}, a scalar
     */
    public static NDArray per(NDArray logits, TrainingBatch batch, int tokens) {
        NDArray sum = sum(logits, batch.labels(), batch.lossMask());
        return sum.div(Scalar.like(sum, Math.max(1, tokens)));
    }
}
