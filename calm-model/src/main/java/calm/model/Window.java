package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The tokens one forward call reads, and where they sit in the sequence.
 *
 * <p>Columns are the slots of the (padded) sequence: this window holds columns {@code [start,
 * start + T)}; the keys it may attend to are columns {@code [0, start + T)}. Masks are float 1 for
 * a real token and 0 for padding. Positions count real tokens only, so left-padded prompts get the
 * same position ids as unpadded ones.
 *
 * @param tokens int64 token ids, [B, T]
 * @param start the column of the first token
 * @param queryMask real (1) or padding (0) for this window's tokens, [B, T]
 * @param keyMask real or padding for every column up to this window's end, [B, start + T]
 * @param positions int64 position ids of this window's tokens, [B, T]
 */
public record Window(NDArray tokens, int start, NDArray queryMask, NDArray keyMask, NDArray positions) {

    /**
     * A window over a whole sequence, for a full (uncached) forward pass.
     *
     * @param tokens int64 ids [B, T]
     * @param mask 1 for real tokens, 0 for padding, [B, T]; null when every token is real
     */
    public static Window full(NDArray tokens, NDArray mask) {
        return full(tokens, mask, null);
    }

    /**
     * A window over a whole sequence whose position ids start at an offset per row.
     *
     * @param offsets int64 [B, 1], added to every position id of the row; null for none
     */
    public static Window full(NDArray tokens, NDArray mask, NDArray offsets) {
        NDManager manager = tokens.getManager();
        NDArray real = mask == null
                ? manager.ones(tokens.getShape(), DataType.FLOAT32)
                : mask.toType(DataType.FLOAT32, false);
        return new Window(tokens, 0, real, real, positionsOf(real, offsets));
    }

    /** @return a window over a batch: its tokens, padding and position offsets */
    public static Window full(Batch batch) {
        return full(batch.tokens(), batch.mask(), batch.positionOffsets());
    }

    /** @return the number of batch rows, B */
    public int batchSize() {
        return (int) tokens.getShape().get(0);
    }

    /** @return the number of tokens in this window, T */
    public int length() {
        return (int) tokens.getShape().get(1);
    }

    /** @return the number of key columns, start + T */
    public int end() {
        return start + length();
    }

    /**
     * The additive self-attention mask of this window, [B, 1, T, start + T]: see
     * {@link AttentionMask#bias}.
     */
    public NDArray selfAttentionBias() {
        return AttentionMask.bias(queryMask, keyMask, start);
    }

    /**
     * Position ids: the number of real tokens before each one, plus {@code offset} (the real tokens
     * already consumed, [B, 1], or null for none). Padding gets the position of the next real token
     * clipped at zero; its outputs are never read.
     */
    static NDArray positionsOf(NDArray mask, NDArray offset) {
        NDArray counted = mask.toType(DataType.INT64, false).cumSum(1).sub(1);
        if (offset != null) {
            counted = counted.add(offset);
        }
        return counted.maximum(0);
    }
}
