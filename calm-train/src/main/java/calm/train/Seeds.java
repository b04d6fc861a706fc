package calm.train;

/**
 * Derives independent seeds from a job's seed, one per purpose and index, so that every random
 * choice of a training job is a function of (seed, purpose, index) and nothing else.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * @param seed the job's seed
     * @param purpose what the seed is for, e.g. {@code "data-order"}; {@link String#hashCode} is
     *     fixed by the language, so derived seeds are the same on every JVM
     * @param index e.g. the epoch or the update number
     * @return a well-mixed seed
     */
    public static long derive(long seed, String purpose, long index) {
        return mix64(mix64(mix64(seed) ^ purpose.hashCode()) + index);
    }

    /** @return the engine seed of update u: the engine's generator is re-seeded before each update */
    public static int engineSeed(long seed, long update) {
        return (int) derive(seed, "engine", update);
    }

    /** SplitMix64's finaliser (Stafford's variant 13): nearby inputs give unrelated outputs. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
