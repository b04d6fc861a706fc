package calm.generate;

/**
 * How to pick each new token.
 *
 * @param maxNewTokens the most tokens generated per row (> 0)
 * @param temperature 0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topK keep only the k most likely tokens (0 = all)
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (1 = all)
 * @param seed seeds the sampler: the same seed gives the same tokens
 * @param stopToken generation of a row ends after this token (-1 = none); it is not returned
 */
public record DecodingConfig(int maxNewTokens, double temperature, int topK, double topP, long seed, int stopToken) {

    /** Validates every field, naming the one that is out of range. */
    public DecodingConfig {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = no limit), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
    }

    /** @return greedy decoding of at most maxNewTokens tokens, ending at stopToken (-1 = none) */
    public static DecodingConfig greedy(int maxNewTokens, int stopToken) {
        return new DecodingConfig(maxNewTokens, 0, 0, 1, 0, stopToken);
    }

    /** @return whether tokens are sampled rather than chosen greedily */
    public boolean sampling() {
        return temperature > 0;
    }
}
