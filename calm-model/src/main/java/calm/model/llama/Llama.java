package calm.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.DecoderLM;
import calm.model.KvCache;
import calm.model.LayerHook;
import calm.model.ModelConfig;
import calm.model.Window;
import calm.model.nn.Dense;
import calm.model.nn.EmbeddingTable;
import calm.model.nn.RmsNorm;

/**
 * The Llama family: a token embedding (no position embedding; positions enter through the rotary
 * rotation of queries and keys), N pre-RMSNorm blocks with grouped-query attention and a SwiGLU
 * MLP, a final RMSNorm and the output projection (the token embedding itself when tied).
 *
 * <p>Parameter names (as saved), with Q = H Dh and K = Hkv Dh: {@code embed.weight [V, D]},
 * {@code layers.L.norm1|norm2.weight [D]}, {@code layers.L.attn.qkv.weight [Q + 2K, D]} (rows: query
 * heads, key heads, value heads; {@code .bias} when qkvBias), {@code layers.L.attn.proj.weight [D, Q]},
 * {@code layers.L.mlp.gate|up.weight [M, D]}, {@code layers.L.mlp.down.weight [D, M]},
 * {@code norm.weight [D]}, and {@code head.weight [V, D]} when untied.
 */
public final class Llama extends DecoderLM {

    private final LlamaConfig config;
    private final EmbeddingTable tokenEmbedding;
    private final LlamaLayer[] layers;
    private final RmsNorm finalNorm;
    private final Dense head;

    /** Builds an uninitialised model; call {@code initialize(manager, DataType.FLOAT32)}. */
    public Llama(LlamaConfig config) {
        this.config = config;
        tokenEmbedding = addChildBlock("embed", new EmbeddingTable(config.vocabSize(), config.hiddenSize()));
        layers = new LlamaLayer[config.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = addChildBlock("layers." + i, new LlamaLayer(config));
        }
        finalNorm = addChildBlock("norm", new RmsNorm(config.hiddenSize(), config.rmsNormEpsilon()));
        head = config.tiedEmbeddings()
                ? null
                : addChildBlock("head", new Dense(config.hiddenSize(), config.vocabSize(), false, new NormalInitializer(0.02f)));
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public NDArray hidden(Window window, KvCache cache, LayerHook hook, int lastLayer) {
        checkRun(window, lastLayer);
        NDArray x = tokenEmbedding.lookup(window.tokens());
        x = hook.afterLayer(0, x, window);
        if (lastLayer == 0) {
            return x;
        }
        NDArray bias = window.selfAttentionBias();
        Rotary rotary = Rotary.of(window.positions(), config.headSize(), config.ropeTheta());
        for (int i = 0; i < lastLayer; i++) {
            x = layers[i].apply(x, bias, rotary, cache, i, window.start());
            x = hook.afterLayer(i + 1, x, window);
        }
        return x;
    }

    @Override
    protected NDArray outputWeight() {
        return head == null ? tokenEmbedding.weight() : head.weight().getArray();
    }

    @Override
    public NDArray finalNorm(NDArray hidden) {
        return finalNorm.apply(hidden);
    }

    @Override
    public KvCache newCache(NDManager manager, int batch, int capacity) {
        return new KvCache(manager, layers.length, batch, config.numKeyValueHeads(), capacity, config.headSize(), DataType.FLOAT32);
    }
}
