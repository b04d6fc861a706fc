package calm.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WiringTest {

    private static List<Connection> pairs(int... indices) {
        java.util.ArrayList<Connection> list = new java.util.ArrayList<>();
        for (int i = 0; i < indices.length; i += 2) {
            list.add(new Connection(indices[i], indices[i + 1]));
        }
        return list;
    }

    @Test
    void defaultWiringMatchesTheDocumentedIndices() {
        assertEquals(pairs(4, 4), Wiring.everyFourth(4, 4).connections());
        assertEquals(pairs(4, 6, 8, 12), Wiring.everyFourth(8, 12).connections());
        assertEquals(pairs(4, 2, 8, 4, 12, 6), Wiring.everyFourth(12, 6).connections());
        assertEquals(pairs(4, 3, 8, 6, 12, 8, 16, 11, 20, 14, 24, 16), Wiring.everyFourth(24, 16).connections());
        assertEquals(pairs(2, 4), Wiring.everyFourth(2, 4).connections());
        assertEquals(pairs(4, 2, 8, 4), Wiring.everyFourth(10, 4).connections());
    }

    @Test
    void anAugmentingLayerOutOfRangeIsNamed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Wiring.of(4, 6, pairs(2, 1, 5, 3)));
        assertEquals("connection (5, 3): augmenting layer 5 is out of range [0, 4]", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> Wiring.of(4, 6, pairs(-1, 1)));
        assertEquals("connection (-1, 1): augmenting layer -1 is out of range [0, 4]", error.getMessage());
    }

    @Test
    void anAnchorLayerOutOfRangeIsNamed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Wiring.of(4, 6, pairs(2, 7)));
        assertEquals("connection (2, 7): anchor layer 7 is out of range [0, 6]", error.getMessage());
    }

    @Test
    void twoConnectionsIntoOneAnchorLayerAreNamed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Wiring.of(4, 6, pairs(1, 3, 2, 3)));
        assertEquals("connections (1, 3) and (2, 3) both write anchor layer 3"
                + " (the default wiring needs at least as many anchor layers as connections)", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wiring.everyFourth(12, 2));
    }

    @Test
    void anEmptyWiringIsAnError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Wiring.of(4, 4, List.of()));
        assertEquals("a wiring needs at least one connection", error.getMessage());
    }
}
