package calm.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks a token from one row of probabilities with top-k and top-p filtering, seeded. */
final class Sampler {

    private final DecodingConfig config;
    private final Random random;

    Sampler(DecodingConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    /** @param probabilities softmax(logits / temperature) of one row */
    int sample(float[] probabilities) {
        Integer[] order = new Integer[probabilities.length];
        Arrays.setAll(order, i -> i);
        // Stable sort: ties keep token order, so results do not depend on the sort's internals.
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
        int keep = config.topK() > 0 ? Math.min(config.topK(), order.length) : order.length;
        double mass = 0;
        int kept = 0;
        while (kept < keep) {
            mass += probabilities[order[kept]];
            kept++;
            if (mass >= config.topP()) {
                break;
            }
        }
        double target = random.nextDouble() * mass;
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += probabilities[order[i]];
            if (target < cumulative) {
                return order[i];
            }
        }
        return order[kept - 1];
    }
}
