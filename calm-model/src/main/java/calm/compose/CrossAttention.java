package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.Attention;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;
import java.util.Objects;

/**
 * The trainable part of one connection: f_proj (D_A to D_B, with bias) and f_cross, multi-head
 * cross-attention whose queries come from the anchor and whose keys and values come from the
 * projected augmenting state. W_Q, W_K, W_V and W_O are D_B x D_B without bias, so a connection
 * has D_A D_B + D_B + 4 D_B^2 parameters.
 *
 * <p>Two options, both off in the paper and neither adding a parameter: {@code normalize} scales
 * the augmenting state before f_proj and the anchor state before W_Q to zero mean and unit
 * variance over their width (a layer norm without gain or bias), and a {@link PositionBias}.
 */
public final class CrossAttention extends FixedShapeBlock {

    private final Dense projection;
    private final Dense query;
    private final Dense key;
    private final Dense value;
    private final Dense output;
    private final int heads;
    private final boolean normalize;
    private final PositionBias positionBias;

    /**
     * A connection as in the paper: no normalisation, no position bias.
     *
     * @param augmentingWidth D_A
     * @param anchorWidth D_B
     * @param heads attention heads (must divide D_B)
     * @param zeroOutput initialise W_O to zero, so the untrained connection adds nothing
     */
    public CrossAttention(int augmentingWidth, int anchorWidth, int heads, boolean zeroOutput) {
        this(augmentingWidth, anchorWidth, heads, zeroOutput, false, PositionBias.NONE);
    }

    /**
     * @param augmentingWidth D_A
     * @param anchorWidth D_B
     * @param heads attention heads (must divide D_B)
     * @param zeroOutput initialise W_O to zero, so the untrained connection adds nothing
     * @param normalize standardise both states before they are projected
     * @param positionBias the position term of the attention scores
     */
    public CrossAttention(int augmentingWidth, int anchorWidth, int heads, boolean zeroOutput, boolean normalize,
            PositionBias positionBias) {
        checkHeads(heads, anchorWidth);
        this.heads = heads;
        this.normalize = normalize;
        this.positionBias = Objects.requireNonNull(positionBias, "positionBias");
        NormalInitializer normal = new NormalInitializer(0.02f);
        projection = addChildBlock("proj", new Dense(augmentingWidth, anchorWidth, true, normal));
        query = addChildBlock("q", new Dense(anchorWidth, anchorWidth, false, normal));
        key = addChildBlock("k", new Dense(anchorWidth, anchorWidth, false, normal));
        value = addChildBlock("v", new Dense(anchorWidth, anchorWidth, false, normal));
        output = addChildBlock("o", new Dense(anchorWidth, anchorWidth, false, zeroOutput ? Initializer.ZEROS : normal));
    }

    /**
     * The one check of a connection's heads, which the config loader calls too.
     *
     * @throws IllegalArgumentException when {@code heads} is not a positive divisor of D_B
     */
    public static void checkHeads(int heads, int anchorWidth) {
        if (heads <= 0 || anchorWidth % heads != 0) {
            throw new IllegalArgumentException("cross-attention heads (" + heads
                    + ") must be a positive divisor of the anchor width " + anchorWidth);
        }
    }

    /** @return the number of heads */
    public int heads() {
        return heads;
    }

    /** @return whether both states are standardised before they are projected */
    public boolean normalize() {
        return normalize;
    }

    /** @return the position term of the attention scores */
    public PositionBias positionBias() {
        return positionBias;
    }

    /**
     * Projects augmenting states and computes their keys and values.
     *
     * @param augmentingState H_A[i], [B, S, D_A]
     * @return {K, V}, each [B, H, S, D_B / H]
     */
    public NDArray[] keysValues(NDArray augmentingState) {
        NDArray projected = projection.apply(normalize ? standardize(augmentingState) : augmentingState);
        return new NDArray[] {
            Attention.splitHeads(key.apply(projected), heads), Attention.splitHeads(value.apply(projected), heads)
        };
    }

    /**
     * @param anchorState H_B[j], [B, T, D_B]
     * @param keys [B, H, S, Dh]
     * @param values [B, H, S, Dh]
     * @param bias additive scores: the mask (causal over augmenting positions, padding masked) with
     *     {@link #positionBias()} added, [B, 1, T, S] or [B, H, T, S] (see {@link PositionBias#add})
     * @return Attn(Q, K, V) W_O, [B, T, D_B], to be added to the anchor's stream
     */
    public NDArray attend(NDArray anchorState, NDArray keys, NDArray values, NDArray bias) {
        NDArray queries = Attention.splitHeads(query.apply(normalize ? standardize(anchorState) : anchorState), heads);
        return output.apply(Attention.mergeHeads(Attention.apply(queries, keys, values, bias)));
    }

    /** Zero mean and unit variance over the last axis (epsilon 1e-5), with no gain or bias. */
    static NDArray standardize(NDArray x) {
        NDManager manager = x.getManager();
        Shape width = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return LayerNorm.layerNorm(x, width, manager.ones(width), manager.zeros(width), 1e-5f).singletonOrThrow();
    }
}
