package calm.model.gpt;

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
import calm.model.nn.Norm;

/**
 * The GPT family: token and learned position embeddings, N pre-LayerNorm blocks, a final
 * LayerNorm and the output projection (the token embedding itself when tied).
 *
 * <p>Parameter names (as saved): {@code wte.weight [V, D]}, {@code wpe.weight [P, D]},
 * {@code layers.L.ln1|ln2.weight|bias [D]}, {@code layers.L.attn.qkv.weight [3D, D]} (rows: Q, K, V),
 * {@code layers.L.attn.proj.weight [D, D]}, {@code layers.L.mlp.fc.weight [M, D]},
 * {@code layers.L.mlp.proj.weight [D, M]} (each with a bias), {@code lnf.weight|bias [D]}, and
 * {@code head.weight [V, D]} when untied.
 */
public final class Gpt extends DecoderLM {

    private final GptConfig config;
    private final EmbeddingTable tokenEmbedding;
    private final EmbeddingTable positionEmbedding;
    private final GptLayer[] layers;
    private final Norm finalNorm;
    private final Dense head;

    /** Builds an uninitialised model; call {@code initialize(manager, DataType.FLOAT32)}. */
    public Gpt(GptConfig config) {
        this.config = config;
        tokenEmbedding = addChildBlock("wte", new EmbeddingTable(config.vocabSize(), config.hiddenSize()));
        positionEmbedding = addChildBlock("wpe", new EmbeddingTable(config.contextLength(), config.hiddenSize()));
        layers = new GptLayer[config.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = addChildBlock("layers." + i, new GptLayer(config));
        }
        finalNorm = addChildBlock("lnf", new Norm(config.hiddenSize(), config.layerNormEpsilon()));
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
        NDArray x = tokenEmbedding.lookup(window.tokens()).addi(positionEmbedding.lookup(window.positions()));
        x = hook.afterLayer(0, x, window);
        NDArray bias = lastLayer > 0 ? window.selfAttentionBias() : null;
        for (int i = 0; i < lastLayer; i++) {
            x = layers[i].apply(x, bias, cache, i, window.start());
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
        return new KvCache(manager, layers.length, batch, config.numHeads(), capacity, config.headSize(), DataType.FLOAT32);
    }
}
