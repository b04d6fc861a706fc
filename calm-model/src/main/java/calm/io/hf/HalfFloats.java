package calm.io.hf;

/**
 * The 16-bit float formats of safetensors files and float32, both ways. Widening is exact; narrowing
 * rounds to the nearest representable value, ties to even, as {@code torch.Tensor.to} does. Java
 * 17 has neither conversion built in.
 */
public final class HalfFloats {

    private HalfFloats() {}

    /** bfloat16 is the upper half of a float32: widening is exact. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float32 to bfloat16, rounding to nearest even; NaN stays NaN. */
    public static short floatToBfloat16(float value) {
        if (Float.isNaN(value)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(value);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** IEEE half to float32, exact for every value. */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            // Infinity or NaN: keep the payload.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * float32 to IEEE half, rounding to nearest even: values beyond the largest half (65504) round
     * to infinity, values below the smallest subnormal (2^-24) to a signed zero; NaN stays NaN.
     */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int unbiased = exponent - 127;
        if (unbiased > 15) {
            return (short) (sign | 0x7C00);
        }
        if (unbiased >= -14) {
            // Normal half: keep 10 of 23 mantissa bits, round the 13 dropped ones to nearest even.
            int half = ((unbiased + 15) << 10) | (mantissa >>> 13);
            int dropped = mantissa & 0x1FFF;
            if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) == 1)) {
                half++; // may carry into the exponent, up to infinity: still correct
            }
            return (short) (sign | half);
        }
        if (unbiased < -25) {
            return (short) sign;
        }
        // Subnormal half: value = m * 2^-24 with the implicit leading 1 made explicit.
        int full = mantissa | 0x800000;
        int shift = -unbiased - 14 + 13; // 14..24 when unbiased is -15..-25
        int half = full >>> shift;
        int dropped = full & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (dropped > halfway || (dropped == halfway && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }
}
