package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The additive attention mask shared by self-attention and CALM's cross-attention.
 *
 * <p>Query column t may read key column s when s <= t and key s is a real token. A padding query
 * reads only its own column, so no row is empty (no NaN) and padding never sees the future. In
 * cross-attention the keys are the augmenting model's columns: anchor position t reads augmenting
 * positions <= t only, which is what keeps teacher-forced training from leaking future tokens.
 */
public final class AttentionMask {

    /** Large enough that exp(score - 1e9) is exactly 0 in float32; finite so that 0 * mask is 0. */
    private static final float BLOCKED = -1e9f;

    private AttentionMask() {}

    /**
     * @param queryMask 1 real / 0 padding for the query columns [start, start + T), [B, T]
     * @param keyMask 1 real / 0 padding for key columns [0, S), [B, S]
     * @param start the column of the first query
     * @return 0 where attention is allowed and -1e9 where it is not, [B, 1, T, S]
     */
    public static NDArray bias(NDArray queryMask, NDArray keyMask, int start) {
        NDManager manager = queryMask.getManager();
        long batch = queryMask.getShape().get(0);
        long queries = queryMask.getShape().get(1);
        long keys = keyMask.getShape().get(1);
        NDArray queryColumn = manager.arange(start, start + (int) queries).reshape(queries, 1);
        NDArray keyColumn = manager.arange(0, (int) keys).reshape(1, keys);
        NDArray causal = keyColumn.lte(queryColumn);
        NDArray ownColumn = keyColumn.eq(queryColumn);
        NDArray keyReal = keyMask.gt(0).reshape(batch, 1, 1, keys);
        NDArray queryPadding = queryMask.eq(0).reshape(batch, 1, queries, 1);
        NDArray allowed = causal.logicalAnd(keyReal.logicalOr(ownColumn.logicalAnd(queryPadding)));
        return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(-BLOCKED);
    }

    /**
     * The distance from each query column back to each key column, for position terms.
     *
     * @param manager where the array lives
     * @param start the column of the first query
     * @param queries T, the query columns [start, start + T)
     * @param keys S, the key columns [0, S)
     * @return max(0, t - s) as float32, [1, 1, T, S]
     */
    public static NDArray distance(NDManager manager, long start, long queries, long keys) {
        NDArray queryColumn = manager.arange((float) start, (float) (start + queries)).reshape(queries, 1);
        NDArray keyColumn = manager.arange(0f, (float) keys).reshape(1, keys);
        return queryColumn.sub(keyColumn).maximum(0f).reshape(1, 1, queries, keys);
    }
}
