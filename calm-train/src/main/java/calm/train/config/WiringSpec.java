package calm.train.config;

import calm.compose.Connection;
import calm.compose.SourceLayers;
import calm.compose.Wiring;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code composition.wiring} setting: {@code default} (the paper's: every 4th augmenting layer,
 * evenly spaced anchor layers; see {@link Wiring#everyFourth}) or an explicit list of
 * {@code [augmenting layer, anchor layer]} pairs such as {@code [[2, 1], [4, 2]]}.
 *
 * @param pairs the explicit pairs; empty for the default wiring
 */
public record WiringSpec(List<Connection> pairs) {

    private static final String ALLOWED = "\"default\" or a list of [augmenting layer, anchor layer] pairs, e.g. [[2, 1], [4, 2]]";

    /** Copies the pairs. */
    public WiringSpec {
        pairs = List.copyOf(pairs);
    }

    /** @return the paper's default wiring */
    public static WiringSpec defaultWiring() {
        return new WiringSpec(List.of());
    }

    /** Reads the YAML form. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static WiringSpec fromJson(JsonNode node) {
        if (node.isTextual()) {
            if (!node.asText().equals("default")) {
                throw new IllegalArgumentException("wiring must be " + ALLOWED + ", got \"" + node.asText() + "\"");
            }
            return defaultWiring();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("wiring must be " + ALLOWED + ", got " + node);
        }
        List<Connection> pairs = new ArrayList<>();
        for (JsonNode pair : node) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isInt() || !pair.get(1).isInt()) {
                throw new IllegalArgumentException("wiring must be " + ALLOWED + "; the entry " + pair
                        + " is not a pair of two layer numbers");
            }
            pairs.add(new Connection(pair.get(0).asInt(), pair.get(1).asInt()));
        }
        return new WiringSpec(pairs);
    }

    /** @return the YAML form: "default" or the list of pairs */
    @JsonValue
    Object toJson() {
        if (pairs.isEmpty()) {
            return "default";
        }
        return pairs.stream().map(c -> List.of(c.augmentingLayer(), c.anchorLayer())).toList();
    }

    /**
     * @param source the layers the augmenting model offers its connections
     * @return the wiring for a source of these layers and an anchor of this depth
     * @throws IllegalArgumentException naming the pair that does not fit ({@link Wiring#of})
     */
    public Wiring resolve(SourceLayers source, int anchorLayers) {
        return Wiring.of(source, anchorLayers, pairs.isEmpty()
                ? Wiring.everyFourth(source.numLayers(), anchorLayers).connections()
                : pairs);
    }
}
