package calm.model;

import ai.djl.ndarray.NDArray;

/**
 * A hook on a decoder's residual stream. After the embeddings (layer 0) and after every
 * transformer layer l = 1..N the model calls {@link #afterLayer}; what the hook returns is what
 * layer l + 1 reads (after layer N: what the final norm reads). A hook reads a state by returning
 * it unchanged, and adds to the stream by returning {@code hidden + delta}.
 *
 * <p>Hooks run in full forward passes and in cached incremental decoding alike; in decoding, the
 * window holds only the new tokens.
 */
@FunctionalInterface
public interface LayerHook {

    /** The hook that changes nothing. */
    LayerHook NONE = (layer, hidden, window) -> hidden;

    /**
     * @param layer 0 for the embeddings, l for the output of transformer layer l (1-based)
     * @param hidden the residual stream, [B, T, D]
     * @param window the tokens of this call
     * @return the residual stream the next layer reads
     */
    NDArray afterLayer(int layer, NDArray hidden, Window window);

    /** @return a hook that runs this one, then {@code next} on its result */
    default LayerHook then(LayerHook next) {
        return (layer, hidden, window) -> next.afterLayer(layer, afterLayer(layer, hidden, window), window);
    }

    /** @return a hook that adds {@code delta} (broadcastable to [B, T, D]) after {@code layer} */
    static LayerHook adding(int layer, NDArray delta) {
        return (l, hidden, window) -> l == layer ? hidden.add(delta) : hidden;
    }
}
