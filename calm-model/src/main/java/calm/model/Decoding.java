package calm.model;

import ai.djl.ndarray.NDArray;

/**
 * An incremental decoding in progress: caches of every model involved, so each new token costs one
 * incremental step.
 */
public interface Decoding extends AutoCloseable {

    /** @return the logits at the last column consumed, [B, V], on the caller's step manager */
    NDArray lastLogits();

    /**
     * Feeds one new token per row.
     *
     * @param tokens int64 ids [B, 1]
     */
    void feed(NDArray tokens);

    /** @return the number of columns consumed */
    int length();

    @Override
    void close();
}
