package calm.model;

import ai.djl.ndarray.NDArray;
import calm.model.nn.MatrixProducts;
import calm.model.nn.Scalar;

/** Scaled dot-product attention over [B, H, T, Dh] queries and [B, H, S, Dh] keys and values. */
public final class Attention {

    private Attention() {}

    /**
     * softmax(Q K^T / sqrt(Dh) + bias) V.
     *
     * @param bias additive mask broadcastable to [B, H, T, S] (see {@link AttentionMask})
     * @return [B, H, T, Dh]
     */
    public static NDArray apply(NDArray queries, NDArray keys, NDArray values, NDArray bias) {
        NDArray scale = Scalar.like(queries, (float) (1.0 / Math.sqrt(queries.getShape().get(3))));
        NDArray transposed = keys.transpose(0, 1, 3, 2);
        MatrixProducts.batched(queries, transposed);
        NDArray weights = queries.matMul(transposed).muli(scale).addi(bias).softmax(-1);
        MatrixProducts.batched(weights, values);
        return weights.matMul(values);
    }

    /** [B, T, H * Dh] to [B, H, T, Dh]. */
    public static NDArray splitHeads(NDArray x, int heads) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        return x.reshape(batch, length, heads, -1).transpose(0, 2, 1, 3);
    }

    /** [B, H, T, Dh] to [B, T, H * Dh]. */
    public static NDArray mergeHeads(NDArray x) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(2);
        return x.transpose(0, 2, 1, 3).reshape(batch, length, -1);
    }
}
