package calm.kv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeyValueStoreTest {

    @Test
    void keysAreDistinctStringsOfTwoToSixLowercaseLetters() {
        KeyValueStore store = KeyValueStore.generate(5_000, 7);
        assertEquals(5_000, store.size());
        assertEquals(5_000, new HashSet<>(store.keys()).size());
        int[] byLength = new int[7];
        for (String key : store.keys()) {
            assertTrue(key.matches("[a-z]{2,6}"), key);
            byLength[key.length()]++;
        }
        // Lengths are uniform before collisions are redrawn; only 26^2 = 676 keys of length 2 exist.
        assertTrue(byLength[2] > 400 && byLength[2] <= 676, "length 2 has " + byLength[2] + " keys");
        for (int length = 3; length <= 6; length++) {
            assertTrue(byLength[length] > 900, "length " + length + " has " + byLength[length] + " keys");
        }
    }

    @Test
    void valuesAreAPermutationOfOneToN() {
        KeyValueStore store = KeyValueStore.generate(1_000, 7);
        List<Integer> values = new ArrayList<>();
        store.keys().forEach(key -> values.add(store.value(key)));
        assertEquals(IntStream.rangeClosed(1, 1_000).boxed().toList(), values.stream().sorted().toList());
        assertNotEquals(IntStream.rangeClosed(1, 1_000).boxed().toList(), values, "values should be shuffled");
    }

    @Test
    void sameSeedGivesTheSameStoreAndAnotherSeedAnother() {
        KeyValueStore first = KeyValueStore.generate(500, 42);
        KeyValueStore again = KeyValueStore.generate(500, 42);
        KeyValueStore other = KeyValueStore.generate(500, 43);
        assertEquals(first, again);
        assertEquals(first.keys(), again.keys());
        assertNotEquals(first.keys(), other.keys());
    }

    @Test
    void splitTakesTheFractionAndCoversEveryKeyOnce() {
        KeyValueStore store = KeyValueStore.generate(1_000, 3);
        KeySplit split = store.split(0.2, 11);
        assertEquals(200, split.compositionKeys().size());
        assertEquals(800, split.otherKeys().size());
        Set<String> all = new HashSet<>(split.compositionKeys());
        all.addAll(split.otherKeys());
        assertEquals(new HashSet<>(store.keys()), all);
        assertEquals(split, store.split(0.2, 11));
        assertNotEquals(split, store.split(0.2, 12));
        List<String> inStoreOrder = store.keys().stream().filter(new HashSet<>(split.compositionKeys())::contains).toList();
        assertEquals(inStoreOrder, split.compositionKeys());
    }

    @Test
    void invalidInputsAreRejectedWithTheirReason() {
        assertEquals("numKeys must be in [1, 1000000], got 0",
                assertThrows(IllegalArgumentException.class, () -> KeyValueStore.generate(0, 1)).getMessage());
        assertEquals("value 1 of key 'cd' is used twice", assertThrows(IllegalArgumentException.class,
                () -> KeyValueStore.of(List.of("ab", "cd"), List.of(1, 1))).getMessage());
        assertEquals("key 1 'c' is not 2 to 6 lowercase letters", assertThrows(IllegalArgumentException.class,
                () -> KeyValueStore.of(List.of("ab", "c"), List.of(1, 2))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeyValueStore.generate(3, 1).split(0.1, 1));
        assertEquals("key 'zz' is not in the store", assertThrows(IllegalArgumentException.class,
                () -> KeyValueStore.of(List.of("ab"), List.of(1)).value("zz")).getMessage());
    }
}
