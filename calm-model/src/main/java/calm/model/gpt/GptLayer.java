package calm.model.gpt;

import ai.djl.ndarray.NDArray;
import calm.model.KvCache;
import calm.model.nn.Norm;
import calm.model.nn.FixedShapeBlock;

/** One pre-LayerNorm transformer block: x + attn(ln1(x)), then + mlp(ln2(x)). */
final class GptLayer extends FixedShapeBlock {

    private final Norm ln1;
    private final SelfAttention attn;
    private final Norm ln2;
    private final Mlp mlp;

    GptLayer(GptConfig config) {
        ln1 = addChildBlock("ln1", new Norm(config.hiddenSize(), config.layerNormEpsilon()));
        attn = addChildBlock("attn", new SelfAttention(config));
        ln2 = addChildBlock("ln2", new Norm(config.hiddenSize(), config.layerNormEpsilon()));
        mlp = addChildBlock("mlp", new Mlp(config));
    }

    NDArray apply(NDArray x, NDArray bias, KvCache cache, int layer, int start) {
        NDArray h = x.add(attn.apply(ln1.apply(x), bias, cache, layer, start));
        // Not in place: ln2 keeps h for its backward pass.
        return h.add(mlp.apply(ln2.apply(h)));
    }
}
