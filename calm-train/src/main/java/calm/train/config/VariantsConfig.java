package calm.train.config;

import java.util.List;
import java.util.Objects;

/**
 * Further CALM rows of the report, each a composition trained like CALM itself: the
 * {@code composition} settings and the {@code training} section, with only what is named here
 * changed. Kept out of {@code composition} so that adding a row never retrains the ones saved.
 *
 * @param layerOutputs with {@code composition.reads: PREDICTIONS}, also train the paper's reading,
 *     m_A's layer outputs: the row "CALM, layer outputs"
 * @param layerOutputsWiring that row's wiring ("default": the paper's)
 * @param seeds further seeds every CALM row is trained with, each in place of {@code training.seed}
 *     (initialisation and data order); the report gives each seed's score and their mean
 */
public record VariantsConfig(boolean layerOutputs, WiringSpec layerOutputsWiring, List<Long> seeds) {

    /** Checks the fields: seeds distinct. */
    public VariantsConfig {
        Objects.requireNonNull(layerOutputsWiring, "layerOutputsWiring");
        seeds = List.copyOf(seeds);
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must not repeat a value, got " + seeds);
        }
    }

    /** @return no further row */
    public static VariantsConfig none() {
        return new VariantsConfig(false, WiringSpec.defaultWiring(), List.of());
    }

    /** @return whether any further row is asked for */
    public boolean any() {
        return layerOutputs || !seeds.isEmpty();
    }
}
