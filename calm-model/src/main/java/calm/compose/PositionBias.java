package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import calm.model.AttentionMask;

/**
 * What a connection's cross-attention knows of positions. The paper's cross-attention has none:
 * anchor position t finds augmenting positions by their content only.
 */
public enum PositionBias {
    /** No position term (the paper's). */
    NONE,
    /**
     * ALiBi (Press et al., 2022, arXiv 2108.12409) over the columns both models share: head h of H
     * adds -m_h (t - s) to the score of anchor position t for augmenting position s, with
     * m_h = 2^(-8 (h + 1) / H). Steep heads favour the current position and its neighbours, flat
     * heads read the whole sequence; nothing is learnt, so the parameter count is unchanged.
     */
    ALIBI;

    /**
     * Adds this bias to an attention mask.
     *
     * @param mask the additive mask over query columns [start, start + T) and key columns [0, S),
     *     [B, 1, T, S]
     * @param start the column of the first query
     * @param heads the attention heads H
     * @return the mask itself for {@link #NONE}; otherwise mask plus the bias, [B, H, T, S]
     */
    public NDArray add(NDArray mask, long start, int heads) {
        if (this == NONE) {
            return mask;
        }
        Shape shape = mask.getShape();
        NDArray distance = AttentionMask.distance(mask.getManager(), start, shape.get(2), shape.get(3));
        float[] slopes = new float[heads];
        for (int h = 0; h < heads; h++) {
            slopes[h] = (float) -Math.pow(2, -8.0 * (h + 1) / heads);
        }
        NDArray slope = distance.getManager().create(slopes).reshape(1, heads, 1, 1);
        return mask.add(distance.mul(slope));
    }
}
