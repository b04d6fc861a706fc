package calm.compose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which augmenting layers feed which anchor layers.
 *
 * <p>The default follows the paper: every 4th augmenting layer, i_k = 4k for k = 1..n with
 * n = floor(N_A / 4) (n = 1 and i_1 = N_A when N_A &lt; 4), each paired with an evenly spaced
 * anchor layer j_k = ceil(k N_B / n), so the last connection always reads the augmenting model's
 * layer 4n and writes after the anchor's last layer. For example N_A = N_B = 4 gives (4, 4);
 * N_A = 8, N_B = 12 gives (4, 6), (8, 12); N_A = 12, N_B = 6 gives (4, 2), (8, 4), (12, 6).
 *
 * @param connections the pairs, in the order their parameters are named
 */
public record Wiring(List<Connection> connections) {

    /** Copies the list; use {@link #of} or {@link #everyFourth} to get a validated wiring. */
    public Wiring {
        connections = List.copyOf(connections);
    }

    /**
     * The paper's default wiring for the given depths.
     *
     * @throws IllegalArgumentException when the anchor has fewer layers than connections
     */
    public static Wiring everyFourth(int augmentingLayers, int anchorLayers) {
        int n = Math.max(1, augmentingLayers / 4);
        List<Connection> pairs = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            int augmenting = augmentingLayers < 4 ? augmentingLayers : 4 * k;
            int anchor = (int) Math.ceil((double) k * anchorLayers / n);
            pairs.add(new Connection(augmenting, anchor));
        }
        return of(augmentingLayers, anchorLayers, pairs);
    }

    /**
     * An explicit wiring of a model read through its layer outputs, validated against the depths of
     * the two models.
     *
     * @throws IllegalArgumentException naming the pair when an index is out of range or two pairs
     *     write the same anchor layer
     */
    public static Wiring of(int augmentingLayers, int anchorLayers, List<Connection> pairs) {
        return of(SourceLayers.outputs(augmentingLayers), anchorLayers, pairs);
    }

    /**
     * An explicit wiring, validated against the layers the source offers and the anchor's depth.
     *
     * @throws IllegalArgumentException naming the pair when it reads a layer the source does not
     *     offer ({@link SourceLayers#check}), writes an anchor layer out of range, or writes the
     *     same anchor layer as another pair
     */
    public static Wiring of(SourceLayers source, int anchorLayers, List<Connection> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("a wiring needs at least one connection");
        }
        Map<Integer, Connection> byAnchor = new HashMap<>();
        for (Connection pair : pairs) {
            source.check(pair);
            if (pair.anchorLayer() < 0 || pair.anchorLayer() > anchorLayers) {
                throw new IllegalArgumentException("connection " + pair + ": anchor layer "
                        + pair.anchorLayer() + " is out of range [0, " + anchorLayers + "]");
            }
            Connection earlier = byAnchor.putIfAbsent(pair.anchorLayer(), pair);
            if (earlier != null) {
                throw new IllegalArgumentException("connections " + earlier + " and " + pair
                        + " both write anchor layer " + pair.anchorLayer()
                        + " (the default wiring needs at least as many anchor layers as connections)");
            }
        }
        return new Wiring(pairs);
    }

    /** @return the distinct augmenting layers that feed a connection, in increasing order */
    public int[] augmentingLayers() {
        return connections.stream().mapToInt(Connection::augmentingLayer).distinct().sorted().toArray();
    }

    /** @return the highest augmenting layer read: the augmenting model never runs above it */
    public int highestAugmentingLayer() {
        return connections.stream().mapToInt(Connection::augmentingLayer).max().orElseThrow();
    }

    /** @return the number of connections */
    public int size() {
        return connections.size();
    }
}
