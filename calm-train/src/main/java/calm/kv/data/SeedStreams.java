package calm.kv.data;

/**
 * Derives one seed per named part of a dataset from the dataset's seed.
 *
 * <p>Each part draws from its own stream so that resizing one split leaves the others unchanged.
 */
final class SeedStreams {

    private SeedStreams() {
    }

    /**
     * Returns the seed of a named stream.
     *
     * @param seed the dataset's seed
     * @param name the part's name; {@link String#hashCode} is fixed by the language, so this is
     *     stable across JVMs
     * @return a well-mixed seed for that part
     */
    static long derive(long seed, String name) {
        return mix64(mix64(seed) ^ name.hashCode());
    }

    /** The finaliser of SplitMix64 (Stafford's variant 13), so nearby inputs give unrelated seeds. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
