package calm.kv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigitOrderTest {

    private static final DigitOrder MSD = DigitOrder.MOST_SIGNIFICANT_FIRST;
    private static final DigitOrder LSD = DigitOrder.LEAST_SIGNIFICANT_FIRST;

    @Test
    void leastSignificantFirstReversesTheDigitsAndKeepsTheSignInFront() {
        assertEquals("021", LSD.write(120));
        assertEquals("-321", LSD.write(-123));
        assertEquals("0", LSD.write(0));
        assertEquals("7", LSD.write(7));
        assertEquals("52", LSD.write(25));
        assertEquals("120", MSD.write(120));
        assertEquals("-123", MSD.write(-123));
    }

    @Test
    void everyNumberRoundTripsInBothOrders() {
        for (DigitOrder order : DigitOrder.values()) {
            for (long value = -2_000; value <= 2_000; value++) {
                assertEquals(value, order.read(order.write(value)), order + " " + value);
            }
            for (long value : List.of(Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000L, -25_000L)) {
                assertEquals(value, order.read(order.write(value)), order + " " + value);
            }
        }
        assertEquals(120, LSD.read("021"));
        assertEquals(-321, LSD.read("-123"));
    }

    @Test
    void readAcceptsOnlyTheCanonicalForm() {
        assertThrows(IllegalArgumentException.class, () -> MSD.read("012"));
        assertThrows(IllegalArgumentException.class, () -> LSD.read("210"));
        assertThrows(IllegalArgumentException.class, () -> LSD.read("-0"));
        assertThrows(IllegalArgumentException.class, () -> MSD.read(""));
        assertThrows(IllegalArgumentException.class, () -> MSD.read("1+2"));
        assertThrows(IllegalArgumentException.class, () -> MSD.read("99999999999999999999"));
        assertEquals(0, MSD.read("0"));
    }
}
