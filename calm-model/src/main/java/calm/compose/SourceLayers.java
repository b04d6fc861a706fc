package calm.compose;

/**
 * The layers a {@link CompositionSource} offers its connections, known before any model is built:
 * layers 0..{@code numLayers} (0 the embeddings), of which {@code firstReadable} and above may be
 * read. The one place where a connection's augmenting layer is checked, by the composition's
 * builder and by the config loader alike.
 *
 * @param numLayers the highest layer
 * @param firstReadable the lowest layer a connection may read
 * @param reading how the source is read, for the message when a connection reads below
 *     {@code firstReadable} (e.g. "a model read through its predictions: layer 5 ...")
 */
public record SourceLayers(int numLayers, int firstReadable, String reading) {

    /** Checks the bounds. */
    public SourceLayers {
        if (numLayers < 0 || firstReadable < 0 || firstReadable > numLayers) {
            throw new IllegalArgumentException("a source needs 0 <= firstReadable <= numLayers, got " + firstReadable
                    + " and " + numLayers);
        }
    }

    /** @return a model's layer outputs 0..numLayers, every one readable (the paper's reading) */
    public static SourceLayers outputs(int numLayers) {
        return new SourceLayers(numLayers, 0, "a model read through its layer outputs");
    }

    /**
     * @param modelLayers the model's own layers, N
     * @return a model read through its predictions, its layer N + 1, the only readable one
     */
    public static SourceLayers predictions(int modelLayers) {
        return new SourceLayers(modelLayers + 1, modelLayers + 1, "a model read through its predictions: layer "
                + (modelLayers + 1) + " (its " + modelLayers + " layers plus one) is the only one a connection reads");
    }

    /**
     * @throws IllegalArgumentException naming the connection when it reads a layer this source does
     *     not offer
     */
    public void check(Connection pair) {
        int layer = pair.augmentingLayer();
        if (layer < 0 || layer > numLayers) {
            throw new IllegalArgumentException("connection " + pair + ": augmenting layer " + layer
                    + " is out of range [0, " + numLayers + "]" + (firstReadable > 0 ? " of " + reading : ""));
        }
        if (layer < firstReadable) {
            throw new IllegalArgumentException("connection " + pair + " reads layer " + layer + " of " + reading);
        }
    }
}
