package calm.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * A hook that records the residual stream after chosen layers (0 = embeddings), leaving it
 * unchanged. Record once per forward call; {@link #get} returns the state of the last call.
 */
public final class HiddenStates implements LayerHook {

    private final NDArray[] states;
    private final boolean[] wanted;

    /**
     * @param numLayers the model's N
     * @param layers the layers to record, each in [0, N]
     */
    public HiddenStates(int numLayers, int... layers) {
        states = new NDArray[numLayers + 1];
        wanted = new boolean[numLayers + 1];
        for (int layer : layers) {
            if (layer < 0 || layer > numLayers) {
                throw new IllegalArgumentException(
                        "layer " + layer + " is out of range [0, " + numLayers + "]");
            }
            wanted[layer] = true;
        }
    }

    /** @return a recorder of every layer 0..N */
    public static HiddenStates all(int numLayers) {
        int[] layers = new int[numLayers + 1];
        Arrays.setAll(layers, i -> i);
        return new HiddenStates(numLayers, layers);
    }

    @Override
    public NDArray afterLayer(int layer, NDArray hidden, Window window) {
        if (wanted[layer]) {
            states[layer] = hidden;
        }
        return hidden;
    }

    /** @return the recorded state after {@code layer}, [B, T, D] */
    public NDArray get(int layer) {
        if (layer < 0 || layer >= states.length || states[layer] == null) {
            throw new IllegalStateException("layer " + layer + " was not recorded");
        }
        return states[layer];
    }
}
