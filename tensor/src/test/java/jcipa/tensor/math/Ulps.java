package jcipa.tensor.math;

import java.util.ArrayList;
import java.util.List;

/** Error measure and input sets for the float32 math tests. */
final class Ulps {
    private Ulps() {}

    /**
     * |f - ref| in units of the float spacing at ref (2^(e-23) for ref in [2^e, 2^(e+1)), 2^-149
     * below the normal range), so a correctly rounded result has error <= 0.5. Infinities count as
     * ±2^128 (the float after MAX_VALUE) unless ref itself rounds to infinity. NaN must match NaN, and a
     * zero reference must be matched with the same sign. Mismatches give +Inf.
     */
    static double error(float f, double ref) {
        if (Double.isNaN(ref)) return Float.isNaN(f) ? 0 : Double.POSITIVE_INFINITY;
        if (Float.isNaN(f)) return Double.POSITIVE_INFINITY;
        if (Float.isInfinite((float) ref)) return f == (float) ref ? 0 : Double.POSITIVE_INFINITY;
        if (ref == 0) {
            boolean sameSign = (Float.floatToRawIntBits(f) < 0) == (Double.doubleToRawLongBits(ref) < 0);
            return f == 0 && sameSign ? 0 : Double.POSITIVE_INFINITY;
        }
        double fd = Float.isInfinite(f) ? Math.copySign(0x1p128, f) : f;
        int e = Math.max(Math.getExponent(ref), Float.MIN_EXPONENT);
        return Math.abs(fd - ref) / Math.scalb(1.0, e - 23);
    }

    /** Floats in increasing order map to increasing ints (sign-magnitude to two's complement). */
    static int ordered(float f) {
        int b = Float.floatToRawIntBits(f);
        return b >= 0 ? b : Integer.MIN_VALUE - b;
    }

    static float fromOrdered(int o) {
        return Float.intBitsToFloat(o >= 0 ? o : Integer.MIN_VALUE - o);
    }

    /** About n floats evenly spaced in bit pattern (so in relative terms) across [lo, hi]. */
    static float[] sweep(float lo, float hi, int n) {
        long a = ordered(lo), b = ordered(hi);
        long step = Math.max(1, (b - a) / n);
        int count = (int) ((b - a) / step + 1);
        float[] xs = new float[count];
        for (int i = 0; i < count; i++) xs[i] = fromOrdered((int) (a + i * step));
        return xs;
    }

    /** Every stride-th bit pattern over all 2^32 (NaNs included), starting at offset. */
    static float[] allBits(int stride, int offset) {
        int n = (int) (((1L << 32) - offset + stride - 1) / stride);
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = Float.intBitsToFloat((int) (offset + (long) i * stride));
        return xs;
    }

    /** Special and boundary inputs: zeros, subnormals, extremes, NaNs, the thresholds of every branch, and their neighbours. */
    static float[] specials() {
        float[] base = {
            0f, Float.MIN_VALUE, 2 * Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL),
            0x1p-60f, 0x1p-25f, 0x1p-24f, 0x1p-12f, 0.25f, 0.5f, 0.625f, 0.75f, 1f, 1.0606601f, 1.25f,
            1.5f, 2f, 2.828427f, 3f, 3.92f, 4f, 5f, 8f, 9.1f, 10.5f, 14.4f, 14.849242f, 15f, 16f, 20f,
            21f, 44f, 87.33655f, 88f, 88.72283f, 88.7229f, 89f, 100f, 103.97208f, 104f, 110f, 1e10f,
            0x1p24f, 0x1p25f, 1e30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        };
        List<Float> out = new ArrayList<>();
        for (float b : base) {
            for (float v : new float[] {b, Math.nextUp(b), Math.nextDown(b)}) {
                out.add(v);
                out.add(-v);
            }
        }
        for (int nan : new int[] {0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff, 0xff812345, 0x7fffffff}) {
            out.add(Float.intBitsToFloat(nan));
        }
        float[] xs = new float[out.size()];
        for (int i = 0; i < xs.length; i++) xs[i] = out.get(i);
        return xs;
    }
}
