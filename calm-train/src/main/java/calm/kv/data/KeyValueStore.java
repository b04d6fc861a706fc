package calm.kv.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The knowledge artifact D_KV: N distinct keys of 2 to 6 lowercase letters, whose values are a
 * permutation of 1..N.
 */
public final class KeyValueStore {

    /** Shortest key, as in the paper. */
    public static final int MIN_KEY_LENGTH = 2;
    /** Longest key, as in the paper. */
    public static final int MAX_KEY_LENGTH = 6;
    /** Largest store; far below the 321 million possible keys, so drawing keys stays fast. */
    public static final int MAX_SIZE = 1_000_000;

    private static final Pattern KEY = Pattern.compile("[a-z]{" + MIN_KEY_LENGTH + "," + MAX_KEY_LENGTH + "}");

    private final List<String> keys;
    private final Map<String, Integer> values;

    private KeyValueStore(List<String> keys, Map<String, Integer> values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * Draws a store: each key's length uniform in 2..6, then each letter uniform, redrawn until
     * distinct; values are a uniformly random permutation of 1..N assigned in key order.
     *
     * @param size the number of keys N, in [1, {@value #MAX_SIZE}]
     * @param seed the seed; the same seed gives the same store
     * @return the store
     */
    public static KeyValueStore generate(int size, long seed) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("numKeys must be in [1, " + MAX_SIZE + "], got " + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> keys = new LinkedHashSet<>();
        while (keys.size() < size) {
            int length = random.nextInt(MIN_KEY_LENGTH, MAX_KEY_LENGTH + 1);
            char[] letters = new char[length];
            for (int i = 0; i < length; i++) {
                letters[i] = (char) ('a' + random.nextInt(26));
            }
            keys.add(new String(letters));
        }
        int[] permutation = new int[size];
        for (int i = 0; i < size; i++) {
            permutation[i] = i + 1;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        return of(new ArrayList<>(keys), Arrays.stream(permutation).boxed().toList());
    }

    /**
     * Builds a store from given pairs, as read back from a file.
     *
     * @param keys distinct keys of 2 to 6 lowercase letters
     * @param values the value of each key, together a permutation of 1..N
     * @return the store
     * @throws IllegalArgumentException naming the first key or value that breaks these rules
     */
    public static KeyValueStore of(List<String> keys, List<Integer> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
        }
        if (keys.isEmpty() || keys.size() > MAX_SIZE) {
            throw new IllegalArgumentException("a store has 1 to " + MAX_SIZE + " keys, got " + keys.size());
        }
        Map<String, Integer> byKey = new HashMap<>();
        boolean[] used = new boolean[keys.size() + 1];
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            Integer value = values.get(i);
            if (key == null || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("key " + i + " '" + key + "' is not 2 to 6 lowercase letters");
            }
            if (value == null || value < 1 || value > keys.size()) {
                throw new IllegalArgumentException("value of key '" + key + "' is " + value
                        + ", outside [1, " + keys.size() + "]");
            }
            if (used[value]) {
                throw new IllegalArgumentException("value " + value + " of key '" + key + "' is used twice");
            }
            used[value] = true;
            if (byKey.put(key, value) != null) {
                throw new IllegalArgumentException("key '" + key + "' appears twice");
            }
        }
        return new KeyValueStore(List.copyOf(keys), Map.copyOf(byKey));
    }

    /**
     * Returns the number of keys.
     *
     * @return N
     */
    public int size() {
        return keys.size();
    }

    /**
     * Returns the keys in the order they were drawn.
     *
     * @return an unmodifiable list
     */
    public List<String> keys() {
        return keys;
    }

    /**
     * Tells whether a key is in the store.
     *
     * @param key any string
     * @return true if it is a key of this store
     */
    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /**
     * Looks up a key.
     *
     * @param key a key of this store
     * @return its value, in [1, N]
     * @throws IllegalArgumentException if the key is not in the store
     */
    public int value(String key) {
        Integer value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("key '" + key + "' is not in the store");
        }
        return value;
    }

    /**
     * Splits the keys at random into the composition keys (which D_C may use) and the others.
     *
     * @param compositionFraction the share of keys for D_C, in (0, 1); the paper's is 0.2
     * @param seed the seed; the same seed gives the same split
     * @return {@code round(fraction * N)} composition keys and the rest, each side in store order
     * @throws IllegalArgumentException if either side would be empty
     */
    public KeySplit split(double compositionFraction, long seed) {
        if (!(compositionFraction > 0 && compositionFraction < 1)) {
            throw new IllegalArgumentException("compositionFraction must be in (0, 1), got " + compositionFraction);
        }
        int count = (int) Math.round(compositionFraction * size());
        if (count < 1 || count > size() - 1) {
            throw new IllegalArgumentException("compositionFraction " + compositionFraction + " of " + size()
                    + " keys gives " + count + " composition keys; both sides of the split need at least one key");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        boolean[] chosen = new boolean[size()];
        for (int i = 0; i < count; i++) {
            int j = random.nextInt(i, order.length);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            chosen[order[i]] = true;
        }
        List<String> composition = new ArrayList<>(count);
        List<String> other = new ArrayList<>(size() - count);
        for (int i = 0; i < size(); i++) {
            (chosen[i] ? composition : other).add(keys.get(i));
        }
        return new KeySplit(composition, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValueStore other && keys.equals(other.keys) && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keys, values);
    }

    @Override
    public String toString() {
        return "KeyValueStore[" + size() + " keys]";
    }
}
