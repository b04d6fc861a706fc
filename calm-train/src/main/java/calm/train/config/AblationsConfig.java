package calm.train.config;

import java.util.Objects;

/**
 * The paper's ablations: CALM with m_A replaced or used differently, trained like CALM (same
 * composition settings, same {@code training}).
 *
 * @param vanillaAugmenting compose a model of m_A's architecture trained on other data, which does
 *     not know the store
 * @param vanillaData what that model is pretrained on
 * @param randomAugmenting compose m_A's architecture at its random initialisation, untrained
 * @param encoderAugmenting compose m_A in encoder mode: the anchor reads m_A's states over the prompt
 *     only
 */
public record AblationsConfig(boolean vanillaAugmenting, VanillaData vanillaData, boolean randomAugmenting,
        boolean encoderAugmenting) {

    /** What the vanilla m_A learns instead of the experiment's store. */
    public enum VanillaData {
        /** KV-Substitution over another key store: the data built with seed {@code data.seed + 1}. */
        OTHER_KEYS,
        /** Numeric-Arithmetic, m_B's task, with m_A's pretraining settings. */
        NUMERIC_ARITHMETIC,
        /**
         * m_B itself: pretrained on Numeric-Arithmetic, never shown a key, nothing more to train;
         * needs m_A's architecture.
         */
        ANCHOR
    }

    /** Checks the fields. */
    public AblationsConfig {
        Objects.requireNonNull(vanillaData, "vanillaData");
    }

    /** @return every ablation on; the vanilla m_A learns another key store */
    public static AblationsConfig defaults() {
        return new AblationsConfig(true, VanillaData.OTHER_KEYS, true, true);
    }
}
