package calm.model.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.Attention;
import calm.model.KvCache;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;

/** Causal multi-head self-attention with one fused QKV projection (GPT-2's c_attn, c_proj). */
final class SelfAttention extends FixedShapeBlock {

    private final Dense qkv;
    private final Dense proj;
    private final int heads;

    SelfAttention(GptConfig config) {
        int d = config.hiddenSize();
        heads = config.numHeads();
        qkv = addChildBlock("qkv", new Dense(d, 3 * d, true, new NormalInitializer(0.02f)));
        // GPT-2 scales the residual projections by 1/sqrt(2N) at initialisation.
        float projStd = (float) (0.02 / Math.sqrt(2.0 * config.numLayers()));
        proj = addChildBlock("proj", new Dense(d, d, true, new NormalInitializer(projStd)));
    }

    /**
     * @param x normalised input [B, T, D]
     * @param bias additive mask [B, 1, T, S]
     * @param cache keys and values of earlier columns, or null
     * @param layer this layer's slot in the cache
     * @param start the column of the first token of x
     */
    NDArray apply(NDArray x, NDArray bias, KvCache cache, int layer, int start) {
        NDList qkvParts = qkv.apply(x).split(3, 2);
        NDArray q = Attention.splitHeads(qkvParts.get(0), heads);
        NDArray k = Attention.splitHeads(qkvParts.get(1), heads);
        NDArray v = Attention.splitHeads(qkvParts.get(2), heads);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v, start);
            k = kv[0];
            v = kv[1];
        }
        return proj.apply(Attention.mergeHeads(Attention.apply(q, k, v, bias)));
    }
}
