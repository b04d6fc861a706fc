package calm.kv.data;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every split of the key-value arithmetic experiment, built from settings and one seed.
 *
 * <p>The same settings and seed give identical data. Each split draws from its own random stream,
 * so changing the size of one split changes no other (beyond the rare draw that a new held-out
 * expression now excludes). No expression of an evaluation split occurs in any training split, in
 * either its key form or its numeric form.
 */
public final class KvArithmeticDatasets {

    private final KvArithmeticSettings settings;
    private final long seed;
    private final KeyValueStore store;
    private final KeySplit keySplit;
    private final Map<KvSplit, List<KvExample>> splits;

    KvArithmeticDatasets(KvArithmeticSettings settings, long seed, KeyValueStore store, KeySplit keySplit,
            Map<KvSplit, List<KvExample>> splits) {
        this.settings = settings;
        this.seed = seed;
        this.store = store;
        this.keySplit = keySplit;
        EnumMap<KvSplit, List<KvExample>> copy = new EnumMap<>(KvSplit.class);
        splits.forEach((split, examples) -> copy.put(split, List.copyOf(examples)));
        this.splits = Collections.unmodifiableMap(copy);
    }

    /**
     * Builds the store, the key split and every split.
     *
     * @param settings what to build
     * @param seed the seed; the same settings and seed give identical data
     * @return the datasets
     * @throws IllegalArgumentException if a split cannot be filled with distinct expressions (too few
     *     keys or operands for the sizes asked)
     */
    public static KvArithmeticDatasets build(KvArithmeticSettings settings, long seed) {
        return KvArithmeticBuilder.build(settings, seed);
    }

    /**
     * Returns the settings the datasets were built with.
     *
     * @return the settings
     */
    public KvArithmeticSettings settings() {
        return settings;
    }

    /**
     * Returns the seed the datasets were built with.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the knowledge artifact D_KV.
     *
     * @return the store
     */
    public KeyValueStore store() {
        return store;
    }

    /**
     * Returns which keys D_C may use.
     *
     * @return the split of the store's keys
     */
    public KeySplit keySplit() {
        return keySplit;
    }

    /**
     * Returns the splits that were built: all but the scratchpad ones unless the settings ask for them.
     *
     * @return the splits in {@link KvSplit} order
     */
    public Set<KvSplit> splits() {
        return splits.keySet();
    }

    /**
     * Returns the examples of one split.
     *
     * @param split a split that was built
     * @return its examples, in the order drawn
     * @throws IllegalArgumentException for a scratchpad split when the scratchpad was not asked for
     */
    public List<KvExample> get(KvSplit split) {
        List<KvExample> examples = splits.get(split);
        if (examples == null && split == KvSplit.VALIDATION_COMPOSITION) {
            return List.of();
        }
        if (examples == null) {
            throw new IllegalArgumentException("split " + split.id() + " was not built: the settings have scratchpad=false");
        }
        return examples;
    }
}
