package calm.model;

import ai.djl.ndarray.NDArray;

/**
 * Token sequences for a full forward pass.
 *
 * @param tokens int64 ids [B, T]
 * @param mask 1 for real tokens, 0 for padding, [B, T]; null when every token is real
 * @param promptMask 1 for prompt tokens, [B, T]; read only by models that treat the prompt apart
 *     (CALM's "augmenting model as encoder" ablation); null means the whole sequence is prompt
 * @param positionOffsets int64 [B, 1]: each row's position ids start at the row's offset instead of 0, as if
 *     that many tokens stood before it (pretraining with random offsets, so that a model does not
 *     tie what it computes to absolute positions); null for none. A single decoder reads them; a
 *     composition does not take them
 */
public record Batch(NDArray tokens, NDArray mask, NDArray promptMask, NDArray positionOffsets) {

    /** A batch whose positions start at 0. */
    public Batch(NDArray tokens, NDArray mask, NDArray promptMask) {
        this(tokens, mask, promptMask, null);
    }

    /** @return a batch of unpadded sequences */
    public static Batch of(NDArray tokens) {
        return new Batch(tokens, null, null);
    }

    /** @return the mask of real prompt tokens: the prompt mask if given, else the padding mask */
    public NDArray promptOrMask() {
        return promptMask != null ? promptMask : mask;
    }
}
