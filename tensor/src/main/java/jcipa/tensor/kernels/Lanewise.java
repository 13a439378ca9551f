package jcipa.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise row helpers for the normalisation and reduction kernels. Every element is an
 * independent lane: the vector loop and the scalar tail apply the same IEEE operation to it, so the
 * bits do not depend on the vector width or on SIMD being on.
 */
final class Lanewise {
    private Lanewise() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** acc[ao + i] += src[so + i], i &lt; n. */
    static void add(float[] src, int so, float[] acc, int ao, int n, boolean vector) {
        int i = 0;
        if (vector && Simd.ENABLED) {
            for (int bound = Simd.loopBound(n); i < bound; i += L) {
                FloatVector.fromArray(F, acc, ao + i).add(FloatVector.fromArray(F, src, so + i)).intoArray(acc, ao + i);
            }
        }
        for (; i < n; i++) acc[ao + i] += src[so + i];
    }

    /** out[oo + i] = a[ao + i]·b[bo + i], i &lt; n. */
    static void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n, boolean vector) {
        int i = 0;
        if (vector && Simd.ENABLED) {
            for (int bound = Simd.loopBound(n); i < bound; i += L) {
                FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            }
        }
        for (; i < n; i++) out[oo + i] = a[ao + i] * b[bo + i];
    }

    /** acc[ao + i] = fma(dy[dyo + i], (x[xo + i] − mean)·r, acc[ao + i]): adds dy·x̂ with x̂ recomputed as in the forward. */
    static void fmaNormalized(float[] dy, int dyo, float[] x, int xo, float mean, float r, float[] acc, int ao, int n, boolean vector) {
        int i = 0;
        if (vector && Simd.ENABLED) {
            FloatVector mv = FloatVector.broadcast(F, mean), rv = FloatVector.broadcast(F, r);
            for (int bound = Simd.loopBound(n); i < bound; i += L) {
                FloatVector xh = FloatVector.fromArray(F, x, xo + i).sub(mv).mul(rv);
                FloatVector.fromArray(F, dy, dyo + i).fma(xh, FloatVector.fromArray(F, acc, ao + i)).intoArray(acc, ao + i);
            }
        }
        for (; i < n; i++) acc[ao + i] = Math.fma(dy[dyo + i], (x[xo + i] - mean) * r, acc[ao + i]);
    }
}
