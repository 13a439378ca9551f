package jcipa.tensor.io;

/**
 * Exact widening of the narrow float formats to float32 (every value of each is a float32 value).
 */
final class NarrowFloats {
    private NarrowFloats() {}

    /** IEEE binary16. */
    static float f16(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** bfloat16: the top 16 bits of a float32. */
    static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * float8 e4m3fn: sign, 4 exponent bits (bias 7), 3 mantissa bits; exponent 0 is subnormal
     * (m/8 · 2^-6); S.1111.111 is NaN; no infinities (largest 448).
     */
    static float e4m3(byte b) {
        int sign = (b & 0x80) != 0 ? -1 : 1;
        int e = (b >>> 3) & 0xF, m = b & 0x7;
        if (e == 0xF && m == 0x7) return Float.NaN;
        float mag = e == 0 ? Math.scalb((float) m, -9) : Math.scalb((float) (8 + m), e - 7 - 3);
        return sign * mag;
    }

    /**
     * float8 e5m2: sign, 5 exponent bits (bias 15), 2 mantissa bits, laid out like IEEE binary16's
     * top byte, so it widens through binary16.
     */
    static float e5m2(byte b) {
        return Float.float16ToFloat((short) ((b & 0xFF) << 8));
    }
}
