package calm.compose;

import ai.djl.ndarray.NDArray;
import calm.model.DecoderLM;
import calm.model.KvCache;
import calm.model.LayerHook;
import calm.model.Window;
import java.util.Map;

/**
 * A model read through its layer outputs, the paper's reading: layer 0 (the embeddings) to N, each
 * of width D_A.
 *
 * @param model the augmenting model
 */
public record LayerOutputs(DecoderLM model) implements CompositionSource {

    @Override
    public SourceLayers layers() {
        return SourceLayers.outputs(model.numLayers());
    }

    @Override
    public int width(int layer) {
        return model.hiddenSize();
    }

    @Override
    public NDArray hidden(Window window, KvCache cache, LayerHook hook, int lastLayer) {
        return model.hidden(window, cache, hook, lastLayer);
    }

    @Override
    public Map<String, Object> recorded() {
        return Map.of();
    }
}
