package calm.model;

import ai.djl.ndarray.NDArray;

/**
 * Token sequences for a full forward pass.
 *
 * @param tokens int64 ids [B, T]
 * @param mask 1 for real tokens, 0 for padding, [B, T]; null when every token is real
 * @param promptMask 1 for prompt tokens, [B, T]; read only by models that treat the prompt apart
 *     (CALM's "augmenting model as encoder" ablation); null means the whole sequence is prompt
 */
public record Batch(NDArray tokens, NDArray mask, NDArray promptMask) {

    /** @return a batch of unpadded sequences */
    public static Batch of(NDArray tokens) {
        return new Batch(tokens, null, null);
    }

    /** @return the mask of real prompt tokens: the prompt mask if given, else the padding mask */
    public NDArray promptOrMask() {
        return promptMask != null ? promptMask : mask;
    }
}
