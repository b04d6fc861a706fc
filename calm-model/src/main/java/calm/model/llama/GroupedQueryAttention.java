package calm.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.Attention;
import calm.model.KvCache;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;

/**
 * Causal self-attention with rotary positions and fewer key/value heads than query heads. One
 * fused projection computes Q, K and V (rows: H query heads, then the key heads, then the value
 * heads). The cache holds the rotated keys and the values of the key/value heads only; each is
 * repeated for its group of query heads when attention is computed.
 */
final class GroupedQueryAttention extends FixedShapeBlock {

    private final Dense qkv;
    private final Dense proj;
    private final int heads;
    private final int keyValueHeads;
    private final long[] splits;

    GroupedQueryAttention(LlamaConfig config) {
        heads = config.numHeads();
        keyValueHeads = config.numKeyValueHeads();
        int queryWidth = heads * config.headSize();
        int keyValueWidth = keyValueHeads * config.headSize();
        splits = new long[] {queryWidth, queryWidth + keyValueWidth};
        NormalInitializer normal = new NormalInitializer(0.02f);
        qkv = addChildBlock("qkv", new Dense(config.hiddenSize(), queryWidth + 2 * keyValueWidth, config.qkvBias(), normal));
        proj = addChildBlock("proj", new Dense(queryWidth, config.hiddenSize(), false, normal));
    }

    /**
     * @param x normalised input [B, T, D]
     * @param bias additive mask [B, 1, T, S]
     * @param rotary the rotation of this window's positions
     * @param cache keys and values of earlier columns, or null
     * @param layer this layer's slot in the cache
     * @param start the column of the first token of x
     */
    NDArray apply(NDArray x, NDArray bias, Rotary rotary, KvCache cache, int layer, int start) {
        NDList parts = qkv.apply(x).split(splits, 2);
        NDArray q = rotary.apply(Attention.splitHeads(parts.get(0), heads));
        NDArray k = rotary.apply(Attention.splitHeads(parts.get(1), keyValueHeads));
        NDArray v = Attention.splitHeads(parts.get(2), keyValueHeads);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v, start);
            k = kv[0];
            v = kv[1];
        }
        NDArray attended = Attention.apply(q, repeatHeads(k), repeatHeads(v), bias);
        return proj.apply(Attention.mergeHeads(attended));
    }

    /** [B, Hkv, S, Dh] to [B, H, S, Dh]: key/value head g serves query heads g * group ... (g + 1) * group - 1. */
    private NDArray repeatHeads(NDArray x) {
        int group = heads / keyValueHeads;
        if (group == 1) {
            return x;
        }
        Shape shape = x.getShape();
        return x.expandDims(2)
                .broadcast(new Shape(shape.get(0), keyValueHeads, group, shape.get(2), shape.get(3)))
                .reshape(shape.get(0), heads, shape.get(2), shape.get(3));
    }
}
