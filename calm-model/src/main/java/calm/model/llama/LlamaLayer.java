package calm.model.llama;

import ai.djl.ndarray.NDArray;
import calm.model.KvCache;
import calm.model.nn.FixedShapeBlock;
import calm.model.nn.RmsNorm;

/** One pre-RMSNorm block: x + attn(norm1(x)), then + mlp(norm2(x)). */
final class LlamaLayer extends FixedShapeBlock {

    private final RmsNorm norm1;
    private final GroupedQueryAttention attn;
    private final RmsNorm norm2;
    private final SwiGlu mlp;

    LlamaLayer(LlamaConfig config) {
        norm1 = addChildBlock("norm1", new RmsNorm(config.hiddenSize(), config.rmsNormEpsilon()));
        attn = addChildBlock("attn", new GroupedQueryAttention(config));
        norm2 = addChildBlock("norm2", new RmsNorm(config.hiddenSize(), config.rmsNormEpsilon()));
        mlp = addChildBlock("mlp", new SwiGlu(config));
    }

    NDArray apply(NDArray x, NDArray bias, Rotary rotary, KvCache cache, int layer, int start) {
        NDArray h = x.add(attn.apply(norm1.apply(x), bias, rotary, cache, layer, start));
        // Not in place: norm2 keeps h for its backward pass.
        return h.add(mlp.apply(norm2.apply(h)));
    }
}
