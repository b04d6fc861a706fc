package calm.train.config;

import java.util.Objects;

/**
 * The two base models.
 *
 * @param a the augmenting model m_A, which learns the key-value store
 * @param b the anchor m_B, which learns arithmetic
 */
public record ModelsConfig(ModelSpec a, ModelSpec b) {

    /** Checks that nothing is missing. */
    public ModelsConfig {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
    }
}
