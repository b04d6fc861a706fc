package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import calm.io.ParameterNames;
import calm.model.nn.FixedShapeBlock;
import calm.model.nn.MatrixProducts;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only language model whose residual stream is open to {@link LayerHook}s. Each
 * architecture family extends this class; nothing here knows about composition.
 */
public abstract class DecoderLM extends FixedShapeBlock implements LanguageModel {

    /** @return the architecture */
    public abstract ModelConfig config();

    /**
     * Runs the embeddings and transformer layers 1..lastLayer over a window.
     *
     * @param window the tokens and their columns
     * @param cache keys and values of earlier columns, updated in place; null for a full pass
     * @param hook called after the embeddings and after each layer up to lastLayer
     * @param lastLayer the last layer to run, in [0, N]; states above it are never computed
     * @return the residual stream after lastLayer (as returned by the hook), [B, T, D]
     */
    public abstract NDArray hidden(Window window, KvCache cache, LayerHook hook, int lastLayer);

    /**
     * Runs every layer, the final norm and the output projection.
     *
     * @return next-token logits [B, T, V]
     */
    public NDArray logits(Window window, KvCache cache, LayerHook hook) {
        return project(hidden(window, cache, hook, numLayers()));
    }

    /**
     * Applies the final norm, what the output projection reads after layer N.
     *
     * @param hidden a residual stream [B, T, D]
     * @return the normalised stream [B, T, D]
     */
    public abstract NDArray finalNorm(NDArray hidden);

    /** @return the output projection's weight [V, D]: the token embedding when tied */
    protected abstract NDArray outputWeight();

    /**
     * Applies the final norm and the output projection: what {@link #logits} does after layer N.
     *
     * @param hidden a residual stream [B, T, D]
     * @return logits [B, T, V]
     */
    public NDArray project(NDArray hidden) {
        NDArray normed = finalNorm(hidden);
        NDArray weight = outputWeight();
        MatrixProducts.linear(normed, weight);
        return Linear.linear(normed, weight).singletonOrThrow();
    }

    /**
     * What a multi-token head predicts (Gloeckle et al. 2024): the output layer applied to the
     * state with the head's linear map added, h + h W^T. The formula both the heads' training and a
     * composition reading predictions use.
     *
     * @param hidden the state after layer N [B, T, D]
     * @param head the head's W [D, D]
     * @return logits [B, T, V] for the token the head looks ahead to
     */
    public NDArray projectAhead(NDArray hidden, NDArray head) {
        MatrixProducts.linear(hidden, head);
        return project(hidden.add(Linear.linear(hidden, head).singletonOrThrow()));
    }

    /** @return an empty cache for this model */
    public abstract KvCache newCache(NDManager manager, int batch, int capacity);

    /** @return N, the number of transformer layers */
    public int numLayers() {
        return config().numLayers();
    }

    /** @return D, the width of the residual stream */
    public int hiddenSize() {
        return config().hiddenSize();
    }

    /** @return the number of attention heads */
    public int numHeads() {
        return config().numHeads();
    }

    @Override
    public int vocabSize() {
        return config().vocabSize();
    }

    @Override
    public int contextLength() {
        return config().contextLength();
    }

    @Override
    public NDArray logits(Batch batch) {
        return logits(Window.full(batch), null, LayerHook.NONE);
    }

    @Override
    public Decoding startDecoding(NDArray tokens, NDArray mask, int capacity) {
        return new SingleDecoding(this, tokens, mask, capacity);
    }

    /** @return the parameters that are not frozen */
    @Override
    public List<Parameter> trainableParameters() {
        return getParameters().values().stream().filter(Parameter::requiresGradient).toList();
    }

    /** @return every parameter by its dotted name ({@link ParameterNames}) */
    @Override
    public Map<String, Parameter> namedParameters() {
        return ParameterNames.of(this);
    }

    /** @return true: a decoder trained whole reads a batch's position offsets */
    @Override
    public boolean readsPositionOffsets() {
        return true;
    }

    /** Freezes every parameter: no gradient is computed for it and no optimizer state is kept. */
    public void freeze() {
        freezeParameters(true);
    }

    /** @return the number of scalar parameters */
    public long parameterCount() {
        return getParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /**
     * Checks what {@link #hidden} is asked to run: lastLayer in [0, N], and a window that fits the
     * model's context; anything else is a clear error.
     */
    protected void checkRun(Window window, int lastLayer) {
        if (lastLayer < 0 || lastLayer > numLayers()) {
            throw new IllegalArgumentException("lastLayer " + lastLayer + " is out of range [0, " + numLayers() + "]");
        }
        if (window.end() > contextLength()) {
            throw new IllegalArgumentException("the sequence reaches " + window.end()
                    + " tokens, beyond the model's context length of " + contextLength());
        }
    }
}
