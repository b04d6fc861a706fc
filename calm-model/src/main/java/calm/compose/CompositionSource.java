package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.model.DecoderLM;
import calm.model.KvCache;
import calm.model.LayerHook;
import calm.model.Window;
import java.util.Map;

/**
 * What a composition's connections read of one frozen augmenting model: its layer outputs (the
 * paper's, {@link LayerOutputs}) or a view of what it predicts ({@link Predictions}). A source
 * declares its layers ({@link #layers()}, which a wiring is checked against) and each layer's width,
 * from which the connections reading it are sized. It adds no parameter.
 */
public interface CompositionSource {

    /** @return the frozen model that runs */
    DecoderLM model();

    /** @return the layers a connection may read */
    SourceLayers layers();

    /**
     * @param layer a layer of {@link #layers()}
     * @return the width of its state, D_A for a connection that reads it
     */
    int width(int layer);

    /**
     * Runs the model over a window up to {@code lastLayer}, handing the hook each layer's state.
     *
     * @param cache the model's cache when decoding, else null
     * @return the state of {@code lastLayer} (as the hook returned it)
     */
    NDArray hidden(Window window, KvCache cache, LayerHook hook, int lastLayer);

    /**
     * @return what a saved composition records of how the model is read, beside the model itself;
     *     empty for its layer outputs
     */
    Map<String, Object> recorded();

    /** @return the model's vocabulary size */
    default int vocabSize() {
        return model().vocabSize();
    }

    /** @return the model's context length */
    default int contextLength() {
        return model().contextLength();
    }

    /** @return an empty cache of the model, for lockstep decoding */
    default KvCache newCache(NDManager manager, int batch, int capacity) {
        return model().newCache(manager, batch, capacity);
    }

    /** Freezes the model. */
    default void freeze() {
        model().freeze();
    }
}
