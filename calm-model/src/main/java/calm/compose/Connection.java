package calm.compose;

/**
 * One CALM connection: the residual stream of augmenting layer i is projected and cross-attended
 * from anchor layer j; the result is added to the anchor's stream after layer j. Layers are
 * hidden-state indices: 0 is the embeddings, l in 1..N the output of transformer layer l.
 *
 * @param augmentingLayer i, in [0, N_A]
 * @param anchorLayer j, in [0, N_B]
 */
public record Connection(int augmentingLayer, int anchorLayer) {

    @Override
    public String toString() {
        return "(" + augmentingLayer + ", " + anchorLayer + ")";
    }
}
