package calm.train.config;

import calm.compose.Augmentation;
import java.util.Objects;

/**
 * How m_A is composed into m_B.
 *
 * @param wiring which augmenting layers feed which anchor layers
 * @param heads cross-attention heads (0 = the anchor's number of heads)
 * @param mode lockstep (the paper's: m_A reads every token) or encoder (m_A reads the prompt only)
 * @param zeroInitOutput start W_O at zero, so the untrained composition equals the anchor
 */
public record CompositionConfig(WiringSpec wiring, int heads, Augmentation.Mode mode, boolean zeroInitOutput) {

    /** Checks the fields. */
    public CompositionConfig {
        Objects.requireNonNull(wiring, "wiring");
        Objects.requireNonNull(mode, "mode");
        if (heads < 0) {
            throw new IllegalArgumentException("heads must be >= 0 (0 = the anchor's), got " + heads);
        }
    }

    /** @return the default wiring, the anchor's heads, lockstep, zero-initialised output */
    public static CompositionConfig defaults() {
        return new CompositionConfig(WiringSpec.defaultWiring(), 0, Augmentation.Mode.LOCKSTEP, true);
    }
}
