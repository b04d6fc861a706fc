package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.Attention;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;

/**
 * The trainable part of one connection: f_proj (D_A to D_B, with bias) and f_cross, multi-head
 * cross-attention whose queries come from the anchor and whose keys and values come from the
 * projected augmenting state. W_Q, W_K, W_V and W_O are D_B x D_B without bias, so a connection
 * has D_A D_B + D_B + 4 D_B^2 parameters.
 */
public final class CrossAttention extends FixedShapeBlock {

    private final Dense projection;
    private final Dense query;
    private final Dense key;
    private final Dense value;
    private final Dense output;
    private final int heads;

    /**
     * @param augmentingWidth D_A
     * @param anchorWidth D_B
     * @param heads attention heads (must divide D_B)
     * @param zeroOutput initialise W_O to zero, so the untrained connection adds nothing
     */
    public CrossAttention(int augmentingWidth, int anchorWidth, int heads, boolean zeroOutput) {
        if (heads <= 0 || anchorWidth % heads != 0) {
            throw new IllegalArgumentException("cross-attention heads (" + heads
                    + ") must be a positive divisor of the anchor width " + anchorWidth);
        }
        this.heads = heads;
        NormalInitializer normal = new NormalInitializer(0.02f);
        projection = addChildBlock("proj", new Dense(augmentingWidth, anchorWidth, true, normal));
        query = addChildBlock("q", new Dense(anchorWidth, anchorWidth, false, normal));
        key = addChildBlock("k", new Dense(anchorWidth, anchorWidth, false, normal));
        value = addChildBlock("v", new Dense(anchorWidth, anchorWidth, false, normal));
        output = addChildBlock("o", new Dense(anchorWidth, anchorWidth, false, zeroOutput ? Initializer.ZEROS : normal));
    }

    /** @return the number of heads */
    public int heads() {
        return heads;
    }

    /**
     * Projects augmenting states and computes their keys and values.
     *
     * @param augmentingState H_A[i], [B, S, D_A]
     * @return {K, V}, each [B, H, S, D_B / H]
     */
    public NDArray[] keysValues(NDArray augmentingState) {
        NDArray projected = projection.apply(augmentingState);
        return new NDArray[] {
            Attention.splitHeads(key.apply(projected), heads), Attention.splitHeads(value.apply(projected), heads)
        };
    }

    /**
     * @param anchorState H_B[j], [B, T, D_B]
     * @param keys [B, H, S, Dh]
     * @param values [B, H, S, Dh]
     * @param bias additive mask [B, 1, T, S] (causal over augmenting positions, padding masked)
     * @return Attn(Q, K, V) W_O, [B, T, D_B], to be added to the anchor's stream
     */
    public NDArray attend(NDArray anchorState, NDArray keys, NDArray values, NDArray bias) {
        NDArray queries = Attention.splitHeads(query.apply(anchorState), heads);
        return output.apply(Attention.mergeHeads(Attention.apply(queries, keys, values, bias)));
    }
}
