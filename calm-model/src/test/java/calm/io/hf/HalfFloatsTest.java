package calm.io.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void narrowsToHalfWithIeeeRounding() {
        // Bit patterns from the IEEE 754 binary16 tables.
        assertEquals(0x3C00, bits(HalfFloats.floatToHalf(1f)));
        assertEquals(0xC000, bits(HalfFloats.floatToHalf(-2f)));
        assertEquals(0x7BFF, bits(HalfFloats.floatToHalf(65504f)), "largest half");
        assertEquals(0x7BFF, bits(HalfFloats.floatToHalf(65519.99f)), "below the halfway point to 65536 rounds down");
        assertEquals(0x7C00, bits(HalfFloats.floatToHalf(65520f)), "halfway to 65536 rounds to even: infinity");
        assertEquals(0x2E66, bits(HalfFloats.floatToHalf(0.1f)));
        assertEquals(0x0001, bits(HalfFloats.floatToHalf(0x1p-24f)), "smallest subnormal");
        assertEquals(0x0000, bits(HalfFloats.floatToHalf(0x1p-25f)), "halfway to the smallest subnormal rounds to even: 0");
        assertEquals(0x0001, bits(HalfFloats.floatToHalf(0x1.8p-25f)));
        assertEquals(0x0400, bits(HalfFloats.floatToHalf(0x1p-14f)), "smallest normal");
        assertEquals(0x3C00, bits(HalfFloats.floatToHalf(1f + 0x1p-11f)), "a tie between 1 and 1 + 2^-10 rounds to even");
        assertEquals(0x3C02, bits(HalfFloats.floatToHalf(1f + 3 * 0x1p-11f)), "a tie rounds up to the even neighbour");
        assertEquals(0x8000, bits(HalfFloats.floatToHalf(-0f)));
        assertEquals(0xFC00, bits(HalfFloats.floatToHalf(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(HalfFloats.halfToFloat(HalfFloats.floatToHalf(Float.NaN))));
    }

    @Test
    void everyHalfSurvivesTheRoundTrip() {
        for (int h = 0; h < 1 << 16; h++) {
            float value = HalfFloats.halfToFloat((short) h);
            if (!Float.isNaN(value)) {
                assertEquals(h, bits(HalfFloats.floatToHalf(value)), "half " + h);
            }
            float bf = HalfFloats.bfloat16ToFloat((short) h);
            if (!Float.isNaN(bf)) {
                assertEquals(h, bits(HalfFloats.floatToBfloat16(bf)));
            }
        }
    }

    @Test
    void narrowsToBfloat16WithRoundingToEven() {
        assertEquals(0x3F80, bits(HalfFloats.floatToBfloat16(1f)));
        assertEquals(0x3F80, bits(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3F808000))), "tie, even below");
        assertEquals(0x3F82, bits(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3F818000))), "tie, even above");
        assertEquals(0x3F81, bits(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3F808001))), "above the tie");
    }

    private static int bits(short value) {
        return value & 0xFFFF;
    }
}
